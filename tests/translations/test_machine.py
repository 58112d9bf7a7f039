"""Machine translation never hangs the bot, is cached for review, and fails over."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from resources_db.database import transaction
from resources_db.models import Translation, TranslationStatus
from translations.machine import CircuitBreaker, MachineTranslator


class FakeProvider:
    """Translates by tagging the text; can be told to hang or fail."""

    def __init__(self, hang: float = 0.0, fail: bool = False):
        self.calls: list[tuple[str, str, str]] = []
        self.hang, self.fail = hang, fail
        self.release = threading.Event()

    def translate(self, text: str, source: str, target: str) -> str:
        self.calls.append((text, source, target))
        if self.hang:
            self.release.wait(self.hang)
        if self.fail:
            raise ConnectionError("provider down")
        return f"[{target}] {text}"


def test_translation_is_cached_for_staff_review(engine):
    provider = FakeProvider()
    machine = MachineTranslator(engine, provider, timeout=1)
    assert machine.translate("Here is help for: Food.", target="tl") == "[tl] Here is help for: Food."
    assert machine.translate("Here is help for: Food.", target="tl") == "[tl] Here is help for: Food."
    assert len(provider.calls) == 1
    with transaction(engine) as session:
        rows = session.scalars(select(Translation).where(Translation.entity_type == "message")).all()
        statuses = {(r.language, r.status) for r in rows}
    assert ("tl", TranslationStatus.machine) in statuses
    assert ("en", TranslationStatus.curated) in statuses, "the source is kept for the reviewer"


def test_a_hanging_provider_is_abandoned_after_the_timeout(engine):
    provider = FakeProvider(hang=5)
    machine = MachineTranslator(engine, provider, timeout=0.2)
    started = time.perf_counter()
    assert machine.translate("Hello", target="so") is None
    assert time.perf_counter() - started < 1.0
    provider.release.set()


def test_repeated_failures_open_the_circuit(engine):
    provider = FakeProvider(fail=True)
    machine = MachineTranslator(engine, provider, timeout=1, breaker=CircuitBreaker(failure_limit=3, cooldown=60))
    for _ in range(5):
        assert machine.translate("Hello", target="tl") is None
    assert len(provider.calls) == 3
    assert not machine.available


def test_circuit_tries_again_after_the_cooldown():
    now = [0.0]
    breaker = CircuitBreaker(failure_limit=2, cooldown=30, clock=lambda: now[0])
    breaker.record(False)
    breaker.record(False)
    assert breaker.open
    now[0] = 31
    assert not breaker.open
    breaker.record(False)
    assert breaker.open, "one failed trial call re-opens it"


def test_no_provider_means_unavailable(engine):
    machine = MachineTranslator(engine, None)
    assert not machine.available
    assert machine.translate("Hello", target="tl") is None


@pytest.mark.parametrize("name", ["deepl-pro", "yandex"])
def test_unknown_provider_name_is_refused_clearly(name):
    from translations.machine import DeepTranslatorProvider

    with pytest.raises(ValueError, match="unknown TRANSLATION_PROVIDER"):
        DeepTranslatorProvider(name)
