"""Content editors' unanswered-questions inbox

Revision ID: 0002_content_inbox
Revises: 0001
Create Date: 2026-11-22 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_content_inbox"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_inbox_items",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True,
                  nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=True),
        sa.Column("source_key", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("assigned_intent", sa.String(length=100), nullable=True),
        sa.Column("handled_by", sa.String(length=200), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("handled_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_key"),
    )
    op.create_index("ix_content_inbox_items_status", "content_inbox_items",
                    ["status", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_content_inbox_items_status", table_name="content_inbox_items")
    op.drop_table("content_inbox_items")
