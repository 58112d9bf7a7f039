"""Compose the parts of a reply: resources for a need, menus, emergency numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.keywords import native_name
from bot.messages import Option, ResourceCard
from bot.topics import CHANGE_LANGUAGE, MAIN_MENU, MORE_MENU, NEED_LABELS, OTHER_TOPICS, TALK_TO_PERSON
from nlu.taxonomy import load_taxonomy
from resources_db.content_version import current_version
from resources_db.database import transaction
from resources_db.queries import fits_age, services_for_need, texts_for
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


@dataclass(frozen=True)
class _Listing:
    """A service as listed for a need, without its texts (the same in every language)."""

    id: str
    url: str | None
    phones: tuple[tuple[str, str], ...]
    source: str
    verified_on: str
    minimum_age: int | None
    maximum_age: int | None


@dataclass
class _Content:
    """What this process read of the curated content, at one content version."""

    version: int | None = None
    #: need -> its active services, best first.
    listings: dict[str, tuple[_Listing, ...]] = field(default_factory=dict)
    #: (service id, languages asked) -> (name, description, how_to_get), or None when no language has them.
    texts: dict[tuple[str, tuple[str, ...]], tuple[str, str, str] | None] = field(default_factory=dict)


class ResourceAnswers:
    """Finds the best resources for a need and writes them out for a family.

    What is read is cached in this process and read again when the content version
    changes (`resources_db.content_version`): a need's services once, each service's
    texts once per set of languages, whatever the child's age or the page asked. A
    change staff make anywhere is seen at the next message.
    """

    #: Texts kept (service × languages asked) before the cache starts again; far more than families ask.
    CACHE_SIZE = 4096

    def __init__(self, engine: Engine):
        self._engine = engine
        #: Replaced whole when the version changes: a request thread never mixes two versions.
        self._content = _Content()

    def page(self, need: str, text_languages: list[str], age: int | None, offset: int,
             limit: int = PAGE_SIZE) -> tuple[list[ResourceCard], int]:
        """Resources `offset…offset+limit` for `need`, with texts in the first language available.

        Returns the cards and how many resources the need has in all.
        """
        languages = tuple(text_languages)
        with transaction(self._engine) as session:
            version = current_version(session)  # read first: the data read after is at least as new
            content = self._content
            if version != content.version or len(content.texts) >= self.CACHE_SIZE:
                content = self._content = _Content(version)
            if need not in content.listings:
                content.listings[need] = self._read_listings(session, need)
            fitting = [s for s in content.listings[need] if fits_age(s.minimum_age, s.maximum_age, age)]
            chosen = fitting[offset : offset + limit]
            unread = [s.id for s in chosen if (s.id, languages) not in content.texts]
            if unread:
                found = texts_for(session, unread, text_languages)
                for service_id in unread:
                    fields = found.get(service_id, (None, None))[1]
                    content.texts[(service_id, languages)] = (
                        (fields["name"], fields["description"], fields["how_to_get"]) if fields else None)
        cards = [
            ResourceCard(id=s.id, name=texts[0], description=texts[1], how_to_get=texts[2], url=s.url,
                         phones=s.phones, source=s.source, verified_on=s.verified_on)
            for s in chosen
            if (texts := content.texts[(s.id, languages)]) is not None
        ]
        return cards, len(fitting)

    @staticmethod
    def _read_listings(session: Session, need: str) -> tuple[_Listing, ...]:
        return tuple(
            _Listing(id=s.id, url=s.url, phones=tuple((p.type, p.number) for p in s.phones), source=s.source,
                     verified_on=s.verified_on.isoformat(), minimum_age=s.minimum_age, maximum_age=s.maximum_age)
            for s in services_for_need(session, need)
        )

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
