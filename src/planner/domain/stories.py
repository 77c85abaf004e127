"""Value-creation stories' vocabulary: the Wenger-Trayner value cycles a story is tagged with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

VALUE_CYCLES: dict[str, str] = {
    "value-immediate": "Immediate value",
    "value-potential": "Potential value",
    "value-applied": "Applied value",
    "value-realized": "Realised value",
    "value-transformative": "Transformative value",
    "value-strategic": "Strategic value",
    "value-enabling": "Enabling value",
}
"""Wenger-Trayner value cycles (the taxonomy's framework ids) and their names."""


@dataclass(frozen=True, kw_only=True)
class Story:
    """A value-creation story: what happened, told by someone, tagged with a value cycle."""

    id: str
    item_id: str
    date: dt.date
    author: str
    title: str
    text: str
    value_cycle: str
    recorded_by: str = ""
    recorded_at: dt.datetime | None = None
