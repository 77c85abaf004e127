"""Ids of new records: a short prefix saying what the record is and a random part.

May import: the standard library only.
"""

from __future__ import annotations

import uuid


def new_id(prefix: str) -> str:
    """A stable id such as 'pl_1a2b3c4d5e6f': random, so it is the same in every database."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"
