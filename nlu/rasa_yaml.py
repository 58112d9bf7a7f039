"""Read and write Rasa NLU training data (YAML format, version "3.1").

Only the `nlu:` intent blocks matter here; other Rasa keys (stories, rules,
synonyms, lookup tables) are ignored on read, so a Rasa project's files load as-is.
Entities use Rasa's inline syntax: `[15 ans](child_age)` or
`[15 ans]{"entity": "child_age"}`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from resources_db.validation import ContentError, load_yaml

RASA_VERSION = "3.1"
_ENTITY = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<short>[^)]+)\)|(?P<json>\{[^}]*\}))")


@dataclass(frozen=True)
class Entity:
    """An entity span in an example's plain text."""

    start: int
    end: int
    value: str
    entity: str


@dataclass(frozen=True)
class Example:
    """One training example: plain text, its intent and its entities."""

    text: str
    intent: str
    entities: tuple[Entity, ...] = field(default=())

    def to_markup(self) -> str:
        """The example in Rasa's inline entity syntax."""
        out, cursor = [], 0
        for ent in sorted(self.entities, key=lambda e: e.start):
            out.append(self.text[cursor : ent.start])
            out.append(f"[{self.text[ent.start : ent.end]}]({ent.entity})")
            cursor = ent.end
        out.append(self.text[cursor:])
        return "".join(out)


def parse_markup(line: str, intent: str) -> Example:
    """Turn `I need help for my [8 year old](child_age)` into an Example (ValueError if malformed)."""
    text_parts: list[str] = []
    entities: list[Entity] = []
    cursor, length = 0, 0
    for match in _ENTITY.finditer(line):
        before = line[cursor : match.start()]
        text_parts.append(before)
        length += len(before)
        value = match["text"]
        name = match["short"].split(":")[0].strip() if match["short"] else _json_entity(match[0], match["json"])
        entities.append(Entity(length, length + len(value), value, name))
        text_parts.append(value)
        length += len(value)
        cursor = match.end()
    text_parts.append(line[cursor:])
    return Example("".join(text_parts).strip(), intent, tuple(_shift(entities, "".join(text_parts))))


def _json_entity(markup: str, spec: str) -> str:
    """The entity name of `[text]{"entity": "name"}`; a ValueError saying what is wrong otherwise."""
    try:
        data = json.loads(spec)
    except json.JSONDecodeError as exc:
        raise ValueError(f"entity {markup!r} is not valid JSON ({exc.msg})") from exc
    name = data.get("entity") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f'entity {markup!r} needs a name: {{"entity": "child_age"}}')
    return name.strip()


def _shift(entities: list[Entity], raw: str) -> list[Entity]:
    # `.strip()` on the text moves offsets left by the leading whitespace removed.
    offset = len(raw) - len(raw.lstrip())
    return [Entity(e.start - offset, e.end - offset, e.value, e.entity) for e in entities]


def read_examples(path: Path) -> list[Example]:
    """Read every intent example of one Rasa NLU YAML file."""
    data, lines = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("nlu", []), list):
        raise ContentError.single(path, "line 1", "expected a Rasa NLU file with an 'nlu:' list")
    examples: list[Example] = []
    for index, block in enumerate(data.get("nlu") or []):
        if not isinstance(block, dict) or "intent" not in block:
            continue  # synonyms, regexes and lookup tables are not intents
        where = f"line {lines.get(('nlu', index), '?')}"
        intent = block["intent"]
        raw = block.get("examples")
        if not isinstance(intent, str) or not isinstance(raw, str):
            raise ContentError.single(path, where, "an intent needs a name and an 'examples: |' block")
        for item in raw.splitlines():
            item = item.strip()
            if not item:
                continue
            if not item.startswith("- "):
                raise ContentError.single(path, where, f"example {item!r} must start with '- '")
            try:
                example = parse_markup(item[2:], intent)
            except ValueError as exc:
                raise ContentError.single(path, where, str(exc)) from exc
            if example.text:
                examples.append(example)
    return examples


def read_folder(folder: Path) -> list[Example]:
    """Read every `*.yml` file in a folder, in name order."""
    return [ex for path in sorted(folder.glob("*.yml")) for ex in read_examples(path)]


def write_examples(examples: Iterable[Example], path: Path) -> None:
    """Write examples as a Rasa NLU file, intents in first-seen order."""
    by_intent: dict[str, list[str]] = {}
    for example in examples:
        by_intent.setdefault(example.intent, []).append(example.to_markup())
    blocks = [
        {"intent": intent, "examples": "".join(f"- {line}\n" for line in lines)}
        for intent, lines in by_intent.items()
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.dump({"version": RASA_VERSION, "nlu": blocks}, Dumper=_BlockDumper,
                  allow_unicode=True, sort_keys=False, width=1000),
        encoding="utf-8",
    )


class _BlockDumper(yaml.SafeDumper):
    """Writes multi-line strings as `|` blocks, the way Rasa files look."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str_representer)
