"""People: someone in the organisation who can lead a plan or own its items.

People are shared by every plan, so an owner's workload adds up across plans.

May import: the standard library and `planner.domain.field_checks`.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain.field_checks import (
    MAX_NAME_CHARS,
    InvalidInputError,
    as_number,
    check_optional_text,
    check_text,
    set_field,
)

DEFAULT_CAPACITY_HOURS = 4.0


@dataclass(frozen=True, kw_only=True)
class Person:
    """Someone in the organisation; shared by every plan, so workload adds up across plans."""

    id: str
    name: str
    email: str | None = None
    role: str = ""
    team: str = ""
    capacity_hours_per_week: float = DEFAULT_CAPACITY_HOURS

    def __post_init__(self) -> None:
        check_text(self, "name", "A person's name", required=True, max_chars=MAX_NAME_CHARS)
        check_optional_text(self, "email", "Email")
        if self.email is not None:
            if "@" not in self.email or " " in self.email:
                raise InvalidInputError(f"'{self.email}' is not an email address.")
            # Matching a signed-in user to a person ignores case, so store one spelling.
            set_field(self, "email", self.email.lower())
        check_text(self, "role", "Role", max_chars=MAX_NAME_CHARS)
        check_text(self, "team", "Team", max_chars=MAX_NAME_CHARS)
        hours = as_number(self.capacity_hours_per_week, f"Weekly capacity of {self.name}")
        if not 0 <= hours <= 168:
            raise InvalidInputError(
                f"Weekly capacity of {self.name} must be between 0 and 168 hours, not {hours:g}."
            )
        set_field(self, "capacity_hours_per_week", hours)
