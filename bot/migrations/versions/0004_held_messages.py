"""Messages held for Rasa in the database, so a gateway restart never drops them

Revision ID: 0004_held_messages
Revises: 0003_insight_events
Create Date: 2026-12-04 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_held_messages"
down_revision = "0003_insight_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "held_messages",
        sa.Column("message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("rasa_text", sa.Text(), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("message_id"),
    )
    op.create_index("ix_held_messages_conversation_id", "held_messages", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_held_messages_conversation_id", table_name="held_messages")
    op.drop_table("held_messages")
