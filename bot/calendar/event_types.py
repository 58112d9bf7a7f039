"""The kinds of school dates the bot understands, and how an .ics event is classified.

The keywords live in `event_types.yml` (see its header for the rule); this module
only applies them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from nlu.normalize import normalize
from translations.catalog import N_

RULES_FILE = Path(__file__).with_name("event_types.yml")
OTHER = "other"
#: Every kind, with its label as families read it (translated through the catalogs).
LABELS: dict[str, str] = {
    "first_day": N_("First day of school"),
    "last_day": N_("Last day of school"),
    "pedagogical_day": N_("Pedagogical day"),
    "holiday": N_("Holiday"),
    "break": N_("School break"),
    "report_card": N_("Report card"),
    "parent_meeting": N_("Parent–teacher meeting"),
    "registration_deadline": N_("Registration deadline"),
    OTHER: N_("School event"),
}
KINDS = tuple(LABELS)
#: Days without classes for the students.
NO_SCHOOL = frozenset({"pedagogical_day", "holiday", "break"})


class RulesError(ValueError):
    """The keyword file is not what this module expects."""


@cache
def rules(path: Path = RULES_FILE) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(kind, normalized keywords) in priority order, validated."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise RulesError(f"{path}: expected a mapping of event type to keywords")
    unknown = set(data) - set(KINDS)
    if unknown:
        raise RulesError(f"{path}: unknown event type(s) {sorted(unknown)}; known: {list(KINDS)}")
    ordered = []
    for kind, words in data.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise RulesError(f"{path}: {kind} must be a list of keywords")
        ordered.append((kind, tuple(normalize(w.strip()) for w in words)))
    return tuple(ordered)


def classify(summary: str, categories: list[str] | tuple[str, ...] = ()) -> str:
    """The kind of an event, from its CATEGORIES first, then its SUMMARY."""
    for text in [*categories, summary]:
        folded = normalize(text.strip())
        if folded.replace(" ", "_") in LABELS:
            return folded.replace(" ", "_")
        for kind, words in rules():
            if any(word in folded for word in words):
                return kind
    return OTHER
