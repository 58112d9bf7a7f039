"""Danger comes first: detect it in any language and lead with emergency numbers.

Detection does not rely on the intent model alone: a lexicon of danger phrases in
every curated language (`content/danger_words.yml`) catches messages the model
misses or that mostly ask something else.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from nlu.normalize import normalize
from translations.catalog import N_, ltr, translator

CONTENT_DIR = Path(__file__).with_name("content")

# How each line is introduced; `{voice}` and `{text}` come from emergency.yml.
LINE_MESSAGES = {
    "911": N_("If you or a child are in danger now, call {voice}."),
    "988": N_("Thoughts of suicide: call or text {voice}, day and night."),
    "tel-jeunes": N_("Tel-Jeunes, for young people and parents: call {voice} or text {text}."),
    "kids-help-phone": N_("Kids Help Phone: call {voice} or text {text}, day and night."),
    "sos-violence-conjugale": N_("Violence at home: SOS violence conjugale, {voice}, day and night."),
    "info-social-811": N_("To talk to a social worker now: call {voice} (Info-Social)."),
}
CLOSING = N_("You are not alone. You can keep writing to me.")
_WORD = re.compile(r"\w")
_NON_WORD = re.compile(r"\W")


@dataclass(frozen=True)
class EmergencyLine:
    """A published emergency number, with where it comes from."""

    id: str
    name: str
    voice: str
    text: str | None
    source: str
    verified_on: dt.date


@cache
def emergency_lines(path: Path = CONTENT_DIR / "emergency.yml") -> tuple[EmergencyLine, ...]:
    """The emergency lines, in the order they are shown."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lines = tuple(
        EmergencyLine(
            id=str(item["id"]), name=item["name"], voice=str(item["voice"]),
            text=str(item["text"]) if item.get("text") else None,
            source=item["source"], verified_on=item["verified_on"],
        )
        for item in data["lines"]
    )
    missing = {line.id for line in lines} - set(LINE_MESSAGES)
    if missing:
        raise ValueError(f"{path}: no message for emergency line(s) {sorted(missing)}")
    return lines


class DangerDetector:
    """Finds danger phrases of any curated language in a message."""

    def __init__(self, phrases: dict[str, list[str]]):
        # Phrases by their first two characters: every message is checked, and one big
        # alternation regex tried every phrase at every position (measured: 0.6 ms a message).
        self._by_start: dict[str, tuple[str, ...]] = {}
        for lang, items in phrases.items():
            if lang == "zh":
                continue
            for phrase in items:
                folded = normalize(phrase).strip()
                if folded:
                    self._by_start[folded[:2]] = (*self._by_start.get(folded[:2], ()), folded)
        self._substrings = tuple(normalize(p).strip() for p in phrases.get("zh", []) if p.strip())

    @classmethod
    def from_file(cls, path: Path = CONTENT_DIR / "danger_words.yml") -> DangerDetector:
        """Load the lexicon maintained by staff."""
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls({lang: list(items or []) for lang, items in data["languages"].items()})

    def matches(self, text: str) -> bool:
        """True when `text` contains a danger phrase in any language, as whole words."""
        norm = " ".join(normalize(text).split())
        if any(s in norm for s in self._substrings):
            return True
        # Phrases start where a word may start: at the beginning, or after a non-word character.
        starts = [0] + [m.end() for m in _NON_WORD.finditer(norm)]
        for start in starts:
            candidates = self._by_start.get(norm[start : start + 2], ()) + self._by_start.get(norm[start : start + 1], ())
            for phrase in candidates:
                if norm.startswith(phrase, start) and not _WORD.match(norm, start + len(phrase)):
                    return True
        return False


def emergency_text(language: str) -> str:
    """The emergency numbers, in `language`, one per line."""
    _ = translator(language).gettext
    lines = []
    for line in emergency_lines():
        message = _(LINE_MESSAGES[line.id])
        lines.append(message.format(voice=ltr(line.voice, language), text=ltr(line.text or "", language)))
    lines.append(_(CLOSING))
    return "\n".join(lines)
