"""Staff edit the seed by hand: every mistake gets the file, the line and the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from resources_db.formats import seed
from resources_db.validation import ContentError

MINI_SEED = Path(__file__).parent / "data" / "mini_seed"


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seed"
    shutil.copytree(MINI_SEED, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(folder: Path) -> str:
    with pytest.raises(ContentError) as error:
        seed.read(folder)
    return str(error.value)


def test_valid_seed_loads(seed_copy):
    bundle = seed.read(seed_copy)
    assert [s.id for s in bundle.services] == ["kids-help-phone-line", "two-one-one-referral"]
    assert bundle.services[0].texts["fr"]["how_to_get"].text.startswith("Appelez")


def test_unknown_need_names_file_line_and_the_need(seed_copy):
    edit(seed_copy / "resources.yml", "needs: [food_aid, housing]", "needs: [food_aid, groceries]")
    message = problems(seed_copy)
    assert "resources.yml: line 32" in message
    assert "groceries" in message and "taxonomy" in message


def test_bad_phone_number(seed_copy):
    edit(seed_copy / "resources.yml", '"686868"', '"call us!"')
    message = problems(seed_copy)
    assert "resources.yml: line 22" in message and "is not a phone number" in message


def test_missing_organization(seed_copy):
    edit(seed_copy / "resources.yml", "organization: two-one-one\n", "organization: nobody\n")
    assert "organization 'nobody' does not exist" in problems(seed_copy)


def test_bad_date(seed_copy):
    edit(seed_copy / "resources.yml", "verified_on: 2026-11-23\n  - id: two-one-one", "verified_on: last week\n  - id: two-one-one")
    message = problems(seed_copy)
    assert "verified_on" in message and "line 8" in message


def test_empty_translation_points_at_the_language_file(seed_copy):
    edit(seed_copy / "i18n" / "fr.yml", "how_to_get: Composez le 2-1-1 et donnez votre code postal.", "how_to_get: ''")
    message = problems(seed_copy)
    assert "fr.yml: line 10" in message and "two-one-one-referral.how_to_get" in message


def test_translation_for_an_unknown_service(seed_copy):
    with (seed_copy / "i18n" / "en.yml").open("a", encoding="utf-8") as handle:
        handle.write("  ghost-service:\n    name: Ghost\n    description: x\n    how_to_get: y\n")
    assert "no service with this id in resources.yml" in problems(seed_copy)


def test_yaml_syntax_error(seed_copy):
    edit(seed_copy / "resources.yml", "needs: [mental_health, crisis]", "needs: [mental_health, crisis")
    assert "resources.yml: line" in problems(seed_copy)


def test_every_problem_is_listed_at_once(seed_copy):
    edit(seed_copy / "resources.yml", '"686868"', '"??"')
    edit(seed_copy / "resources.yml", "needs: [food_aid, housing]", "needs: [nope]")
    message = problems(seed_copy)
    assert message.startswith("2 problem(s) found, nothing was changed")
