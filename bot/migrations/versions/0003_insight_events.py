"""Analytics events and rating comments for service insights (bot/insights)

Revision ID: 0003_insight_events
Revises: 0002_content_inbox
Create Date: 2026-12-02 03:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_insight_events"
down_revision = "0002_content_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "insight_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True,
                  nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("local_day", sa.Date(), nullable=False),
        sa.Column("hour_of_week", sa.SmallInteger(), nullable=False),
        sa.Column("in_hours", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=True),
        sa.Column("service", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=True),
        sa.Column("detail", sa.String(length=40), nullable=True),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_insight_events_kind_day", "insight_events", ["kind", "local_day"])
    op.create_index("ix_insight_events_conversation", "insight_events", ["conversation_id"])
    op.create_index("ix_insight_events_at", "insight_events", ["at"])
    op.create_table(
        "insight_comments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True,
                  nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id"),
    )
    op.create_index("ix_insight_comments_at", "insight_comments", ["at"])


def downgrade() -> None:
    op.drop_index("ix_insight_comments_at", table_name="insight_comments")
    op.drop_table("insight_comments")
    op.drop_index("ix_insight_events_at", table_name="insight_events")
    op.drop_index("ix_insight_events_conversation", table_name="insight_events")
    op.drop_index("ix_insight_events_kind_day", table_name="insight_events")
    op.drop_table("insight_events")
