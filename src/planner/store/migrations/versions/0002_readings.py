"""Adoption data: readings, value-creation stories, xAPI aggregates and the opt-out list.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Written by hand, with the types spelled out here rather than imported from planner.store, so
this file keeps describing the same schema whatever the models become later.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _item_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["item_id"],
        ["plan_items.id"],
        name=f"fk_{table}_item_id_plan_items",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "readings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.String(32), nullable=False),
        sa.Column("metric_id", sa.String(80), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_readings"),
        _item_fk("readings"),
        sa.UniqueConstraint(
            "item_id", "metric_id", "period", name="uq_readings_item_id_metric_id_period"
        ),
    )
    op.create_index(
        "ix_readings_item_id_metric_id_date", "readings", ["item_id", "metric_id", "date"]
    )
    op.create_table(
        "xapi_people",
        sa.Column("item_id", sa.String(32), nullable=False),
        sa.Column("metric_id", sa.String(80), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("person_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint(
            "item_id", "metric_id", "period", "person_hash", name="pk_xapi_people"
        ),
        _item_fk("xapi_people"),
    )
    op.create_table(
        "xapi_statements",
        sa.Column("plan_id", sa.String(32), nullable=False),
        sa.Column("statement_id", sa.String(80), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", "statement_id", name="pk_xapi_statements"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_xapi_statements_plan_id_plans", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "opt_outs",
        sa.Column("identifier_hash", sa.String(64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("identifier_hash", name="pk_opt_outs"),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("item_id", sa.String(32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("value_cycle", sa.String(40), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
        _item_fk("stories"),
    )
    op.create_index("ix_stories_item_id", "stories", ["item_id"])


def downgrade() -> None:
    op.drop_table("stories")
    op.drop_table("opt_outs")
    op.drop_table("xapi_statements")
    op.drop_table("xapi_people")
    op.drop_table("readings")
