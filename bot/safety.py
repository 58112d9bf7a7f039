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
        self._latin_like = re.compile(
            "|".join(
                rf"(?<!\w){re.escape(normalize(p).strip())}(?!\w)"
                for lang, items in phrases.items() if lang != "zh"
                for p in items if p.strip()
            )
        )
        self._substrings = tuple(normalize(p).strip() for p in phrases.get("zh", []) if p.strip())

    @classmethod
    def from_file(cls, path: Path = CONTENT_DIR / "danger_words.yml") -> DangerDetector:
        """Load the lexicon maintained by staff."""
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls({lang: list(items or []) for lang, items in data["languages"].items()})

    def matches(self, text: str) -> bool:
        """True when `text` contains a danger phrase in any language."""
        norm = " ".join(normalize(text).split())
        return bool(self._latin_like.search(norm)) or any(s in norm for s in self._substrings)


def emergency_text(language: str) -> str:
    """The emergency numbers, in `language`, one per line."""
    _ = translator(language).gettext
    lines = []
    for line in emergency_lines():
        message = _(LINE_MESSAGES[line.id])
        lines.append(message.format(voice=ltr(line.voice, language), text=ltr(line.text or "", language)))
    lines.append(_(CLOSING))
    return "\n".join(lines)
