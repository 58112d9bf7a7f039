"""The curated seed: every need covered, every text in every language, every fact cited."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from nlu.taxonomy import load_taxonomy
from resources_db.formats import seed
from resources_db.schema import TEXT_FIELDS

BUNDLE = seed.read()
LANGUAGES = load_taxonomy().languages


def test_at_least_forty_resources():
    assert len(BUNDLE.services) >= 40


@pytest.mark.parametrize("need", load_taxonomy().resource_needs)
def test_every_need_has_at_least_two_services(need):
    assert len([s for s in BUNDLE.services if need in s.needs]) >= 2


def test_every_service_has_every_text_in_all_ten_languages():
    assert BUNDLE.missing_texts(LANGUAGES) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_texts_are_curated_and_in_the_right_script(language):
    scripts = {"ar": r"[\u0600-\u06ff]", "fa": r"[\u0600-\u06ff]", "zh": r"[\u4e00-\u9fff]",
               "uk": r"[\u0400-\u04ff]"}
    for service in BUNDLE.services:
        texts = service.texts[language]
        assert all(texts[f].status == "curated" for f in TEXT_FIELDS)
        if language in scripts:
            assert re.search(scripts[language], texts["description"].text), service.id


def test_descriptions_differ_between_languages():
    """A text copied into another language unchanged is a missing translation."""
    for service in BUNDLE.services:
        descriptions = [service.texts[lang]["description"].text for lang in LANGUAGES]
        assert len(set(descriptions)) == len(LANGUAGES), service.id


def test_every_fact_is_cited_and_recently_verified():
    for record in [*BUNDLE.organizations, *BUNDLE.services]:
        assert record.source.startswith("https://") or record.source.startswith("http://"), record.id
        assert record.verified_on <= dt.date.today()


def test_phone_numbers_in_texts_are_the_recorded_ones():
    """A number a family reads must be one the resource records, never invented in a translation."""
    recorded_numbers = {re.sub(r"\D", "", p.number) for s in BUNDLE.services for p in s.phones}
    for service in BUNDLE.services:
        own = {re.sub(r"\D", "", p.number) for p in service.phones}
        for language in LANGUAGES:
            for field in TEXT_FIELDS:
                text = service.texts[language][field].text
                for number in re.findall(r"(?:1[- .]?)?\d{3}[- .]\d{3}[- .]\d{4}|\b\d{6}\b", text):
                    digits = re.sub(r"\D", "", number)
                    assert digits in own or digits in recorded_numbers, (service.id, language, number)


@pytest.mark.parametrize("name", ["211", "Alloprof", "Tel-Jeunes", "YMCA", "souris", "Carrefour",
                                  "Maisons des jeunes", "Tables de quartier", "Info-Social", "988",
                                  "Jeunesse, J'écoute", "SOS violence conjugale", "Ligne Parents",
                                  "Francisation", "Allocation famille"])
def test_the_seed_documents_organizations_are_present(name):
    names = " ".join([o.name for o in BUNDLE.organizations] + [s.name for s in BUNDLE.services]
                     + [s.texts["fr"]["name"].text for s in BUNDLE.services])
    assert name.casefold() in names.casefold()
