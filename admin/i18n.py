"""The admin pages' own words, in English (the source) and French (admin/locales/fr).

Staff pick their language; templates call `_("English text")` and Python code marks
messages with `N_`. Catalogs are gettext `.po` files read with Babel, so the usual
tools extract and update them (see the README's admin section).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).with_name("locales")
DOMAIN = "admin"
#: The languages of the admin pages; the first is the default.
LANGUAGES = ("fr", "en")
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}

Gettext = Callable[[str], str]


@cache
def _catalog(language: str) -> dict[str, str]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


def gettext_for(language: str) -> Gettext:
    """A `_` function for `language`; untranslated messages stay in English."""
    catalog = _catalog(language if language in LANGUAGES else LANGUAGES[0])
    return lambda message: catalog.get(message, message)


def pick_language(*candidates: str | None) -> str:
    """The first candidate that is an admin language, else French.

    Candidates may be Accept-Language headers ("en-CA,en;q=0.9"): their first tag counts.
    """
    for candidate in candidates:
        if not candidate:
            continue
        code = candidate.split(",")[0].split(";")[0].split("-")[0].strip().lower()
        if code in LANGUAGES:
            return code
    return LANGUAGES[0]


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a message for extraction; translate it later with the page's `_`."""
    return message
