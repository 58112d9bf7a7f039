"""The needs dashboard counts what a scripted set of conversations asked for."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import update

from admin.learning.charts import bar_chart
from admin.learning.dashboard import asks, by_week, tally, to_csv
from bot.messages import IncomingMessage
from bot.records import ConversationTurn
from resources_db.database import transaction

TODAY = dt.date.today()


def script(dialogue) -> None:
    """Four families: food aid twice (one family asks twice), housing once, one message not understood."""
    dialogue.start("web", "web-family-a001", "fr")
    dialogue.choose("web", "web-family-a001", "need:food_aid")
    dialogue.choose("web", "web-family-a001", "need:food_aid")
    dialogue.start("telegram", "1001", "en")
    dialogue.choose("telegram", "1001", "need:food_aid")
    dialogue.start("sms", "+15145550101", "es")
    dialogue.choose("sms", "+15145550101", "need:housing")
    dialogue.start("web", "web-family-d001", "fr")
    dialogue.handle(IncomingMessage("web", "web-family-d001", "qwrtzpxqwrtzpxqwrtzpxqwrtzpxqwrtzpxqwrtzpxqwrtzpx"))


def test_counts_by_need_language_and_channel(small_dialogue, seeded_engine):
    script(small_dialogue)
    rows = asks(seeded_engine, TODAY - dt.timedelta(days=7), TODAY)

    needs = {t.name: (t.messages, t.families, t.unmet_families) for t in tally(rows, lambda a: a.need)}
    assert needs["food_aid"] == (3, 2, 0)
    assert needs["housing"][:2] == (1, 1)
    assert needs["not_understood"] == (1, 1, 1)
    # Unmet needs come first.
    assert tally(rows, lambda a: a.need)[0].name in {"not_understood", "housing"}
    channels = {t.name: t.families for t in tally(rows, lambda a: a.channel)}
    assert channels == {"web": 2, "telegram": 1, "sms": 1}
    languages = {t.name: t.messages for t in tally(rows, lambda a: a.language)}
    assert languages["fr"] == 3 and languages["en"] == 1 and languages["es"] == 1


def test_a_need_with_no_resource_to_give_is_unmet(small_dialogue, seeded_engine):
    script(small_dialogue)
    with transaction(seeded_engine) as session:  # as if the housing answer had found nothing
        session.execute(update(ConversationTurn).where(ConversationTurn.intent == "housing")
                        .values(resources_shown=0))
    needs = {t.name: t for t in tally(asks(seeded_engine, TODAY, TODAY), lambda a: a.need)}
    assert needs["housing"].unmet_families == 1
    assert needs["food_aid"].unmet_families == 0


def test_weeks_and_csv(small_dialogue, seeded_engine):
    script(small_dialogue)
    two_weeks_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=14)
    with transaction(seeded_engine) as session:
        session.execute(update(ConversationTurn).where(ConversationTurn.channel == "sms").values(at=two_weeks_ago))
    rows = asks(seeded_engine, TODAY - dt.timedelta(days=21), TODAY)
    weeks = by_week(rows)
    assert [w.messages for w in weeks] == [1, 4]
    assert weeks[0].name == (two_weeks_ago.date() - dt.timedelta(days=two_weeks_ago.weekday())).isoformat()

    table = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert set(table[0]) == {"week", "need", "language", "channel", "messages", "families", "unmet_families"}
    food_web = next(r for r in table if r["need"] == "food_aid" and r["channel"] == "web")
    assert (food_web["language"], food_web["messages"], food_web["families"]) == ("fr", "2", "1")
    not_understood = next(r for r in table if r["need"] == "not_understood")
    assert (not_understood["language"], not_understood["unmet_families"]) == ("fr", "1")
    assert sum(int(r["messages"]) for r in table) == 5
    # Counts only: no identifier, no message text.
    text = to_csv(rows)
    assert "1001" not in text and "qwrtz" not in text and "web-family" not in text
    # Dates outside the range are left out.
    assert len(asks(seeded_engine, TODAY, TODAY)) == 4


def test_chart_is_inline_svg_with_escaped_labels():
    from admin.learning.dashboard import Ask, Tally

    t = Tally("<script>")
    t.add(Ask(TODAY, "<script>", "fr", "web", "f1", True))
    svg = str(bar_chart([t], "Needs", {}, "unmet", "met"))
    assert svg.startswith("<svg") and "<script>" not in svg and "&lt;script&gt;" in svg
