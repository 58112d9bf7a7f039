"""Staff files in every format: any file is read or refused clearly, and texts survive a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resources_db.formats import read_any, write_any
from resources_db.schema import TextRecord
from resources_db.validation import ContentError

MINI_SEED = Path(__file__).parent / "data" / "mini_seed"
SUFFIX = {"yaml": "yml", "csv": "csv", "hsds-json": "json"}
FIXTURE_OK = [HealthCheck.function_scoped_fixture]

CSV_LIKE = st.lists(st.lists(st.sampled_from(["service_id", "organization_id", "needs", "food_aid", "x", '"', ",",
                                              ";", "a|b|c|d|e", "voice:", "MO:08:00-17:00", "", "é", "\r"]),
                             max_size=8).map(",".join), max_size=6).map("\n".join)
YAML_LIKE = st.lists(st.sampled_from(["organizations:", "services:", "- id: x", "  name: [", "  needs: food_aid",
                                      "  verified_on: 2026-13-01", "  - 3", "texts: {", "\t", "&a", "*a", "!!python/name:os.system",
                                      "version: 1"]), max_size=10).map("\n".join)


@pytest.mark.parametrize("suffix", ["csv", "yml", "json"])
@settings(max_examples=120, deadline=None, suppress_health_check=FIXTURE_OK)
@given(content=st.one_of(st.text(max_size=400), CSV_LIKE, YAML_LIKE, st.binary(max_size=200)))
def test_any_file_is_imported_or_refused_with_a_clear_error(tmp_path, suffix, content):
    path = tmp_path / f"import.{suffix}"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    try:
        read_any(path)
    except ContentError as error:
        assert str(error).strip()


FAMILY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300).filter(
    lambda text: TextRecord(text=text).text if text.strip() else False)


@pytest.mark.parametrize("fmt", ["yaml", "csv", "hsds-json"])
@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE_OK)
@given(text=FAMILY_TEXT)
def test_any_text_staff_write_survives_export_and_import(tmp_path, fmt, text):
    bundle = read_any(MINI_SEED)
    service = bundle.services[0]
    service.texts["en"]["description"] = TextRecord(text=text)  # as the form and every reader build it
    path = tmp_path / f"export.{SUFFIX[fmt]}"
    write_any(bundle, path, fmt)
    again = read_any(path)
    assert again.services[0].texts["en"]["description"].text == TextRecord(text=text).text, "as staff wrote it"


def test_an_impossible_date_in_yaml_is_refused_not_a_crash(tmp_path):
    """Found by fuzzing: PyYAML raised a bare ValueError for 2026-13-01."""
    path = tmp_path / "bad.yml"
    path.write_text("organizations:\n- id: x\n  verified_on: 2026-13-01\n", encoding="utf-8")
    with pytest.raises(ContentError, match="not valid YAML: month must be in 1..12"):
        read_any(path)


@pytest.mark.parametrize("text", ["Line one\r\nline two", "Ouvert\u2028lundi", "A\rB", "x\x1cy"])
def test_line_breaks_inside_a_csv_cell_survive(tmp_path, text):
    """Found by fuzzing: the CSV reader split rows at every line break, even inside quoted cells."""
    bundle = read_any(MINI_SEED)
    bundle.services[0].texts["en"]["description"] = TextRecord(text=text)
    path = tmp_path / "export.csv"
    write_any(bundle, path, "csv")
    # The cell stays one cell; its line breaks are the plain "\n" every text is stored with.
    assert read_any(path).services[0].texts["en"]["description"].text == text.replace("\r\n", "\n").replace(
        "\r", "\n").replace("\u2028", "\n")
