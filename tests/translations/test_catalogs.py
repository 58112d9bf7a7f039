"""Every bot message exists, with its placeholders, in all 10 curated languages."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.safety import emergency_text
from nlu.taxonomy import load_taxonomy
from translations.catalog import LOCALE_DIR, LRI, PDI, translator

LANGUAGES = load_taxonomy().languages
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def catalog(language: str):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "familybot.po").open("rb") as handle:
        return read_po(handle)


def template_ids() -> set[str]:
    with (LOCALE_DIR / "familybot.pot").open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def test_template_is_up_to_date_with_the_code(tmp_path):
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "translations/babel.cfg",
         "-k", "N_", "--no-location", "-o", str(fresh), "."],
        check=True, capture_output=True, cwd=Path(__file__).resolve().parents[2],
    )
    with fresh.open("rb") as handle:
        in_code = {m.id for m in read_po(handle) if m.id}
    assert in_code == template_ids(), "run the extract command in README (Adding or changing a message)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    messages = {m.id: m.string for m in catalog(language) if m.id}
    missing = sorted(template_ids() - {k for k, v in messages.items() if v})
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_are_kept(language):
    wrong = [m.id for m in catalog(language)
             if m.id and set(PLACEHOLDER.findall(m.id)) != set(PLACEHOLDER.findall(m.string))]
    assert wrong == []


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_messages_are_really_translated(language):
    same = [m.id for m in catalog(language) if m.id and m.string == m.id and len(m.id) > 12]
    assert same == []


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_phone_numbers_stay_left_to_right_in_rtl_languages(language):
    text = emergency_text(language)
    assert f"{LRI}1-800-668-6868{PDI}" in text
    assert re.search(r"[\u0600-\u06ff]", text), "the text itself is in Arabic script"


def test_missing_language_falls_back_to_english_source():
    assert translator("sw").gettext("Food") == "Food"
