"""The taxonomy contract: curated languages and intent names.

`taxonomy.yml` is a copy of the project-wide contract (`shared/taxonomy.yml`);
a test keeps the two identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

TAXONOMY_PATH = Path(__file__).with_name("taxonomy.yml")

#: Intent returned when the classifier is not sure enough to answer.
FALLBACK_INTENT = "nlu_fallback"


@dataclass(frozen=True)
class Taxonomy:
    """The languages and intents the bot is contracted to handle."""

    languages: tuple[str, ...]
    needs: dict[str, str]
    conversation: dict[str, str]

    @property
    def intents(self) -> tuple[str, ...]:
        """Every intent name, needs first."""
        return tuple(self.needs) + tuple(self.conversation)

    @property
    def resource_needs(self) -> tuple[str, ...]:
        """Needs answered from the resource database (the calendar answers school_calendar)."""
        return tuple(n for n in self.needs if n != "school_calendar")


@cache
def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    """Read the taxonomy file once."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Taxonomy(
        languages=tuple(data["languages"]["curated"]),
        needs=dict(data["needs"]),
        conversation=dict(data["conversation"]),
    )
