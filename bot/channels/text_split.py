"""Where to cut a long text so that each piece still reads well."""

from __future__ import annotations

#: Preferred cut points, best first: a paragraph, a line, a sentence, a word.
SEPARATORS = ("\n\n", "\n", ". ", " ")


def cut_point(text: str, limit: int) -> int:
    """The index to cut `text` at so the first piece is at most `limit` characters.

    A boundary in the last two thirds of the piece wins; only a text without one
    is cut mid-word.
    """
    if len(text) <= limit:
        return len(text)
    for separator in SEPARATORS:
        index = text.rfind(separator, 0, limit)
        if index > limit // 3:
            return index + len(separator)
    return limit
