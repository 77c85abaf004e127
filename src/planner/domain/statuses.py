"""The status words: items' work statuses, progress statuses and where a baseline came from.

The lowest layer of the progress rules (see `planner.domain.progress` for what each status
means): plain constants, no imports. `planner.domain.progress` re-exports the progress
words, `planner.domain.schedule` the work statuses.
"""

from __future__ import annotations

ON_TRACK = "on track"


AT_RISK = "at risk"


OFF_TRACK = "off track"


NO_DATA = "no data"


NOT_STARTED = "not started"


NO_TARGET = "no target"


BASELINE_ONLY = "baseline only"


STATUSES: tuple[str, ...] = (
    ON_TRACK,
    AT_RISK,
    OFF_TRACK,
    NO_DATA,
    NOT_STARTED,
    NO_TARGET,
    BASELINE_ONLY,
)
"""Every progress status, in the order a legend lists them."""


TRACKED: tuple[str, ...] = (ON_TRACK, AT_RISK, OFF_TRACK)
"""Statuses that compare a metric with its target; the others are greys."""


ATTENTION_ORDER: tuple[str, ...] = (
    OFF_TRACK,
    AT_RISK,
    NO_DATA,
    BASELINE_ONLY,
    ON_TRACK,
    NO_TARGET,
    NOT_STARTED,
)
"""Every status, the ones to act on first: how tables sort and summaries list them."""


FROM_TARGET = "target"


FROM_ZERO = "zero"


FROM_FIRST_READING = "first reading"


FROM_PLAYBOOK = "playbook"
"""Where a baseline came from (`MetricProgress.baseline_source`)."""


_SEVERITY = {ON_TRACK: 0, AT_RISK: 1, OFF_TRACK: 2}


WORK_STATUSES: tuple[str, ...] = ("planned", "in progress", "done", "blocked", "dropped")
"""Item work statuses, in the order they are listed to users (the keys of theme.WORK_COLORS)."""
