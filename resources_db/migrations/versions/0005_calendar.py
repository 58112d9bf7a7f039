"""calendar: contact addresses, school calendars, reminders, broadcasts

Revision ID: 0005_calendar
Revises: 0004
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa

revision = "0005_calendar"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact_address",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_key", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=100), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_key", "channel", "purpose", name="uq_contact_address_purpose"),
    )
    op.create_index("ix_contact_address_user_key", "contact_address", ["user_key"])


def downgrade() -> None:
    op.drop_index("ix_contact_address_user_key", table_name="contact_address")
    op.drop_table("contact_address")
