"""Rasa NLU YAML goes in and comes out unchanged, entities included."""

from pathlib import Path

import pytest

from nlu.rasa_yaml import Entity, parse_markup, read_examples, write_examples
from resources_db.validation import ContentError

RASA_FILE = """\
version: "3.1"
nlu:
- intent: homework_help
  examples: |
    - mon fils de [10 ans](child_age) a besoin d'aide en maths
    - tutoring for [grade 3]{"entity": "grade"} please
    - aide aux devoirs
- synonym: montreal
  examples: |
    - mtl
- regex: postal_code
  examples: |
    - [A-Z]\\d[A-Z]
"""


def test_reads_intents_and_entities_and_skips_other_rasa_keys(tmp_path: Path):
    path = tmp_path / "nlu.yml"
    path.write_text(RASA_FILE, encoding="utf-8")
    examples = read_examples(path)
    assert [e.intent for e in examples] == ["homework_help"] * 3
    first = examples[0]
    assert first.text == "mon fils de 10 ans a besoin d'aide en maths"
    assert first.entities == (Entity(12, 18, "10 ans", "child_age"),)
    assert first.text[12:18] == "10 ans"
    assert examples[1].entities[0].entity == "grade"


def test_write_then_read_round_trips(tmp_path: Path):
    source = tmp_path / "in.yml"
    source.write_text(RASA_FILE, encoding="utf-8")
    examples = read_examples(source)
    target = tmp_path / "out.yml"
    write_examples(examples, target)
    assert read_examples(target) == examples
    assert 'version: "3.1"' in target.read_text(encoding="utf-8") or "version: '3.1'" in target.read_text(encoding="utf-8")
    assert "- mon fils de [10 ans](child_age) a besoin" in target.read_text(encoding="utf-8")


def test_markup_with_unicode_offsets():
    example = parse_markup("ابني عمره [15 سنة](child_age) ويحتاج مساعدة", "homework_help")
    start, end = example.entities[0].start, example.entities[0].end
    assert example.text[start:end] == "15 سنة"


def test_example_line_without_dash_is_an_error(tmp_path: Path):
    path = tmp_path / "bad.yml"
    path.write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    hello\n', encoding="utf-8")
    with pytest.raises(ContentError, match="bad.yml: line 3: example 'hello' must start with '- '"):
        read_examples(path)
