"""Informal Learning Planner: playbooks of informal-learning tactics, rollout plans and reviews.

The public API is two modules:

    planner.services   one function per thing a user does: the only door the dashboard
                       (pages, planner.ui) and the CLI use. See its docstring for the list.

                           from planner import services
                           from planner.services.database import open_database
                           engine = open_database("sqlite:///data/planner.db")
                           plan = services.create_plan(engine, name="Onboarding", actor="Dana")
                           services.add_tactic_items(engine, plan.id, tactics,
                                                     expected_version=plan.version, actor="Dana")

    planner.errors     what can go wrong that the user can fix, each a PlannerError with a
                       message saying what is wrong, where, and how to fix it:
                       PlaybookError, NotFoundError, ConflictError (someone saved first),
                       BusyError, ImportFormatError, PermissionDeniedError,
                       DatabaseUnavailableError.

Below them, not called by the dashboard or the CLI: planner.domain (pure records and rules),
planner.store (the only SQL), planner.exchange (file formats). The playbook types and loaders
(`Tactic`, `Library`, `load_default_library`, ...) stay importable from here for scripts; they
load on first use, so `import planner` stays light (no database, no dashboard, no YAML).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from planner.errors import (
    BusyError,
    ConflictError,
    DatabaseUnavailableError,
    ImportFormatError,
    NotFoundError,
    PermissionDeniedError,
    PlannerError,
    PlaybookError,
)

if TYPE_CHECKING:
    from planner.domain.playbook import Metric, PlaybookFile, Step, Tactic, Taxonomy, effort_band
    from planner.exchange.playbooks import Library, load_default_library, load_library

__all__ = [
    "BusyError",
    "ConflictError",
    "DatabaseUnavailableError",
    "ImportFormatError",
    "Library",
    "Metric",
    "NotFoundError",
    "PermissionDeniedError",
    "PlannerError",
    "PlaybookError",
    "PlaybookFile",
    "Step",
    "Tactic",
    "Taxonomy",
    "effort_band",
    "load_default_library",
    "load_library",
]
__version__ = "0.1.0"

_LAZY = {
    "Metric": "planner.domain.playbook",
    "PlaybookFile": "planner.domain.playbook",
    "Step": "planner.domain.playbook",
    "Tactic": "planner.domain.playbook",
    "Taxonomy": "planner.domain.playbook",
    "effort_band": "planner.domain.playbook",
    "Library": "planner.exchange.playbooks",
    "load_default_library": "planner.exchange.playbooks",
    "load_library": "planner.exchange.playbooks",
}


def __getattr__(name: str) -> Any:
    """The playbook names, imported when first asked for (PEP 562)."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'planner' has no attribute {name!r}")
