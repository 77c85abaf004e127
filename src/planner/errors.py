"""Errors a user can fix.

    PlannerError                 anything the user can fix; the message says what, where and how
    ├── PlaybookError            a playbook library that cannot be loaded at all
    ├── NotFoundError            a plan, item, person or tactic that does not exist
    ├── ConflictError            a save based on a stale version of a plan
    └── ImportFormatError        a bundle or CSV that cannot be imported (nothing was written)

Pages show these with `st.error`; the CLI prints them and exits 1. Anything else is a bug.
"""

from __future__ import annotations


class PlannerError(Exception):
    """An error the user can fix; `str()` is the message to show them."""


class PlaybookError(PlannerError):
    pass


class NotFoundError(PlannerError):
    pass


class ConflictError(PlannerError):
    pass


class ImportFormatError(PlannerError):
    pass
