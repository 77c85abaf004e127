"""People carry a version: people.version, raised by one on every edit (existing people: 1).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

An edit to a person names the version the user saw; an edit based on an older one is refused
(compare-and-swap in the UPDATE), so two people editing the same record never lose a change.
Written by hand, with the types spelled out here rather than imported from planner.store.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NOT NULL with a server default: SQLite adds it without a table rebuild, every row gets 1.
    op.add_column("people", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("version")
