"""content version: a counter of curated-content changes, for per-process caches

Revision ID: 0007_content_version
Revises: 0005_learning
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa

revision = "0007_content_version"
down_revision = "0005_learning"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade() -> None:
    op.drop_table("content_version")
