"""Say things in the family's language: catalogs for curated languages, machine
translation (cached, reviewable) for others, French and English when that fails."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

from bot.keywords import native_name
from bot.messages import Option
from nlu.taxonomy import load_taxonomy
from translations.catalog import translator

#: Languages used when a family's language has no catalog and no translation is available.
FALLBACK_LANGUAGES = ("fr", "en")


class Wording:
    """Everything language-dependent about one reply."""

    def __init__(self, language: str, machine=None):
        self.language = language
        self.curated = language in load_taxonomy().languages
        self.machine = machine if not self.curated else None
        self.machine_mode = bool(self.machine is not None and self.machine.available)
        if self.curated:
            self.text_languages: tuple[str, ...] = (language,)
        elif self.machine_mode:
            self.text_languages = ("en",)
        else:
            self.text_languages = FALLBACK_LANGUAGES

    @property
    def text_language(self) -> str:
        """The curated language the reply is composed in first."""
        return self.text_languages[0]

    @property
    def resource_languages(self) -> list[str]:
        """Where to look for resource texts, best first."""
        return list(dict.fromkeys([self.text_language, "en", "fr"]))

    @property
    def language_name(self) -> str:
        """The language's name, written in itself (Español, العربية…)."""
        if self.curated:
            return native_name(self.language)
        try:
            return Locale.parse(self.language).get_display_name(self.language).capitalize()
        except (UnknownLocaleError, ValueError):
            return self.language

    def gettext(self, message: str) -> str:
        """`message` in the first composing language."""
        return translator(self.text_language).gettext(message)

    def say(self, message: str, **values: object) -> str:
        """`message` in the family's language, with `values` filled in."""
        texts = [translator(lang).gettext(message).format(**values) for lang in self.text_languages]
        return self.translated("\n".join(texts))

    def translated(self, text: str) -> str:
        """Machine-translate composed English text when the family's language needs it."""
        if not self.machine_mode:
            return text
        return self.machine.translate(text, target=self.language, source="en") or text

    def options(self, options: tuple[Option, ...]) -> tuple[Option, ...]:
        """Option labels in the family's language."""
        if not self.machine_mode:
            return options
        return tuple(Option(o.key, self.translated(o.label)) for o in options)
