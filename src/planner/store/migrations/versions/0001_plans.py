"""Plans: people, plans, plan items with their targets, tactic snapshots and the activity log.

Revision ID: 0001
Revises:
Create Date: 2026-11-28

Written by hand, with the types spelled out here rather than imported from planner.store, so
this file keeps describing the same schema whatever the models become later.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamp() -> list[sa.Column[object]]:
    return [
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("role", sa.String(200), nullable=False),
        sa.Column("team", sa.String(200), nullable=False),
        sa.Column("capacity_hours_per_week", sa.Float(), nullable=False),
        *_stamp(),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
        sa.UniqueConstraint("email", name="uq_people_email"),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("lead_id", sa.String(32), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("review_cadence", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at_risk_threshold", sa.Float(), nullable=False),
        sa.Column("off_track_threshold", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        *_stamp(),
        sa.PrimaryKeyConstraint("id", name="pk_plans"),
        sa.ForeignKeyConstraint(["lead_id"], ["people.id"], name="fk_plans_lead_id_people"),
    )
    op.create_table(
        "tactic_snapshots",
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("tactic_id", sa.String(80), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("hash", name="pk_tactic_snapshots"),
    )
    op.create_table(
        "plan_items",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("plan_id", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("tactic_id", sa.String(80), nullable=True),
        sa.Column("snapshot_hash", sa.String(64), nullable=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("custom_metrics", sa.JSON(), nullable=False),
        sa.Column("owner_id", sa.String(32), nullable=True),
        sa.Column("audience", sa.String(200), nullable=False),
        sa.Column("team", sa.String(200), nullable=False),
        sa.Column("pinned_start", sa.Date(), nullable=True),
        sa.Column("duration_weeks", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("cop_stage", sa.String(80), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plan_items"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_plan_items_plan_id_plans", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_hash"],
            ["tactic_snapshots.hash"],
            name="fk_plan_items_snapshot_hash_tactic_snapshots",
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["people.id"], name="fk_plan_items_owner_id_people"),
    )
    op.create_index("ix_plan_items_plan_id_position", "plan_items", ["plan_id", "position"])
    op.create_index("ix_plan_items_owner_id", "plan_items", ["owner_id"])
    op.create_table(
        "item_targets",
        sa.Column("item_id", sa.String(32), nullable=False),
        sa.Column("metric_id", sa.String(80), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("item_id", "metric_id", name="pk_item_targets"),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["plan_items.id"],
            name="fk_item_targets_item_id_plan_items",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.String(32), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(80), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_activity"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_activity_plan_id_plans", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_activity_plan_id_version", "activity", ["plan_id", "version"])


def downgrade() -> None:
    op.drop_table("activity")
    op.drop_table("item_targets")
    op.drop_table("plan_items")
    op.drop_table("tactic_snapshots")
    op.drop_table("plans")
    op.drop_table("people")
