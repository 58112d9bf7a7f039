"""Short replies the bot understands without the intent model.

Numbers pick an offered option; MORE (in any curated language) pages on; carrier
keywords (STOP, START, HELP and their French forms) are honoured on every channel;
a language's name switches to it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from nlu.normalize import normalize
from nlu.taxonomy import load_taxonomy
from translations.catalog import N_, translator

CONTENT_DIR = Path(__file__).with_name("content")
MORE_WORD = N_("MORE")
STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "arret", "arrete"})
START_WORDS = frozenset({"start", "unstop", "yes", "debut", "commencer"})
HELP_WORDS = frozenset({"help", "aide", "info"})
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_OPTION = re.compile(r"^\s*#?(\d{1,2})\s*[.)]?\s*$")


def _bare(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", normalize(text)).split())


def option_number(text: str) -> int | None:
    """`2`, `2.`, `#2`, `٢` → 2; anything else → None."""
    match = _OPTION.match(normalize(text))
    return int(match.group(1)) if match else None


@cache
def _more_words() -> frozenset[str]:
    words = {"more", "plus", "mas", "mais"}
    words.update(_bare(translator(lang).gettext(MORE_WORD)) for lang in load_taxonomy().languages)
    return frozenset(words)


def is_more(text: str) -> bool:
    """True for MORE, PLUS, MÁS, 更多… alone."""
    return _bare(text) in _more_words()


def carrier_keyword(text: str) -> str | None:
    """`stop`, `start` or `help` when the whole message is such a keyword."""
    bare = _bare(text)
    if bare in STOP_WORDS:
        return "stop"
    if bare in START_WORDS - {"yes"}:
        return "start"
    if bare in HELP_WORDS:
        return "help"
    return None


@cache
def language_names() -> dict[str, dict]:
    """The language-name table from `content/language_names.yml`."""
    data = yaml.safe_load((CONTENT_DIR / "language_names.yml").read_text(encoding="utf-8"))
    return data["languages"]


def native_name(code: str) -> str:
    """How a curated language names itself (for menus)."""
    return language_names()[code]["native"]


@cache
def _name_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    patterns = []
    for code, entry in language_names().items():
        names = sorted({_bare(n) for n in entry["names"]}, key=len, reverse=True)
        # Chinese is written without spaces, and Arabic glues prepositions to the name
        # ("بالإسبانية"): those names match inside a word.
        alternatives = "|".join(
            re.escape(n) if _CJK.search(n) or _ARABIC.search(n) else rf"(?<!\w){re.escape(n)}(?!\w)"
            for n in names if n
        )
        patterns.append((code, re.compile(alternatives)))
    return tuple(patterns)


def named_language(text: str) -> str | None:
    """The curated language named in `text` ("en espagnol svp" → es), if exactly one is."""
    bare = _bare(text)
    found = {code for code, pattern in _name_patterns() if pattern.search(bare)}
    return found.pop() if len(found) == 1 else None


@cache
def _all_names() -> dict[str, str]:
    return {_bare(name): code for code, entry in language_names().items() for name in entry["names"]}


def bare_language_name(text: str) -> str | None:
    """The language when the whole message is its name ("español", "Tiếng Việt")."""
    return _all_names().get(_bare(text))
