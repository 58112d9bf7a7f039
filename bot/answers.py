"""Compose the parts of a reply: resources for a need, menus, emergency numbers."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.keywords import native_name
from bot.messages import Option, ResourceCard
from bot.topics import CHANGE_LANGUAGE, MAIN_MENU, MORE_MENU, NEED_LABELS, OTHER_TOPICS, TALK_TO_PERSON
from nlu.taxonomy import load_taxonomy
from resources_db.content_version import current_version
from resources_db.database import transaction
from resources_db.queries import services_for_need, texts_for
from translations.catalog import N_, ltr

Gettext = Callable[[str], str]

PAGE_SIZE = 3
HERE_IS_HELP = N_("Here is help for: {topic}.")
FOR_AGE = N_("(for a child aged {age})")
MORE_HINT = N_("Reply {more} for other places.")
NO_MORE = N_("That is all I have on this topic. To find more places near you, call 211 (dial 2-1-1).")
NONE_YET = N_("I have no resource for this yet. Call 211 (dial 2-1-1): they find services near you by postal code.")
WEBSITE = N_("Website: {url}")


def menu_options(_: Gettext, topics: tuple[str, ...] = MAIN_MENU) -> tuple[Option, ...]:
    """The numbered topic menu, plus the ways out."""
    options = [Option(f"need:{need}", _(NEED_LABELS[need])) for need in topics]
    if topics == MAIN_MENU:
        options.append(Option("menu:more", _(OTHER_TOPICS)))
    options += [Option("menu:language", _(CHANGE_LANGUAGE)), Option("handoff", _(TALK_TO_PERSON))]
    return tuple(options)


def more_topics(_: Gettext) -> tuple[Option, ...]:
    """The topics not on the first menu."""
    return menu_options(_, MORE_MENU)


def language_options() -> tuple[Option, ...]:
    """Every curated language, named in itself."""
    return tuple(Option(f"lang:{code}", native_name(code)) for code in load_taxonomy().languages)


class ResourceAnswers:
    """Finds the best resources for a need and writes them out for a family.

    Pages are cached in this process and rebuilt when the content version changes
    (`resources_db.content_version`): one primary-key read per question instead of
    three queries, and a change staff make anywhere is seen at the next message.
    """

    #: Distinct (need, languages, age, page) combinations kept; far more than families ask.
    CACHE_SIZE = 4096

    def __init__(self, engine: Engine):
        self._engine = engine
        #: The content version the pages were read at, and the pages. One attribute, replaced
        #: whole: a request thread never mixes one version's pages with another's.
        self._cache: tuple[int | None, dict[tuple, tuple[tuple[ResourceCard, ...], int]]] = (None, {})

    def page(self, need: str, text_languages: list[str], age: int | None, offset: int,
             limit: int = PAGE_SIZE) -> tuple[list[ResourceCard], int]:
        """Resources `offset…offset+limit` for `need`, with texts in the first language available.

        Returns the cards and how many resources the need has in all.
        """
        with transaction(self._engine) as session:
            version = current_version(session)  # read first: the data read after is at least as new
            cached_version, pages = self._cache
            if version != cached_version or len(pages) >= self.CACHE_SIZE:
                pages = {}
                self._cache = (version, pages)
            key = (need, tuple(text_languages), age, offset, limit)
            if key not in pages:
                pages[key] = self._read_page(session, need, text_languages, age, offset, limit)
            cards, total = pages[key]
            return list(cards), total

    @staticmethod
    def _read_page(session: Session, need: str, text_languages: list[str], age: int | None, offset: int,
                   limit: int) -> tuple[tuple[ResourceCard, ...], int]:
        services = services_for_need(session, need, age)
        chosen = services[offset : offset + limit]
        texts = texts_for(session, [s.id for s in chosen], text_languages)
        cards = tuple(
            ResourceCard(
                id=s.id,
                name=texts[s.id][1]["name"],
                description=texts[s.id][1]["description"],
                how_to_get=texts[s.id][1]["how_to_get"],
                url=s.url,
                phones=tuple((p.type, p.number) for p in s.phones),
                source=s.source,
                verified_on=s.verified_on.isoformat(),
            )
            for s in chosen
            if s.id in texts
        )
        return cards, len(services)

    @staticmethod
    def render(cards: list[ResourceCard], language: str, _: Gettext) -> str:
        """Each resource: name, what it is, how to get it (and its website)."""
        blocks = []
        for card in cards:
            lines = [f"• {card.name}", card.description, card.how_to_get]
            if card.url and card.url.rstrip("/").split("//")[-1].removeprefix("www.") not in card.how_to_get:
                lines.append(_(WEBSITE).format(url=ltr(card.url, language)))
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)
