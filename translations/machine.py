"""Machine translation for languages we do not curate: cached, reviewable, never blocking.

deep-translator has no timeout of its own, so every call runs in a worker thread and
is abandoned after `timeout` seconds. Results are stored in the `translation` table
with status `machine`, where staff can review them; a cached text is never requested
twice. After `failure_limit` failures in a row the circuit opens for `cooldown`
seconds and the bot answers in French and English without waiting.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Protocol

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from resources_db.database import transaction
from resources_db.models import Translation, TranslationStatus
from resources_db.store import set_text

log = logging.getLogger(__name__)

MESSAGE_ENTITY = "message"


class Provider(Protocol):
    """Anything that translates text: a deep-translator engine or a test fake."""

    def translate(self, text: str, source: str, target: str) -> str: ...


class DeepTranslatorProvider:
    """Adapter over deep-translator's engines (`google`, `mymemory`, `libre`…)."""

    def __init__(self, name: str):
        from deep_translator import GoogleTranslator, LibreTranslator, MyMemoryTranslator

        engines = {"google": GoogleTranslator, "mymemory": MyMemoryTranslator, "libre": LibreTranslator}
        if name not in engines:
            raise ValueError(f"unknown TRANSLATION_PROVIDER {name!r}; use none, {', '.join(engines)}")
        self._engine = engines[name]

    def translate(self, text: str, source: str, target: str) -> str:
        return self._engine(source=source, target=target).translate(text)


class CircuitBreaker:
    """Stops calling a failing provider for a while."""

    def __init__(self, failure_limit: int = 3, cooldown: float = 60.0,
                 clock: Callable[[], float] = time.monotonic):
        self.failure_limit, self.cooldown, self._clock = failure_limit, cooldown, clock
        self._failures, self._opened_at = 0, None

    @property
    def open(self) -> bool:
        """True while calls should not be attempted."""
        if self._opened_at is None:
            return False
        if self._clock() - self._opened_at >= self.cooldown:
            self._opened_at, self._failures = None, self.failure_limit - 1  # one trial call
            return False
        return True

    def record(self, success: bool) -> None:
        """Count a call's outcome."""
        if success:
            self._failures = 0
            return
        self._failures += 1
        if self._failures >= self.failure_limit:
            self._opened_at = self._clock()


class MachineTranslator:
    """Translate bot text into a non-curated language, through the cache."""

    def __init__(self, engine: Engine, provider: Provider | None, timeout: float = 3.0,
                 breaker: CircuitBreaker | None = None):
        self._engine = engine
        self._provider = provider
        self._timeout = timeout
        self._breaker = breaker or CircuitBreaker()
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="translate")

    @property
    def available(self) -> bool:
        """True when a provider is configured and its circuit is closed."""
        return self._provider is not None and not self._breaker.open

    def translate(self, text: str, target: str, source: str = "en") -> str | None:
        """The cached or fresh translation of `text`, or None if it cannot be had in time."""
        key = hashlib.sha256(f"{source}:{text}".encode()).hexdigest()[:32]
        cached = self._cached(key, target)
        if cached is not None:
            return cached
        if not self.available:
            return None
        future = self._pool.submit(self._provider.translate, text, source, target)
        try:
            result = future.result(timeout=self._timeout)
        except FutureTimeout:
            log.warning("Translation to %s timed out after %.1fs", target, self._timeout)
            self._breaker.record(False)
            return None
        except Exception as exc:  # noqa: BLE001 - any provider failure means: answer without it
            log.warning("Translation to %s failed: %s", target, type(exc).__name__)
            self._breaker.record(False)
            return None
        self._breaker.record(bool(result))
        if not result:
            return None
        with transaction(self._engine) as session:
            # The source is kept beside the translation so that staff can review both.
            if self._cached(key, source, session) is None:
                set_text(session, MESSAGE_ENTITY, key, "text", source, text,
                         TranslationStatus.curated, "familybot")
            set_text(session, MESSAGE_ENTITY, key, "text", target, result,
                     TranslationStatus.machine, "machine-translation")
        return result

    def _cached(self, key: str, language: str, session: Session | None = None) -> str | None:
        if session is None:
            with transaction(self._engine) as own_session:
                return self._cached(key, language, own_session)
        return session.scalar(
            select(Translation.text).where(
                Translation.entity_type == MESSAGE_ENTITY, Translation.entity_id == key,
                Translation.field == "text", Translation.language == language,
            )
        )
