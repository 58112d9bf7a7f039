"""Properties of the text readers the NLU relies on, for any input."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlu.normalize import normalize
from nlu.rasa_yaml import Example, parse_markup, read_examples, write_examples
from resources_db.validation import ContentError

PLAIN = st.text(alphabet=st.characters(blacklist_characters="[](){}\n\r\x85\u2028\u2029",
                                       blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200))
def test_normalize_keeps_the_length_so_entity_offsets_stay_valid(text):
    assert len(normalize(text)) == len(text)


@settings(max_examples=200, deadline=None)
@given(before=PLAIN, value=PLAIN, after=PLAIN, name=st.text(alphabet=string.ascii_lowercase + "_", min_size=1,
                                                            max_size=12))
def test_entity_markup_gives_offsets_into_the_plain_text(before, value, after, name):
    example = parse_markup(f"{before}[{value}]({name}){after}", "need")
    entity, = example.entities
    assert example.text[entity.start:entity.end] == value
    assert entity.entity == name


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(PLAIN.map(str.strip).filter(bool), min_size=1, max_size=5),
       intent=st.sampled_from(["food_aid", "greet", "homework_help"]))
def test_written_examples_read_back_identically(tmp_path, texts, intent):
    path = tmp_path / "roundtrip.yml"
    examples = [Example(text, intent) for text in texts]
    write_examples(examples, path)
    assert read_examples(path) == examples


EXAMPLE_LINE = st.lists(st.sampled_from(list('ab é[](){}":,- #|>\'\t') + ["entity", "child_age", '"entity"']),
                        max_size=20).map("".join)
RASA_FILE = st.lists(EXAMPLE_LINE, min_size=1, max_size=6).map(
    lambda lines: "nlu:\n- intent: greet\n  examples: |\n" + "".join(f"    - {line}\n" for line in lines))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(RASA_FILE, st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
                         st.lists(st.sampled_from(["nlu:", "- intent: greet", "  examples: |", "    - hi",
                                                   "    - [x]{bad json}", "    - [x]{\"entity\": 3}", "version: 3",
                                                   "  - intent: [a]", "    hello", "\t", "- synonym: x"]),
                                  max_size=12).map("\n".join)))
def test_any_file_is_read_or_refused_with_a_content_error(tmp_path, content):
    path = tmp_path / "fuzz.yml"
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    try:
        examples = read_examples(path)
    except ContentError as error:
        assert str(error)
    else:
        assert all(isinstance(e.text, str) and e.text for e in examples)


@pytest.mark.parametrize("line", ["- [Montréal]{not json}", '- [x]{"entity": [1]}', '- [x]{"entity": }'])
def test_broken_inline_entity_json_is_a_content_error(tmp_path: Path, line: str):
    path = tmp_path / "bad.yml"
    path.write_text(f"nlu:\n- intent: greet\n  examples: |\n    {line}\n", encoding="utf-8")
    with pytest.raises(ContentError, match="line 2"):
        read_examples(path)
