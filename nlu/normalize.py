"""Length-preserving text normalization for classification.

Parents type without accents, in capitals, with Arabic or Persian letter variants.
Folding those differences away lets a few examples cover many spellings. Each
character maps to exactly one character, so entity offsets found in the normalized
text are valid in the original.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Arabic-script letters that families type interchangeably.
_ARABIC_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ی", "ئ": "ی", "ؤ": "و", "ة": "ه",
    # Persian and Arabic keyboards give different code points for the same letters.
    "ي": "ی", "ك": "ک", "ە": "ه",
    # Eastern Arabic and Persian digits become ASCII digits.
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
    "\u200c": " ",  # zero-width non-joiner (Persian half-space)
}
_APOSTROPHES = {"’": "'", "ʼ": "'", "`": "'", "´": "'"}
# Vietnamese đ does not decompose, but phones without diacritics type it as d.
_LATIN_EXTRA = {"đ": "d", "Đ": "d", "ß": "s", "ø": "o", "ł": "l"}


@lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    if char in _ARABIC_FOLD:
        return _ARABIC_FOLD[char]
    if char in _APOSTROPHES:
        return "'"
    if char in _LATIN_EXTRA:
        return _LATIN_EXTRA[char]
    lower = char.lower()
    if len(lower) != 1:
        return char
    if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}:
        return " "
    decomposed = unicodedata.normalize("NFD", lower)
    base = decomposed[0]
    # Keep non-Latin scripts whole (e.g. Ukrainian й, ї would lose their meaning).
    # Strip accents from Latin letters only: Cyrillic й or ї would change meaning.
    if ord(base) < 0x0250:
        return base
    return lower


def normalize(text: str) -> str:
    """Lowercase, strip Latin accents and fold script variants; same length as `text`."""
    return "".join(_fold(char) for char in text)
