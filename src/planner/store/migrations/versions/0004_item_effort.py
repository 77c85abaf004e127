"""Plan items carry their own effort: plan_items.effort_hours_per_week (NULL = the tactic's).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Written by hand, with the types spelled out here rather than imported from planner.store, so
this file keeps describing the same schema whatever the models become later. Existing items get
NULL, so their workload stays what their tactic says.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column needs no table rebuild on SQLite: ADD COLUMN keeps every row.
    op.add_column("plan_items", sa.Column("effort_hours_per_week", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_items") as batch:
        batch.drop_column("effort_hours_per_week")
