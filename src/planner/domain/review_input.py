"""Checks of what a user types for a review or an action item: dates, texts, statuses, names.

Each check returns the clean value or raises InvalidInputError (a PlannerError) saying which
field is wrong and how. Pure: imports only the domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from planner.domain.limits import day_problem, text_problem
from planner.domain.planning import InvalidInputError
from planner.domain.reviews import ACTION_STATUSES

TEXT_LIMIT = 2000
"""The longest text a decision, an action item or notes may have (letters)."""


NAME_LIMIT = 200
"""The longest name an attendee or an action item's owner may have (letters)."""


def checked_day(value: Any, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if (problem := day_problem(value)) is not None:
            raise InvalidInputError(f"{label}: {problem}.")
        return value
    raise InvalidInputError(f"{label} must be a date, not {value!r}.")


def checked_text(value: Any, label: str, limit: int = TEXT_LIMIT) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{label} needs some text.")
    text = value.strip()
    if len(text) > limit:
        raise InvalidInputError(f"{label} is longer than {limit} letters.")
    if "\x00" in text:
        raise InvalidInputError(f"{label} {text_problem(text)}.")
    return text


def checked_status(value: Any, label: str) -> str:
    if value not in ACTION_STATUSES:
        raise InvalidInputError(
            f"{label}: '{value}' is not an action status; use one of {', '.join(ACTION_STATUSES)}."
        )
    return str(value)


def attendee_names(names: Iterable[str]) -> tuple[str, ...]:
    if isinstance(names, str):
        raise InvalidInputError("Attendees must be a list of names, not one text.")
    seen: dict[str, str] = {}
    for name in names:
        if not isinstance(name, str):
            raise InvalidInputError(f"An attendee must be a name, not {name!r}.")
        clean = name.strip()
        if not clean:
            continue
        if len(clean) > NAME_LIMIT:
            raise InvalidInputError(f"The attendee name '{clean[:40]}…' is too long.")
        seen.setdefault(clean.casefold(), clean)
    return tuple(seen.values())
