"""learning from conversations: turn details, staff reviews, retraining jobs, staff replies

Revision ID: 0005_learning
Revises: 0006_merge_admin_calendar
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa

revision = "0005_learning"
down_revision = "0006_merge_admin_calendar"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_turn", schema=None) as batch_op:
        batch_op.add_column(sa.Column("nlu_intent", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("nlu_language", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("answer_language", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("resources_shown", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("review_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_conversation_turn_review_id", ["review_id"], unique=False)

    op.create_table(
        "learning_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=50), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_learning_review_language", "learning_review", ["language"], unique=False)
    op.create_index("ix_learning_review_status", "learning_review", ["status"], unique=False)

    op.create_table(
        "retrain_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("started_by", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_retrain_job_status", "retrain_job", ["status"], unique=False)

    op.create_table(
        "staff_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        sa.Column("user_key", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("staff_text", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sent_by", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_staff_reply_handoff_id", "staff_reply", ["handoff_id"], unique=False)
    op.create_index("ix_staff_reply_user_key", "staff_reply", ["user_key"], unique=False)


def downgrade() -> None:
    op.drop_table("staff_reply")
    op.drop_table("retrain_job")
    op.drop_table("learning_review")
    with op.batch_alter_table("conversation_turn", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_turn_review_id")
        for column in ("review_id", "resources_shown", "answer_language", "nlu_language", "nlu_intent"):
            batch_op.drop_column(column)
