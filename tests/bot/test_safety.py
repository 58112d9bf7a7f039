"""Danger comes first, in every language: the lexicon and the model together."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from bot.messages import IncomingMessage
from bot.safety import DangerDetector, emergency_lines
from nlu.rasa_yaml import read_examples
from nlu.taxonomy import load_taxonomy

HELDOUT = Path(__file__).resolve().parents[1] / "nlu" / "heldout"
_users = itertools.count()


@pytest.mark.parametrize("language", load_taxonomy().languages)
def test_every_held_out_crisis_message_gets_emergency_numbers(dialogue, language):
    examples = read_examples(HELDOUT / f"{language}.yml")
    missed = [e.text for e in examples if e.intent == "crisis"
              and not dialogue.handle(IncomingMessage("sms", f"s{next(_users)}", e.text)).emergency]
    assert missed == []


@pytest.mark.parametrize("language", load_taxonomy().languages)
def test_ordinary_questions_rarely_raise_an_alarm(dialogue, language):
    examples = [e for e in read_examples(HELDOUT / f"{language}.yml") if e.intent != "crisis"]
    alarms = [e.text for e in examples
              if dialogue.handle(IncomingMessage("sms", f"s{next(_users)}", e.text)).emergency]
    assert len(alarms) <= 3, alarms


@pytest.mark.parametrize("text", [
    "mon conjoint me bat", "he said he wants to kill himself", "mi esposo me pega",
    "meu marido me bate todo dia", "mari m ap bat mwen", "chồng tôi đánh tôi", "زوجي يضربني",
    "شوهرم منو کتک میزنه", "我老公打我", "чоловік мене б'є",
])
def test_lexicon_catches_danger_in_every_language(text):
    assert DangerDetector.from_file().matches(text)


@pytest.mark.parametrize("text", [
    "je meurs de faim, la banque alimentaire est ouverte?", "I'm dead tired after work",
    "time to hit the books", "un coup de main pour les devoirs", "累死了，作业太多", "打我电话就行",
    "mon fils a un examen de maths demain", "cần giúp làm bài tập",
])
def test_lexicon_stays_quiet_on_ordinary_questions(text):
    assert not DangerDetector.from_file().matches(text)


def test_every_emergency_number_is_cited():
    for line in emergency_lines():
        assert line.source.startswith("https://") and line.verified_on
