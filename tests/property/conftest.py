"""Hypothesis settings for the property tests.

Two profiles: `ci` (the default) runs a fixed, derandomised set of examples with no example
database, so the suite is reproducible and the folder stays well under a minute; `dev` explores
(random examples, saved failures in .hypothesis/); `hunt` explores without shrinking (a
failing example on a database can take minutes to shrink). Pick one with HYPOTHESIS_PROFILE.
Each test sets its own `max_examples` (what one example costs differs a lot: a pure schedule against
a plan written to a database and exported six ways); `PROPERTY_SCALE` multiplies them all, e.g.
PROPERTY_SCALE=20 for a long hunt.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

SCALE = max(1, int(os.environ.get("PROPERTY_SCALE", "1")))

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile(
    "hunt",
    parent=settings.get_profile("ci"),
    derandomize=False,
    phases=[Phase.explicit, Phase.generate],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(n: int) -> settings:
    """`settings(max_examples=n)`, scaled by PROPERTY_SCALE."""
    return settings(max_examples=n * SCALE)
