"""Our copy of the taxonomy is the project-wide contract, unchanged."""

from pathlib import Path

import pytest

from nlu.rasa_yaml import read_folder
from nlu.taxonomy import TAXONOMY_PATH, load_taxonomy
from nlu.training import DATA_DIR

SHARED = Path(__file__).resolve().parents[2] / "shared" / "taxonomy.yml"


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ is not beside this checkout")
def test_copy_matches_the_shared_contract():
    assert TAXONOMY_PATH.read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8")


@pytest.mark.parametrize("language", load_taxonomy().languages)
def test_training_data_uses_exactly_the_contract_intents(language):
    intents = {e.intent for e in read_folder(DATA_DIR / language)}
    assert intents == set(load_taxonomy().intents)
