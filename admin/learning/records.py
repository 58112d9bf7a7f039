"""Tables for learning from conversations: staff decisions on messages, retraining jobs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from resources_db.models import Base


class LearningReview(Base):
    """Staff's decision on a message the bot did not understand.

    `pending` examples wait for the next retraining; they enter the staff training file
    only with a model that passed evaluation (`trained`). `dismissed` messages teach nothing.
    """

    __tablename__ = "learning_review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    language: Mapped[str] = mapped_column(String(10), index=True)
    #: The example as staff confirmed it (personal details already redacted).
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending, trained, dismissed, withdrawn
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    job_id: Mapped[int | None] = mapped_column(Integer)


class RetrainJob(Base):
    """One retraining run, with its progress, so that any page (or process) can follow it."""

    __tablename__ = "retrain_job"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), index=True)  # running, installed, rejected, failed
    stage: Mapped[str] = mapped_column(String(40), default="queued")
    percent: Mapped[int] = mapped_column(Integer, default=0)
    #: Why a candidate was rejected, or what failed.
    message: Mapped[str] = mapped_column(Text, default="")
    #: Per language: accuracy before and after, held-out size, new examples understood.
    report: Mapped[dict] = mapped_column(JSON, default=dict)
    started_by: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
