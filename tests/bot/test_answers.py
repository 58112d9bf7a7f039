"""Resource pages are cached per server process, and a staff change made anywhere is seen at once."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from bot.answers import ResourceAnswers
from resources_db.content_version import current_version
from resources_db.database import make_engine, transaction
from resources_db.models import Service, TranslationStatus
from resources_db.store import set_text


@pytest.fixture
def other_process_engine(seeded_engine):
    """A second engine on the same database: what another server process (or the admin CLI) uses."""
    engine = make_engine(seeded_engine.url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()


def first_card(answers: ResourceAnswers, language: str = "es"):
    cards, _total = answers.page("food_aid", [language, "fr", "en"], None, 0)
    return cards[0]


def test_a_text_staff_change_in_another_process_is_shown_at_the_next_question(seeded_engine, other_process_engine):
    answers = ResourceAnswers(seeded_engine)
    before = first_card(answers)
    assert first_card(answers) == before, "asked twice, same answer (from the cache)"
    with transaction(other_process_engine) as session:
        set_text(session, "service", before.id, "name", "es", "Banco de alimentos del barrio (nuevo horario)",
                 TranslationStatus.curated, "staff@example.org")
    assert first_card(answers).name == "Banco de alimentos del barrio (nuevo horario)"


def test_an_archived_resource_disappears_at_once(seeded_engine, other_process_engine):
    answers = ResourceAnswers(seeded_engine)
    cards, total = answers.page("food_aid", ["fr"], None, 0)
    with transaction(other_process_engine) as session:  # a bulk statement, not an object change
        session.execute(update(Service).where(Service.id == cards[0].id).values(status="inactive"))
    after, after_total = answers.page("food_aid", ["fr"], None, 0)
    assert after_total == total - 1
    assert cards[0].id not in [card.id for card in after]


def test_a_change_that_is_rolled_back_counts_for_nothing(seeded_engine, other_process_engine):
    """The counter moves in the change's own transaction: a failed import keeps every cache."""
    answers = ResourceAnswers(seeded_engine)
    before = first_card(answers, "fr")
    with transaction(seeded_engine) as session:
        version = current_version(session)
    with pytest.raises(RuntimeError), transaction(other_process_engine) as session:
        set_text(session, "service", before.id, "name", "fr", "Nom jamais enregistré",
                 TranslationStatus.curated, "staff@example.org")
        session.flush()
        assert current_version(session) == version + 1, "the change is counted inside its transaction"
        raise RuntimeError("the import failed half-way")
    with transaction(seeded_engine) as session:
        assert current_version(session) == version
    assert first_card(answers, "fr") == before


def test_conversations_do_not_empty_the_cache(seeded_engine, dialogue):
    """Only curated content counts as a change: families' messages are written all the time."""
    from bot.messages import IncomingMessage

    with transaction(seeded_engine) as session:
        version = current_version(session)
    dialogue.handle(IncomingMessage("web", "family-0001", "necesito comida para mis hijos"))
    with transaction(seeded_engine) as session:
        assert current_version(session) == version


@pytest.mark.parametrize("need", ["homework_help", "recreation", "food_aid"])
def test_every_age_and_page_gets_the_services_the_database_lists(seeded_engine, need):
    """The cache keeps a need's services once; the child's age and the page still choose among them."""
    from resources_db.queries import services_for_need

    answers = ResourceAnswers(seeded_engine)
    for age in (None, 4, 10, 16, 4, None):
        for offset in (0, 3):
            cards, total = answers.page(need, ["fr"], age, offset)
            with transaction(seeded_engine) as session:
                expected = [s.id for s in services_for_need(session, need, age)]
            assert total == len(expected)
            assert [card.id for card in cards] == expected[offset : offset + 3], (age, offset)
