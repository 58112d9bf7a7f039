"""Messages the bot did not understand, as staff see them, and what assigning an intent does."""

from __future__ import annotations

import pytest

from admin.learning.fallbacks import ReviewError, assign, dismiss, pending, unrecognized
from bot.messages import IncomingMessage

REVIEW = 0.3


def say(dialogue, user: str, text: str):
    return dialogue.handle(IncomingMessage("web", f"web-{user}-0000", text))


def test_unrecognized_messages_are_grouped_counted_and_anonymized(small_dialogue, seeded_engine):
    say(small_dialogue, "a", "je cherche une trottinette")
    say(small_dialogue, "b", "Je cherche une trottinette ?")
    say(small_dialogue, "b", "je cherche une trottinette")
    say(small_dialogue, "c", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx 514 555 1234")
    say(small_dialogue, "d", "banque alimentaire")  # understood: not listed

    groups = unrecognized(seeded_engine, REVIEW)
    french = {g.text.casefold().strip(" ?"): g for g in groups["fr"]}
    scooter = french["je cherche une trottinette"]
    assert (scooter.count, scooter.families) == (3, 2)
    assert scooter.reason in ("nlu_fallback", "out_of_scope")
    every_text = [g.text for gs in groups.values() for g in gs]
    assert not any("banque" in t for t in every_text)
    mashing = next(t for t in every_text if t.startswith("xxx"))
    assert "555" not in mashing and "(number)" in mashing
    # Groups carry counts and hashed families, never a user id.
    assert "web-a" not in repr(groups)


def test_assigning_an_intent_queues_the_example_and_takes_the_message_off_the_list(small_dialogue, seeded_engine):
    say(small_dialogue, "a", "je cherche une trottinette")
    group = unrecognized(seeded_engine, REVIEW)["fr"][0]

    review = assign(seeded_engine, group.id, "recreation", "staff@example.org", REVIEW)

    assert (review.language, review.text, review.intent, review.status) == (
        "fr", "je cherche une trottinette", "recreation", "pending")
    assert [r.text for r in pending(seeded_engine, ["fr"])] == ["je cherche une trottinette"]
    assert "fr" not in unrecognized(seeded_engine, REVIEW)
    # The same words asked again later are listed again: the model has not learned yet.
    say(small_dialogue, "e", "je cherche une trottinette")
    assert unrecognized(seeded_engine, REVIEW)["fr"][0].count == 1


def test_staff_can_edit_the_example_and_bad_choices_are_refused(small_dialogue, seeded_engine):
    say(small_dialogue, "a", "je cherche une [trottinette](child_age) au 514-555-1234")
    group = unrecognized(seeded_engine, REVIEW)["fr"][0]
    assert "514" not in group.text
    with pytest.raises(ReviewError, match="Unknown intent"):
        assign(seeded_engine, group.id, "scooters", "staff", REVIEW)
    with pytest.raises(ReviewError, match="not a language"):
        assign(seeded_engine, group.id, "recreation", "staff", REVIEW, language="it")
    with pytest.raises(ReviewError, match="empty"):
        assign(seeded_engine, group.id, "recreation", "staff", REVIEW, text="   ")
    review = assign(seeded_engine, group.id, "recreation", "staff", REVIEW)
    # Entity markup cannot sneak into the training file.
    assert "[" not in review.text and "(number)" in review.text
    with pytest.raises(ReviewError, match="no longer in the list"):
        assign(seeded_engine, group.id, "recreation", "staff", REVIEW)


def test_dismissing_teaches_nothing(small_dialogue, seeded_engine):
    say(small_dialogue, "a", "je cherche une trottinette")
    group = unrecognized(seeded_engine, REVIEW)["fr"][0]
    dismiss(seeded_engine, group.id, "staff", REVIEW)
    assert unrecognized(seeded_engine, REVIEW) == {}
    assert pending(seeded_engine) == []
