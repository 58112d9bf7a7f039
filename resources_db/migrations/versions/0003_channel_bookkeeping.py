"""channel bookkeeping

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('pending_parts',
    sa.Column('user_key', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('user_key', 'channel')
    )
    op.create_table('processed_message',
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('message_id', sa.String(length=100), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'message_id')
    )



def downgrade() -> None:

    op.drop_table('processed_message')
    op.drop_table('pending_parts')

