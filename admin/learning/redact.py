"""Hide personal details in family messages before staff see them or train on them."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: Seven digits or more, possibly split by spaces, dots, dashes or brackets: phone, SIN, card numbers.
_DIGIT_RUN = re.compile(r"\+?\(?\d(?:[\s().-]{0,2}\d){6,}")
#: Canadian postal codes (H2X 1Y4) point at a home.
_POSTAL_CODE = re.compile(r"\b[A-Za-z]\d[A-Za-z][ -]?\d[A-Za-z]\d\b")
#: Shorter digit runs (5-6) are account or file numbers more often than anything useful.
_SHORT_RUN = re.compile(r"(?<!\d)\d{5,6}(?!\d)")


def redact(text: str) -> str:
    """`text` with emails, phone-like numbers, postal codes and long digit runs replaced by labels."""
    text = _EMAIL.sub("(email)", text)
    text = _DIGIT_RUN.sub("(number)", text)
    text = _POSTAL_CODE.sub("(postal code)", text)
    return _SHORT_RUN.sub("(number)", text)
