"""A plan's channel mapping: channel, group or category names of community tools -> plan items.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Saved with the plan so next month's per-community export (Slack channel analytics, Viva Engage
groups) goes in with one click: one row per name (casefolded, without a leading #, as
`planner.community.channel_key` spells it), the name as the user wrote it, and the item its
figures go to. Rows go with their plan and with their item (ON DELETE CASCADE). Written by
hand, with the types spelled out here rather than imported from planner.store.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_mappings",
        sa.Column("plan_id", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(300), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("item_id", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", "channel", name="pk_channel_mappings"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_channel_mappings_plan_id_plans", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["plan_items.id"],
            name="fk_channel_mappings_item_id_plan_items",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_channel_mappings_item_id", "channel_mappings", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_channel_mappings_item_id", table_name="channel_mappings")
    op.drop_table("channel_mappings")
