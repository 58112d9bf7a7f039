"""Parse a message into a Rasa-shaped result: language, intent, ranking, entities."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from nlu.language_id import LanguageIdentifier
from nlu.normalize import normalize
from nlu.taxonomy import FALLBACK_INTENT, load_taxonomy
from nlu.components import ENTITY_COMPONENT  # also registers the components spaCy loads
from nlu.training import (
    DATA_DIR,
    LANGID_FILE,
    DomainLanguageModel,
    model_is_current,
    train_language,
    train_language_id,
)

log = logging.getLogger(__name__)

#: Longer messages are classified on their beginning: that is where the ask is.
MAX_CHARS = 1000

ParseResult = dict[str, Any]
#: No word of any language is this long (Chinese, written without spaces, aside).
_NOT_A_WORD = re.compile(r"[^\s\u4e00-\u9fff]{41,}")


def _readable(text: str) -> bool:
    """False for text with nothing but keyboard mashing ("xxxxxxxx…") and spaces."""
    return bool(_NOT_A_WORD.sub(" ", text).strip())


class NluParser:
    """Loads each language's model on first use, training it first if it is missing."""

    def __init__(self, model_dir: Path, threshold: float = 0.15, data_dir: Path = DATA_DIR,
                 staff_dir: Path | None = None):
        self.model_dir = model_dir
        self.threshold = threshold
        self.data_dir = data_dir
        #: Examples staff added from conversations (`<staff_dir>/<language>/*.yml`), trained with the rest.
        self.staff_dir = staff_dir
        self._curated = load_taxonomy().languages
        self._pipelines: dict[str, Language] = {}
        self._identifier: LanguageIdentifier | None = None
        self._lock = threading.Lock()

    @property
    def identifier(self) -> LanguageIdentifier:
        """The language identifier, trained on first use if missing."""
        with self._lock:
            if self._identifier is None:
                path = self.model_dir / LANGID_FILE
                if model_is_current(None, self.model_dir, self.data_dir, self.staff_dir):
                    domain = DomainLanguageModel.load(path)
                else:
                    log.info("No language model in %s: training it now.", self.model_dir)
                    domain = train_language_id(self.model_dir, self.data_dir, self.staff_dir)
                self._identifier = LanguageIdentifier(domain, self._curated)
            return self._identifier

    def pipeline(self, language: str) -> Language:
        """The trained pipeline of a curated language, trained on first use if missing."""
        with self._lock:
            if language not in self._pipelines:
                path = self.model_dir / language
                if not model_is_current(language, self.model_dir, self.data_dir, self.staff_dir):
                    log.info("No current %s model in %s: training it now.", language, self.model_dir)
                    train_language(language, self.model_dir, self.data_dir, self.staff_dir)
                self._pipelines[language] = spacy.load(path)
            return self._pipelines[language]

    def reload(self, languages: Iterable[str]) -> None:
        """Use the models now on disk for `languages` and the language identifier, without a restart.

        The new models are read first, then swapped in under the lock: messages keep
        being answered by the old models while the new ones load.
        """
        pipelines = {language: spacy.load(self.model_dir / language) for language in languages}
        domain = DomainLanguageModel.load(self.model_dir / LANGID_FILE)
        with self._lock:
            self._pipelines.update(pipelines)
            self._identifier = LanguageIdentifier(domain, self._curated)

    def load_all(self) -> None:
        """Load (training where needed) every curated language, e.g. before serving."""
        self.identifier  # noqa: B018 - loads it
        for language in self._curated:
            self.pipeline(language)

    def parse(self, text: str, language: str | None = None) -> ParseResult:
        """Parse `text`; `language` skips identification when the caller knows it."""
        clean = text[:MAX_CHARS]
        guess_code, guess_confidence = (language, 1.0) if language else self._identify(clean)
        result: ParseResult = {
            "text": text,
            "intent": {"name": FALLBACK_INTENT, "confidence": 0.0},
            "intent_ranking": [],
            "entities": [],
            "language": {"code": guess_code, "confidence": guess_confidence},
        }
        if guess_code not in self._curated or not _readable(clean):
            # No model reads this language: a guess would be noise (translate it first).
            return result
        doc = self.pipeline(guess_code)(normalize(clean))
        ranking = sorted(doc.cats.items(), key=lambda item: item[1], reverse=True)
        result["intent_ranking"] = [
            {"name": str(name), "confidence": round(float(score), 4)} for name, score in ranking[:10]
        ]
        best, confidence = ranking[0]
        if confidence >= self.threshold and self._has_known_word(clean, guess_code):
            result["intent"] = {"name": str(best), "confidence": round(float(confidence), 4)}
        else:
            result["intent"] = {"name": FALLBACK_INTENT, "confidence": round(confidence, 4)}
        result["entities"] = [
            {
                "entity": ent.label_,
                "start": ent.start_char,
                "end": ent.end_char,
                "value": clean[ent.start_char : ent.end_char],
                "extractor": ENTITY_COMPONENT,
            }
            for ent in doc.ents
        ]
        return result

    def _has_known_word(self, text: str, language: str) -> bool:
        """False when no word of `text` is in our examples, even with a typo: we cannot have understood it."""
        if language == "zh":  # written without spaces: the character model decides alone
            return True
        return self.identifier.domain.knows_a_word(text, language)

    def _identify(self, text: str) -> tuple[str, float]:
        guess = self.identifier.identify(text)
        return guess.code, guess.confidence
