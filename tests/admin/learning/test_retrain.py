"""Retraining from staff examples: used only when evaluation says the model is not worse."""

from __future__ import annotations

import pytest

from admin.learning.fallbacks import assign, pending, unrecognized
from admin.learning.records import LearningReview
from admin.learning.retrain import Retrainer
from bot.messages import IncomingMessage
from nlu.rasa_yaml import read_examples
from resources_db.database import transaction

pytestmark = pytest.mark.slow
SCOOTER = "je cherche une trottinette"


@pytest.fixture
def retrainer(small_parser, small_nlu, seeded_engine):
    return Retrainer(seeded_engine, small_parser, small_parser.staff_dir, small_nlu.eval_dir, max_drop=0.02)


def test_an_assigned_example_changes_the_next_answer_after_retraining(small_dialogue, retrainer, seeded_engine):
    first = small_dialogue.handle(IncomingMessage("web", "web-family-0001", SCOOTER))
    assert first.intent in ("nlu_fallback", "out_of_scope")
    group = unrecognized(seeded_engine, 0.3)["fr"][0]
    assign(seeded_engine, group.id, "recreation", "staff@example.org", 0.3)

    job = retrainer.status(retrainer.start(["fr"], "staff@example.org", wait=True))

    assert (job.status, job.percent) == ("installed", 100), job.message
    assert job.report["fr"]["learned"] == job.report["fr"]["taught"] == 1
    assert job.report["fr"]["candidate"] >= job.report["fr"]["current"] - 0.02
    # The running parser uses the new model at once, and the example is in the staff file.
    again = small_dialogue.handle(IncomingMessage("web", "web-family-0001", SCOOTER))
    assert again.intent == "recreation"
    staff = read_examples(retrainer.staff_dir / "fr" / "staff.yml")
    assert [(e.text, e.intent) for e in staff] == [(SCOOTER, "recreation")]
    assert pending(seeded_engine) == []


def test_a_candidate_that_reads_families_worse_is_refused_and_the_old_model_kept(
        small_parser, small_nlu, retrainer, seeded_engine):
    # A staff mistake: every held-out greeting taught as housing.
    greetings = [e.text for e in read_examples(small_nlu.eval_dir / "fr.yml") if e.intent == "greet"]
    with transaction(seeded_engine) as session:
        session.add_all(LearningReview(language="fr", text=text, intent="housing", status="pending",
                                       decided_by="staff") for text in greetings)
    before = small_parser.parse(greetings[0])["intent"]["name"]

    job = retrainer.status(retrainer.start(["fr"], "staff", wait=True))

    assert job.status == "rejected"
    assert "fr: held-out accuracy" in job.message
    assert job.report["fr"]["candidate"] < job.report["fr"]["current"] - 0.02
    assert small_parser.parse(greetings[0])["intent"]["name"] == before
    assert not (retrainer.staff_dir / "fr" / "staff.yml").exists()
    # The examples wait, for staff to withdraw or correct.
    assert len(pending(seeded_engine)) == len(greetings)
    assert not list(small_parser.model_dir.glob(".staging-*"))


def test_a_missing_evaluation_set_fails_the_job_clearly(small_parser, seeded_engine, tmp_path):
    retrainer = Retrainer(seeded_engine, small_parser, small_parser.staff_dir, tmp_path / "none", 0.02)
    job = retrainer.status(retrainer.start(["fr"], "staff", wait=True))
    assert job.status == "failed" and "no held-out examples" in job.message
