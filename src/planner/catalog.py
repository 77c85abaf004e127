"""Finding tactics: free-text search, filters and coverage counts over a Library (pure logic)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from planner.domain import Tactic
from planner.playbooks import Library

DURATION_BANDS: tuple[tuple[str, int, int], ...] = (
    ("up to 6 weeks", 0, 6),
    ("7 to 13 weeks", 7, 13),
    ("over a quarter", 14, 10_000),
)


def duration_band(weeks: int) -> str:
    for label, low, high in DURATION_BANDS:
        if low <= weeks <= high:
            return label
    return DURATION_BANDS[-1][0]


@dataclass(frozen=True)
class TacticFilter:
    """What the user asked for; empty sets mean 'any'."""

    text: str = ""
    categories: frozenset[str] = field(default_factory=frozenset)
    purposes: frozenset[str] = field(default_factory=frozenset)
    practices: frozenset[str] = field(default_factory=frozenset)
    audiences: frozenset[str] = field(default_factory=frozenset)
    efforts: frozenset[str] = field(default_factory=frozenset)
    durations: frozenset[str] = field(default_factory=frozenset)


def _haystack(t: Tactic) -> str:
    parts = [t.id, t.title, t.summary, *(s.text for s in t.steps)]
    return "\n".join(parts).lower()


def matches(t: Tactic, f: TacticFilter) -> bool:
    if f.categories and t.category not in f.categories:
        return False
    if f.purposes and not f.purposes.intersection(t.purposes):
        return False
    if f.practices and not f.practices.intersection(t.practices):
        return False
    if f.audiences and not f.audiences.intersection(t.audiences):
        return False
    if f.efforts and t.effort not in f.efforts:
        return False
    if f.durations and duration_band(t.duration_weeks) not in f.durations:
        return False
    words = re.findall(r"\w+", f.text.lower())
    if words:
        hay = _haystack(t)
        return all(w in hay for w in words)
    return True


def search(library: Library, f: TacticFilter) -> list[Tactic]:
    """Tactics matching every filter; with text, title matches come before step matches."""
    found = [t for t in library.tactics.values() if matches(t, f)]
    words = re.findall(r"\w+", f.text.lower())
    if words:
        found.sort(key=lambda t: (not all(w in t.title.lower() for w in words), t.title.lower()))
    return found


def coverage(
    tactics: Iterable[Tactic], library: Library, axis: str
) -> tuple[list[str], list[str], list[list[int]]]:
    """Counts of tactics per (purpose or practice) x category, with taxonomy titles as labels.

    Returns (row labels, column labels, counts) with every taxonomy entry present, so gaps show.
    """
    tax = library.taxonomy
    row_entries = tax.purposes if axis == "purposes" else tax.practices
    rows = [e.id for e in row_entries]
    cols = [e.id for e in tax.categories]
    counts = {(r, c): 0 for r in rows for c in cols}
    for t in tactics:
        for r in getattr(t, axis):
            if (r, t.category) in counts:
                counts[(r, t.category)] += 1
    matrix = [[counts[(r, c)] for c in cols] for r in rows]
    return [e.title for e in row_entries], [e.title for e in tax.categories], matrix
