"""Which language to answer in: the message decides, the family's choice sticks."""

from __future__ import annotations

from bot.state import FamilyState
from nlu.language_id import UNKNOWN, in_foreign_script
from nlu.taxonomy import load_taxonomy

#: A detection at least this sure, on a message this long, overrides the remembered language.
SWITCH_CONFIDENCE = 0.6
SWITCH_WORDS = 3
DEFAULT_LANGUAGE = "fr"


def choose_language(state: FamilyState, parse: dict, hint: str | None, text: str) -> str:
    """The reply language for this message.

    A full sentence in another language is answered in that language (a parent may
    hand the phone to someone else), but short replies ("ok", "2", "merci") keep the
    conversation's language unless written in another script ("你好"), and a language the family chose explicitly needs a
    longer message to be overridden.
    """
    curated = load_taxonomy().languages
    code, confidence = parse["language"]["code"], parse["language"]["confidence"]
    words = len(text.split())
    hint = (hint or "").split("-")[0].lower() or None
    current = state.language
    needed_words = SWITCH_WORDS + (2 if state.language_chosen else 0)
    long_enough = current is None or words >= needed_words or in_foreign_script(text, current)
    if code in curated and confidence >= SWITCH_CONFIDENCE and long_enough:
        return code
    if current:
        return current
    if code in curated and confidence >= 0.4:
        return code
    if hint in curated:
        return hint
    if code not in curated and code != UNKNOWN and confidence >= SWITCH_CONFIDENCE:
        return code
    return DEFAULT_LANGUAGE
