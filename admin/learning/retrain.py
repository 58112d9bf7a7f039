"""Retraining as a background job whose progress lives in the database.

One job at a time. The thread trains a candidate beside the models in use, evaluates
it on the held-out examples, and installs it only if accuracy does not drop by more
than `max_drop`; the running parser then reloads it, with no restart. The page polls
`status()`; a job interrupted by a restart is marked failed when the next one starts.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select, update

from admin.learning.fallbacks import pending
from admin.learning.records import LearningReview, RetrainJob
from nlu.parser import NluParser
from nlu.rasa_yaml import Example
from nlu.retraining import Candidate
from resources_db.database import transaction

log = logging.getLogger(__name__)

#: Share of the progress bar each stage takes (training is by far the longest).
_TRAIN, _EVALUATE = (5, 75), (75, 97)


class RetrainBusy(RuntimeError):
    """A retraining job is already running."""


@dataclass(frozen=True)
class JobStatus:
    """What the page shows about a job."""

    id: int
    languages: list[str]
    status: str
    stage: str
    percent: int
    message: str
    report: dict
    started_by: str
    started_at: str
    finished_at: str | None

    @property
    def done(self) -> bool:
        return self.status != "running"


def _status(job: RetrainJob) -> JobStatus:
    return JobStatus(job.id, list(job.languages), job.status, job.stage, job.percent, job.message,
                     dict(job.report or {}), job.started_by, job.started_at.isoformat(),
                     job.finished_at.isoformat() if job.finished_at else None)


class Retrainer:
    """Starts, runs and reports retraining jobs for one running parser."""

    def __init__(self, engine: Engine, parser: NluParser, staff_dir: Path, eval_dir: Path, max_drop: float):
        self.engine, self.parser = engine, parser
        self.staff_dir, self.eval_dir, self.max_drop = staff_dir, eval_dir, max_drop
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self, languages: list[str], actor: str, wait: bool = False) -> int:
        """Create a job and run it in a thread (or in this thread with `wait`); returns its id."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                raise RetrainBusy("A retraining is already running.")
            self._close_interrupted()
            now = dt.datetime.now(dt.UTC)
            with transaction(self.engine) as session:
                job = RetrainJob(languages=sorted(set(languages)), status="running", stage="queued", percent=0,
                                 message="", report={}, started_by=actor, started_at=now)
                session.add(job)
                session.flush()
                job_id = job.id
            self._thread = threading.Thread(target=self.run, args=(job_id,), name=f"retrain-{job_id}", daemon=True)
            self._thread.start()
        if wait:
            self._thread.join()
        return job_id

    def status(self, job_id: int) -> JobStatus | None:
        """A job's progress and outcome."""
        with transaction(self.engine) as session:
            job = session.get(RetrainJob, job_id)
            return _status(job) if job else None

    def recent(self, limit: int = 5) -> list[JobStatus]:
        """The latest jobs, newest first."""
        with transaction(self.engine) as session:
            jobs = session.scalars(select(RetrainJob).order_by(RetrainJob.id.desc()).limit(limit)).all()
            return [_status(job) for job in jobs]

    def run(self, job_id: int) -> None:
        """The job itself: prepare, train, evaluate, then install or keep the old model."""
        with transaction(self.engine) as session:
            languages = list(session.get(RetrainJob, job_id).languages)
        reviews = pending(self.engine, languages)
        new: dict[str, list[Example]] = {}
        for review in reviews:
            new.setdefault(review.language, []).append(Example(review.text, review.intent))
        candidate = Candidate(self.parser, self.staff_dir, languages, str(job_id))
        try:
            self._progress(job_id, "preparing", 0)
            candidate.prepare(new)
            candidate.train(lambda stage, pct: self._progress(job_id, stage, _scale(_TRAIN, pct)))
            verdicts = candidate.evaluate(self.eval_dir, new,
                                          lambda stage, pct: self._progress(job_id, stage, _scale(_EVALUATE, pct)))
            report = {v.language: {"current": v.current, "candidate": v.candidate, "heldout": v.heldout,
                                   "learned": v.learned, "taught": v.taught} for v in verdicts}
            worse = [v for v in verdicts if not v.acceptable(self.max_drop)]
            if worse:
                reason = "; ".join(f"{v.language}: held-out accuracy {v.candidate:.1%} < {v.current:.1%} in use"
                                   for v in worse)
                self._finish(job_id, "rejected", reason, report)
                return
            self._progress(job_id, "installing", 98)
            candidate.install()
            self._finish(job_id, "installed", "", report, trained=[r.id for r in reviews])
        except Exception as exc:  # noqa: BLE001 - a job must end with a status the page can show
            log.exception("Retraining job %s failed", job_id)
            self._finish(job_id, "failed", str(exc), {})
        finally:
            candidate.discard()

    def _progress(self, job_id: int, stage: str, percent: int) -> None:
        with transaction(self.engine) as session:
            session.execute(update(RetrainJob).where(RetrainJob.id == job_id).values(stage=stage, percent=percent))

    def _finish(self, job_id: int, status: str, message: str, report: dict, trained: list[int] = ()) -> None:
        with transaction(self.engine) as session:
            job = session.get(RetrainJob, job_id)
            job.status, job.message, job.report = status, message, report
            job.stage, job.percent, job.finished_at = status, 100, dt.datetime.now(dt.UTC)
            if trained:
                session.execute(update(LearningReview).where(LearningReview.id.in_(trained))
                                .values(status="trained", job_id=job_id))

    def _close_interrupted(self) -> None:
        """Jobs still 'running' with no thread here were cut short by a restart."""
        with transaction(self.engine) as session:
            session.execute(update(RetrainJob).where(RetrainJob.status == "running").values(
                status="failed", stage="failed", message="Interrupted (the server stopped during retraining).",
                finished_at=dt.datetime.now(dt.UTC)))


def _scale(span: tuple[int, int], percent: int) -> int:
    low, high = span
    return low + round((high - low) * percent / 100)
