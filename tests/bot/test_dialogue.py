"""Scripted conversations in all 10 languages, as a parent would have them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot import answers, dialogue as flows
from bot.calendar.answers import NO_CALENDAR
from bot.messages import IncomingMessage
from bot.safety import LINE_MESSAGES
from nlu.rasa_yaml import read_folder
from nlu.taxonomy import load_taxonomy
from nlu.training import DATA_DIR
from resources_db.database import transaction
from resources_db.queries import services_for_need
from translations.catalog import translator

SCRIPTS = yaml.safe_load((Path(__file__).parent / "data" / "conversations.yml").read_text(encoding="utf-8"))
LANGUAGES = load_taxonomy().languages


def say(code: str, message: str, **values) -> str:
    return translator(code).gettext(message).format(**values)


class Family:
    """One family talking to the bot on one channel."""

    def __init__(self, dialogue, user: str = "+15145550100", channel: str = "sms"):
        self.dialogue, self.user, self.channel = dialogue, user, channel

    def send(self, text: str, hint: str | None = None):
        return self.dialogue.handle(IncomingMessage(self.channel, self.user, text, hint))


def test_scripts_are_not_training_examples():
    for language, script in SCRIPTS.items():
        training = {e.text.casefold() for e in read_folder(DATA_DIR / language)}
        assert not [t for t in script.values() if t.casefold() in training], language


@pytest.mark.parametrize("language", LANGUAGES)
def test_first_contact_greets_with_the_menu_in_the_familys_language(dialogue, language):
    reply = Family(dialogue).send(SCRIPTS[language]["greet"])
    assert reply.language == language
    assert reply.text.startswith(say(language, flows.GREETING))
    assert say(language, flows.MENU_PROMPT) in reply.text
    assert "write the name" not in reply.text or language == "en"
    assert [o.label for o in reply.options][:2] == [say(language, "Food"), say(language, "Homework help")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_need_gets_the_best_resources_in_the_familys_language(dialogue, seeded_engine, language):
    family = Family(dialogue)
    reply = family.send(SCRIPTS[language]["food"])
    assert reply.language == language
    assert reply.intent == "food_aid"
    assert 2 <= len(reply.resources) <= 3
    with transaction(seeded_engine) as session:
        food_ids = {s.id for s in services_for_need(session, "food_aid")}
    assert {r.id for r in reply.resources} <= food_ids
    assert say(language, answers.HERE_IS_HELP, topic=say(language, "Food")) in reply.text
    for resource in reply.resources:
        assert resource.name in reply.text and resource.how_to_get in reply.text
    more = say(language, "MORE")
    assert say(language, answers.MORE_HINT, more=more) in reply.text

    following = family.send(more)
    assert following.intent == "food_aid" and following.language == language
    assert not {r.id for r in following.resources} & {r.id for r in reply.resources}


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbered_options_work_as_answers(dialogue, language):
    family = Family(dialogue)
    menu = family.send(SCRIPTS[language]["greet"])
    choice = [o.key for o in menu.options].index("need:homework_help") + 1
    reply = family.send(str(choice))
    assert reply.intent == "homework_help" and reply.language == language
    assert reply.resources


@pytest.mark.parametrize("language", LANGUAGES)
def test_follow_up_with_an_age_uses_the_context(dialogue, language):
    family = Family(dialogue)
    family.send(SCRIPTS[language]["food"])
    reply = family.send(SCRIPTS[language]["age_follow_up"])
    assert reply.intent == "food_aid" and reply.language == language
    assert say(language, answers.FOR_AGE, age=15) in reply.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_switch_is_remembered(dialogue, language):
    target = "fr" if language == "es" else "es"
    family = Family(dialogue)
    family.send(SCRIPTS[language]["greet"])
    reply = family.send(SCRIPTS[language]["switch"])
    assert reply.intent == "change_language"
    assert reply.language == target
    assert say(target, flows.LANGUAGE_SET, language=flows.keywords.native_name(target)) in reply.text
    assert family.send("ok").language == target
    assert family.send("3").language == target


@pytest.mark.parametrize(("text", "language", "intent"), [
    ("星期五上学吗？", "zh", "school_calendar"), ("我需要食物", "zh", "food_aid"), ("нам потрібна їжа", "uk", "food_aid"),
])
def test_a_short_message_in_another_script_is_read_and_answered_in_its_language(dialogue, text, language, intent):
    """However short, Chinese or Cyrillic text in a French conversation is not French."""
    family = Family(dialogue)
    family.send(SCRIPTS["fr"]["greet"])
    reply = family.send(text)
    assert (reply.language, reply.intent) == (language, intent)


def test_short_latin_replies_keep_an_arabic_conversation(dialogue):
    family = Family(dialogue)
    family.send(SCRIPTS["ar"]["greet"])
    assert family.send("ok").language == "ar"


@pytest.mark.parametrize("language", LANGUAGES)
def test_human_handoff_is_recorded_with_the_conversation(dialogue, seeded_engine, language):
    from sqlalchemy import select

    from bot.records import HandoffRequest

    family = Family(dialogue)
    family.send(SCRIPTS[language]["food"])
    reply = family.send(SCRIPTS[language]["handoff"])
    assert reply.intent == "human_handoff"
    assert say(language, flows.HANDOFF) in reply.text
    with transaction(seeded_engine) as session:
        request = session.scalars(select(HandoffRequest)).one()
        texts = [t["text"] for t in request.transcript]
    assert SCRIPTS[language]["food"] in texts and SCRIPTS[language]["handoff"] in texts
    assert request.language == language and "+1514" not in request.user_key


@pytest.mark.parametrize("language", LANGUAGES)
def test_danger_gets_emergency_numbers_first(dialogue, language):
    family = Family(dialogue)
    family.send(SCRIPTS[language]["greet"])
    reply = family.send(SCRIPTS[language]["crisis"])
    assert reply.emergency
    assert reply.language == language
    assert reply.text.startswith(say(language, LINE_MESSAGES["911"], voice="\u2066911\u2069"
                                     if language in ("ar", "fa") else "911"))
    assert "1-800-363-9010" in reply.text and "988" in reply.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_danger_comes_first_even_when_something_else_is_asked(dialogue, language):
    reply = Family(dialogue).send(SCRIPTS[language]["mixed_crisis"])
    assert reply.emergency
    first_line = reply.text.splitlines()[0]
    assert "911" in first_line


@pytest.mark.parametrize("language", LANGUAGES)
def test_thanks_and_out_of_scope_are_kind(dialogue, language):
    family = Family(dialogue)
    family.send(SCRIPTS[language]["greet"])
    thanks = family.send(SCRIPTS[language]["thanks"])
    assert thanks.intent == "thanks" and say(language, flows.THANKS) in thanks.text
    weather = family.send(SCRIPTS[language]["out_of_scope"])
    assert weather.intent in {"out_of_scope", "nlu_fallback"}
    assert weather.options, "the menu is offered again"
    assert weather.language == language


def test_fallback_offers_the_likely_topics(dialogue):
    family = Family(dialogue)
    family.send("bonjour")
    reply = family.send("zzz qqq")
    assert reply.intent in {"nlu_fallback", "out_of_scope"}
    assert reply.options


def test_school_calendar_without_a_calendar_says_where_to_find_it(dialogue):
    reply = Family(dialogue).send("c'est quand la prochaine journée pédagogique?")
    assert reply.intent == "school_calendar"
    assert say("fr", NO_CALENDAR) in reply.text


def test_bad_option_number_says_what_to_reply(dialogue):
    family = Family(dialogue)
    menu = family.send("hello")
    reply = family.send("42")
    assert say("en", flows.BAD_OPTION, count=len(menu.options)) in reply.text


def test_empty_and_huge_messages_get_a_clear_answer(dialogue):
    family = Family(dialogue)
    assert say("fr", flows.EMPTY) in family.send("   ").text
    huge = family.send("j'ai besoin d'aide pour mes enfants " * 500)
    assert huge.text and not huge.silent


def test_stop_is_honoured_until_start(dialogue):
    family = Family(dialogue)
    family.send("hello")
    stopped = family.send("STOP")
    assert say("en", flows.STOPPED) in stopped.text
    assert family.send("I need food").silent
    back = family.send("START")
    assert not back.silent and back.options


def test_identifiers_are_hashed_in_storage(dialogue, seeded_engine):
    from sqlalchemy import select

    from bot.records import ConversationTurn, FamilyStateRow

    Family(dialogue, user="+15145551234").send("hello")
    with transaction(seeded_engine) as session:
        keys = session.scalars(select(FamilyStateRow.user_key)).all() + session.scalars(
            select(ConversationTurn.user_key)).all()
    assert keys and all("5145551234" not in key for key in keys)


def test_the_more_button_pages_like_the_word(dialogue):
    family = Family(dialogue, channel="telegram", user="5550001")
    first = family.send("j'ai besoin d'aide alimentaire pour mes enfants")
    assert first.options[0].key == "more"
    following = dialogue.choose("telegram", "5550001", "more")
    assert following.intent == "food_aid"
    assert not {r.id for r in following.resources} & {r.id for r in first.resources}
