"""gettext catalogs of every bot message, one per curated language.

Sources: `translations/locales/familybot.pot` (extracted from the code with Babel),
`translations/locales/<lang>/LC_MESSAGES/familybot.po` (written by translators).
The `.mo` files are compiled from the `.po` files on first use when missing or older.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "familybot"
LOCALE_DIR = Path(__file__).with_name("locales")
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps"})
#: Unicode isolates keep numbers and links left-to-right inside right-to-left text.
LRI, PDI = "\u2066", "\u2069"


def compile_catalog(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """Compile `<lang>.po` into `.mo` if the `.mo` is missing or older; return the `.mo`."""
    folder = locale_dir / language / "LC_MESSAGES"
    po_path, mo_path = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=language.replace("-", "_"))
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
    return mo_path


@cache
def translator(language: str) -> gettext.NullTranslations:
    """The catalog for `language`; the English source text when there is none."""
    if not (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").exists():
        return gettext.NullTranslations()
    compile_catalog(language)
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language])


def is_rtl(language: str) -> bool:
    """True for right-to-left languages (Arabic, Persian…)."""
    return language in RTL_LANGUAGES


def ltr(value: str, language: str) -> str:
    """Wrap a phone number or URL so it reads left-to-right inside RTL text."""
    return f"{LRI}{value}{PDI}" if is_rtl(language) else value


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a message for extraction without translating it yet."""
    return message
