"""How many SMS segments a text costs, and how to cut it into affordable parts.

GSM-7 texts fit 160 characters in one segment and 153 per segment when split; a
single character outside GSM-7 (Arabic, Chinese, most accents beyond French's, an
emoji) turns the whole message into UCS-2: 70, then 67 per segment. Carriers bill
per segment, and families on prepaid plans pay for what we send.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.channels.text_split import cut_point

_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")  # each costs two septets


@dataclass(frozen=True)
class SegmentCount:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int


# Regular expressions scan in C: a long answer is measured several times while it is cut.
_NOT_GSM7 = re.compile("[^" + re.escape("".join(sorted(_GSM_BASIC | _GSM_EXTENDED))) + "]")


def is_gsm7(text: str) -> bool:
    """True when every character has a GSM-7 encoding."""
    return _NOT_GSM7.search(text) is None


_TYPOGRAPHY = {"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-",
               "…": "...", "\u00a0": " ", "\u202f": " ", "•": "-", "\u2066": "", "\u2069": ""}
#: Languages whose accents may be dropped on SMS without losing meaning (as phones often do).
SMART_ENCODING_LANGUAGES = frozenset({"fr", "en", "es", "pt", "ht"})
_TYPOGRAPHY_TABLE = str.maketrans(_TYPOGRAPHY)


def smart_encode(text: str, language: str) -> str:
    """Replace characters that would force UCS-2 by their GSM-7 look-alikes, where harmless.

    Like Twilio's Smart Encoding: typographic quotes and dashes everywhere; accents
    outside GSM-7 (í, ó, ç, ê…) in French, English, Spanish, Portuguese and Haitian
    Creole, which then cost 153 characters per segment instead of 67.
    """
    text = text.translate(_TYPOGRAPHY_TABLE)
    if language not in SMART_ENCODING_LANGUAGES:
        return text
    return _NOT_GSM7.sub(_gsm7_look_alike, text)


def _gsm7_look_alike(match: re.Match[str]) -> str:
    base = unicodedata.normalize("NFD", match.group())[0]
    return base if base in _GSM_BASIC else match.group()


def count_segments(text: str) -> SegmentCount:
    """The encoding and number of segments `text` needs."""
    if is_gsm7(text):
        units = len(text) + sum(text.count(c) for c in _GSM_EXTENDED)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    segments = 1 if units <= single else -(-units // multi)
    return SegmentCount(encoding, units, segments if units else 0)


def split_for_sms(text: str, max_segments: int = 3, reserve: int = 0) -> list[str]:
    """Cut `text` into parts of at most `max_segments` segments each, at line or word ends.

    `reserve` keeps room (in characters) in every part but the last for a "reply MORE" line.
    """
    parts: list[str] = []
    remaining = text.strip()
    while remaining:
        if count_segments(remaining).segments <= max_segments:
            parts.append(remaining)
            break
        limit = _capacity(remaining, max_segments) - reserve
        part = remaining[: cut_point(remaining, limit)]
        while count_segments(part).segments > max_segments and limit > 20:
            limit -= 10  # two-septet characters (€, [, ]) took more room than counted
            part = remaining[: cut_point(remaining, limit)]
        parts.append(part.rstrip())
        remaining = remaining[len(part):].strip()
    return parts


def _capacity(text: str, max_segments: int) -> int:
    per = 153 if is_gsm7(text) else 67
    return max(per * max_segments - 4, 20)
