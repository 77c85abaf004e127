"""Informal Learning Planner: playbooks of informal-learning tactics, rollout plans and reviews."""

from planner.domain.playbook import Metric, PlaybookFile, Step, Tactic, Taxonomy, effort_band
from planner.errors import PlannerError
from planner.exchange.playbooks import Library, load_default_library, load_library

__all__ = [
    "Library",
    "Metric",
    "PlannerError",
    "PlaybookFile",
    "Step",
    "Tactic",
    "Taxonomy",
    "effort_band",
    "load_default_library",
    "load_library",
]
__version__ = "0.1.0"
