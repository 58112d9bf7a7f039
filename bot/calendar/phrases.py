"""Find known words and phrases in what a family typed, in its language.

Phrases are matched on whole words after folding case and Latin accents; a phrase
whose last word ends in "*" matches words that start with it (Ukrainian cases,
French plurals). Chinese, written without spaces, is read one character at a time.
At each place in the text the longest phrase wins ("pasado mañana" over "mañana",
"دوشنبه" over "شنبه").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from nlu.normalize import normalize

_TOKEN = re.compile(r"[\u4e00-\u9fff]|[^\W\u4e00-\u9fff]+(?:['-][^\W\u4e00-\u9fff]+)*|[^\w\s]")


def tokens(text: str) -> list[str]:
    """Folded words of `text` (each Chinese character is a word)."""
    return _TOKEN.findall(normalize(text).replace("\u200c", " "))


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    meaning: str

    @classmethod
    def parse(cls, entry: str, meaning: str) -> Phrase:
        prefix = entry.strip().endswith("*")
        words = tokens(entry.strip().rstrip("*"))
        if not words:
            raise ValueError(f"empty phrase for {meaning!r}")
        if prefix:
            words[-1] += "*"
        return cls(tuple(words), meaning)

    def matches(self, text_tokens: list[str], start: int) -> bool:
        if start + len(self.words) > len(text_tokens):
            return False
        for offset, word in enumerate(self.words):
            token = text_tokens[start + offset]
            if not (token.startswith(word[:-1]) if word.endswith("*") else token == word):
                return False
        return True


class PhraseTable:
    """Phrases of one language, each with what it means."""

    def __init__(self, entries: Mapping[str, Iterable[str]]):
        phrases = [Phrase.parse(entry, meaning) for meaning, words in entries.items() for entry in words]
        self.phrases = tuple(sorted(phrases, key=lambda p: -sum(len(w) for w in p.words)))
        # Indexed by first word (or, for a prefix, its first letter), so that each place in the
        # text is checked against a handful of phrases rather than all of them: this runs on
        # every message a family sends. Ranks keep the longest-first order.
        self._by_word: dict[str, list[tuple[int, Phrase]]] = {}
        self._by_letter: dict[str, list[tuple[int, Phrase]]] = {}
        for rank, phrase in enumerate(self.phrases):
            first = phrase.words[0]
            if first.endswith("*"):
                self._by_letter.setdefault(first[:1], []).append((rank, phrase))
            else:
                self._by_word.setdefault(first, []).append((rank, phrase))

    def _candidates(self, token: str) -> list[Phrase]:
        ranked = self._by_word.get(token, []) + self._by_letter.get(token[:1], []) + self._by_letter.get("", [])
        return [phrase for _rank, phrase in sorted(ranked, key=lambda pair: pair[0])]

    def find(self, text: str) -> list[str]:
        """Meanings of the phrases found in `text`, left to right."""
        text_tokens, found, index = tokens(text), [], 0
        while index < len(text_tokens):
            for phrase in self._candidates(text_tokens[index]):
                if phrase.matches(text_tokens, index):
                    found.append(phrase.meaning)
                    index += len(phrase.words)
                    break
            else:
                index += 1
        return found
