"""Errors a user can fix.

    PlannerError                 anything the user can fix; the message says what, where and how
    ├── PlaybookError            a playbook library that cannot be loaded at all
    ├── NotFoundError            a plan, item, person or tactic that does not exist
    ├── ConflictError            a save based on a stale version of a plan
    ├── BusyError                SQLite stayed locked by other saves past its busy timeout
    ├── DatabaseUnavailableError the database cannot be reached or opened (store.py)
    ├── ImportFormatError        a bundle or CSV that cannot be imported (nothing was written)
    │   └── LimitError           a file over one of the limits (domain/limits.py)
    ├── DiskFullError            the database's disk is full; the write rolled back (limits)
    ├── WriteFailedError         an export that could not be written; no partial file (limits)
    ├── InvalidInputError        a value a user typed that the plan cannot take (planning.py)
    ├── ReadingsExistError       readings already there for a period: confirm to replace
    ├── MappingError             xAPI mapping rules that do not fit the plan (exchange/xapi_mapping)
    ├── InvalidStatementsError   invalid xAPI statements without --skip-invalid (adoption.py)
    └── PermissionDeniedError    a write the signed-in person's role does not allow (access.py)

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


class BusyError(PlannerError):
    pass


class ImportFormatError(PlannerError):
    pass


class PermissionDeniedError(PlannerError):
    """A write the person's role does not allow: says who, which role, what, who can grant it."""


class DatabaseUnavailableError(PlannerError):
    """The database server cannot be reached, or the SQLite file cannot be opened."""
