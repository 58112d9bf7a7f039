"""merge the admin and calendar branches of the schema

Revision ID: 0006_merge_admin_calendar
Revises: 0005_admin, 0005_calendar
Create Date: 2026-11-23

Both migrations start from 0004; this empty revision joins them so that
`upgrade head` has one head. (The lead may re-chain 0005_calendar after 0005_admin
instead and drop this file.)
"""

revision = "0006_merge_admin_calendar"
down_revision = ("0005_admin", "0005_calendar")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
