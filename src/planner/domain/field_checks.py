"""The checks every planning record runs on its own fields, and the error they raise.

People, plans, items and targets are frozen dataclasses that check and normalise their
fields in `__post_init__` with these functions: text is stripped and bounded, numbers are
finite floats (numpy numbers from widgets become plain ones), days are plain dates within
the supported range. A value the user can fix raises `InvalidInputError`, naming the field.

May import: the standard library, `planner.errors` and `planner.domain.limits`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from planner.domain.limits import day_problem, text_problem
from planner.errors import PlannerError

MAX_NAME_CHARS = 200
"""Names, roles, teams and audiences (of people, plans and items): their database columns."""


class InvalidInputError(PlannerError):
    """A plan, item or person value the user must correct (the message names the field)."""


def set_field(obj: object, name: str, value: Any) -> None:
    """Store a normalised value on a frozen dataclass (once, in its `__post_init__`)."""
    # Frozen dataclasses normalise their own fields once, here, and are immutable afterwards.
    object.__setattr__(obj, name, value)


def check_text(
    obj: object, name: str, label: str, *, required: bool = False, max_chars: int | None = None
) -> None:
    """Field `name` as stripped text (None becomes ""), at most `max_chars` long."""
    value = getattr(obj, name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInputError(f"{label} must be text, not {value!r}.")
    if "\x00" in value:
        raise InvalidInputError(f"{label} {text_problem(value)}.")
    value = value.strip()
    if required and not value:
        raise InvalidInputError(f"{label} cannot be empty.")
    if max_chars is not None and len(value) > max_chars:
        raise InvalidInputError(f"{label} {text_problem(value, max_chars=max_chars)}; shorten it.")
    set_field(obj, name, value)


def check_optional_text(obj: object, name: str, label: str) -> None:
    """Field `name` as stripped text, or None when missing, blank or NaN."""
    value = getattr(obj, name)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        set_field(obj, name, None)
        return
    if not isinstance(value, str):
        raise InvalidInputError(f"{label} must be text, not {value!r}.")
    if "\x00" in value:
        raise InvalidInputError(f"{label} {text_problem(value)}.")
    set_field(obj, name, value.strip() or None)


def as_number(value: Any, label: str) -> float:
    """`value` as a finite float (never a bool)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInputError(f"{label} must be a number, not {value!r}.") from None
    if isinstance(value, bool) or not math.isfinite(number):
        raise InvalidInputError(f"{label} must be a number, not {value!r}.")
    return number


def as_whole_number(value: Any, label: str) -> int:
    """`value` as an int, refusing fractions (the label names weeks)."""
    number = as_number(value, label)
    if number != int(number):
        raise InvalidInputError(f"{label} must be a whole number of weeks, not {value!r}.")
    return int(number)


def check_choice(value: Any, allowed: Sequence[str], label: str) -> None:
    """Refuse `value` unless it is one of `allowed`."""
    if value not in allowed:
        raise InvalidInputError(f"{label} must be one of {', '.join(allowed)}; got {value!r}.")


def as_day(value: Any, label: str) -> date:
    """`value` as a plain date within the supported range (a datetime keeps only its day)."""
    # datetime is a date subclass; a pandas Timestamp is a datetime: keep only the day.
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if (problem := day_problem(value)) is not None:
            raise InvalidInputError(f"{label}: {problem}.")
        return value
    raise InvalidInputError(f"{label} must be a date, not {value!r}.")


def as_optional_day(value: Any, label: str) -> date | None:
    """`value` as a date, or None when missing or NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return as_day(value, label)


def check_unique(values: Iterable[str], label: str) -> None:
    """Refuse a value that appears twice among `values` (the `label` says which)."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise InvalidInputError(f"'{value}' appears twice among the {label}.")
        seen.add(value)
