"""Review meetings: reviews (with their JSON snapshot), review decisions and action items.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05

Written by hand, with the types spelled out here rather than imported from planner.store, so
this file keeps describing the same schema whatever the models become later.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("plan_id", sa.String(32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_reviews_plan_id_plans", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_reviews_plan_id_date", "reviews", ["plan_id", "date"])
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("review_id", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_decisions"),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name="fk_review_decisions_review_id_reviews",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_review_decisions_review_id", "review_decisions", ["review_id"])
    op.create_table(
        "action_items",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("plan_id", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.String(32), nullable=True),
        sa.Column("owner_name", sa.String(200), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_in_review", sa.String(32), nullable=True),
        sa.Column("closed_in_review", sa.String(32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_action_items"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_action_items_plan_id_plans", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name="fk_action_items_owner_id_people"
        ),
        sa.ForeignKeyConstraint(
            ["created_in_review"],
            ["reviews.id"],
            name="fk_action_items_created_in_review_reviews",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["closed_in_review"],
            ["reviews.id"],
            name="fk_action_items_closed_in_review_reviews",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_action_items_plan_id", "action_items", ["plan_id"])
    op.create_index("ix_action_items_owner_id", "action_items", ["owner_id"])


def downgrade() -> None:
    op.drop_table("action_items")
    op.drop_table("review_decisions")
    op.drop_table("reviews")
