"""The conversation: one message in, one reply out, whatever the channel.

Order of precedence, on purpose: opt-out keywords, then danger (emergency numbers
first, whatever else the message says), then short replies that only make sense in
context (an option number, MORE, a language name, yes/no), then the intent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot import keywords
from bot.answers import (
    FOR_AGE,
    HERE_IS_HELP,
    MORE_HINT,
    NO_MORE,
    NONE_YET,
    ResourceAnswers,
    language_options,
    menu_options,
    more_topics,
)
from bot.calendar.answers import CalendarAnswers, CalendarReply
from bot.identity import user_key
from bot.language_choice import choose_language
from bot.messages import IncomingMessage, Option, Reply
from bot.safety import DangerDetector, emergency_text
from bot.state import FamilyState, StateStore
from bot.topics import NEED_LABELS
from bot.wording import Wording
from nlu.language_id import UNKNOWN, in_foreign_script
from nlu.taxonomy import FALLBACK_INTENT, load_taxonomy
from translations.catalog import N_, translator

GREETING = N_("Hello! I help families find free help for their children: food, school, housing, health and more.")
MENU_PROMPT = N_("What do you need? Reply with a number or write your question.")
OFFER_SWITCH = N_("I am answering in {language}. To change, write the name of your language.")
GREET_AGAIN = N_("Hello again! How can I help you?")
GOODBYE = N_("Take care. You can write to me any time.")
THANKS = N_("You're welcome. Can I help with anything else?")
HELP = N_("I can find free help for your family. Choose a topic, or write your question in your own words and language.")
HOW_TO_STOP = N_("To stop receiving messages, reply STOP.")
FALLBACK = N_("Sorry, I did not understand. Can you say it another way? You can also choose a topic:")
DID_YOU_MEAN = N_("Did you mean one of these?")
OUT_OF_SCOPE = N_("I can only help with services for families and children. Here is what I can do:")
EMPTY = N_("I did not get any text. Write your question, or choose a topic:")
LANGUAGE_ASK = N_("Which language do you prefer?")
LANGUAGE_SET = N_("OK, I will write in {language} from now on.")
HANDOFF = N_("I have asked a staff member to answer you here, usually within 2 working days. If it is urgent, call 811 (Info-Social), or 911 in danger.")
STOPPED = N_("You will not receive any more messages. Reply START to come back.")
RESTARTED = N_("Welcome back!")
BAD_OPTION = N_("Please reply with a number from 1 to {count}.")
SCHOOL_SYSTEM = N_("In Québec, public school is free and required from age 6 to 16. You register your child with the school service centre (centre de services scolaire) of your area. Bring proof of address and your child's papers.")
NOT_SURE_NEED = N_("Do you need help with: {topic}? Reply yes or no.")
STILL_HERE = N_("I am here if you need other help.")

#: A crisis reading this likely, even second, is enough to lead with emergency numbers.
DANGER_CONFIDENCE = 0.3
#: Below this confidence, a short message giving an age continues the last topic.
FOLLOW_UP_CONFIDENCE = 0.6
_AGE = re.compile(r"(?<!\d)(\d{1,2})(?!\d)")
_CONVERSATION = frozenset(load_taxonomy().conversation) | {FALLBACK_INTENT}


def _suggests_danger(parse: dict) -> bool:
    """The model reads danger: crisis first, or a strong second (a miss costs more than a false alarm)."""
    ranking = parse["intent_ranking"]
    return parse["intent"]["name"] == "crisis" or any(
        r["name"] == "crisis" and (i == 0 or r["confidence"] >= DANGER_CONFIDENCE) for i, r in enumerate(ranking[:2])
    )


@dataclass
class Turn:
    """Everything decided about one incoming message while answering it."""

    message: IncomingMessage
    state: FamilyState
    parse: dict
    wording: Wording

    @property
    def language(self) -> str:
        return self.wording.language


class Dialogue:
    """Answers families; holds no per-family data in memory."""

    def __init__(self, parser, store: StateStore, answers: ResourceAnswers, danger: DangerDetector,
                 machine=None, salt: str = "familybot-dev-salt", calendar: CalendarAnswers | None = None):
        self.parser, self.store, self.answers = parser, store, answers
        self.danger, self.machine, self.salt = danger, machine, salt
        self.calendar = calendar or CalendarAnswers(store.engine)

    # -- entry point ---------------------------------------------------------------

    def handle(self, message: IncomingMessage) -> Reply:
        """Answer one message and remember what matters for the next one."""
        key = user_key(message.channel, message.user_id, self.salt)
        with self.store.exclusive(key):
            state = self.store.load(key, message.channel)
            text = message.text.strip()
            parse, machine_ok = self._parse(text, state, message.language_hint)
            language = choose_language(state, parse, message.language_hint, text)
            turn = Turn(message, state, parse, Wording(language, self.machine if machine_ok else None))
            reply = self._respond(turn, text)
            self._remember(turn, reply)
            return reply

    def start(self, channel: str, user_id: str, language: str | None = None, chosen: bool = True) -> Reply:
        """Welcome a family (Telegram /start, a web page, a console), in `language` if given.

        `chosen=False` treats `language` as a hint (Telegram's language_code) that a
        later message in another language overrides.
        """
        with self.store.exclusive(user_key(channel, user_id, self.salt)):
            turn = self._button_turn(channel, user_id)
            if language in load_taxonomy().languages and (chosen or not turn.state.language):
                turn.state.language, turn.state.language_chosen = language, chosen
                turn.wording = Wording(language, self.machine)
            reply = self._welcome(turn)
            self._remember(turn, reply)
            return reply

    def choose(self, channel: str, user_id: str, key: str) -> Reply:
        """Act on an option picked with a button (its `Option.key`)."""
        with self.store.exclusive(user_key(channel, user_id, self.salt)):
            turn = self._button_turn(channel, user_id)
            reply = self._option(turn, key)
            self._remember(turn, reply)
            return reply

    def _button_turn(self, channel: str, user_id: str) -> Turn:
        state = self.store.load(user_key(channel, user_id, self.salt), channel)
        code = state.language or "fr"
        parse = {"text": "", "intent": {"name": "help", "confidence": 1.0}, "intent_ranking": [],
                 "entities": [], "language": {"code": code, "confidence": 1.0}}
        return Turn(IncomingMessage(channel, user_id, ""), state, parse, Wording(code, self.machine))

    def _parse(self, text: str, state: FamilyState, hint: str | None) -> tuple[dict, bool]:
        """The parse, and whether machine translation worked for this message.

        The language is identified once; the intent is then read with one model only.
        """
        guess = self.parser.identifier.identify(text)
        detected = {"code": guess.code, "confidence": guess.confidence}
        curated = load_taxonomy().languages
        known = state.language if state.language in curated else (hint if hint in curated else None)
        reading, source, translated = guess.code, text, True
        if known and guess.code != known and not in_foreign_script(text, known) and (
                guess.confidence < 0.6 or len(text.split()) < 3):
            # Short messages ("ok", "merci", "2") say little about language: read them in ours.
            reading = known
        elif guess.code not in curated and guess.code != UNKNOWN and self.machine is not None and self.machine.available:
            english = self.machine.translate(text, target="en", source=guess.code)
            if english:
                reading, source = "en", english
            else:
                # The provider failed this time: answer in French and English rather than wait again.
                translated = False
        parse = self.parser.parse(source, language=reading)
        parse["text"], parse["language"] = text, detected
        # The model that read the family's own words (not a translation of them): staff teach that one.
        parse["read_as"] = reading if source is text else None
        return parse, translated

    def _remember(self, turn: Turn, reply: Reply) -> None:
        state, parse = turn.state, turn.parse
        if not (state.language_chosen and state.language):
            state.language = reply.language
        state.offered = [[o.key, o.label] for o in reply.options]
        state.is_new = False
        turns = [
            dict(user_key=state.user_key, channel=state.channel, direction="in",
                 text=turn.message.text[:2000], language=parse["language"]["code"],
                 intent=reply.intent, confidence=parse["intent"]["confidence"],
                 nlu_intent=parse["intent"]["name"] if turn.message.text else None,
                 nlu_language=parse.get("read_as"), answer_language=reply.language,
                 resources_shown=len(reply.resources)),
        ]
        if not reply.silent:
            turns.append(dict(user_key=state.user_key, channel=state.channel, direction="out",
                              text=reply.text, language=reply.language, intent=reply.intent))
        self.store.save(state, turns)
        if reply.intent == "human_handoff":
            self.store.request_handoff(state, reply.language, address=turn.message.user_id)

    # -- routing -------------------------------------------------------------------

    def _respond(self, turn: Turn, text: str) -> Reply:
        state = turn.state
        keyword = keywords.carrier_keyword(text)
        if keyword == "stop":
            state.opted_out = True
            self.calendar.forget(state.user_key)  # no reminders, and no address kept
            return self._reply(turn, "stop", [turn.wording.say(STOPPED)])
        if state.opted_out:
            if keyword == "start":
                state.opted_out = False
                return self._reply(turn, "start", [turn.wording.say(RESTARTED), turn.wording.say(MENU_PROMPT)],
                                   menu_options(turn.wording.gettext))
            return replace(self._reply(turn, "opted_out", []), silent=True)
        if keyword == "help":
            # HELP / AIDE: who we are and how to stop, as carriers require.
            return self._menu(turn, "help", [GREETING, HOW_TO_STOP])
        if not text:
            return self._menu(turn, FALLBACK_INTENT, [EMPTY])
        if self.danger.matches(text):
            return self._emergency(turn)
        # Commands (an option number, MORE, a language name) mean what they say; after
        # them, the model's reading of danger comes before anything else.
        contextual = self._contextual(turn, text)
        if contextual is not None:
            return contextual
        if _suggests_danger(turn.parse):
            return self._emergency(turn)
        return self._by_intent(turn, turn.parse["intent"]["name"])

    def _contextual(self, turn: Turn, text: str) -> Reply | None:
        state = turn.state
        number = keywords.option_number(text)
        if number is not None:
            if 1 <= number <= len(state.offered):
                return self._option(turn, state.offered[number - 1][0])
            if state.offered:
                return self._reply(turn, "option", [turn.wording.say(BAD_OPTION, count=len(state.offered))],
                                   tuple(Option(k, label) for k, label in state.offered))
        if keywords.is_more(text):
            return self._need(turn, state.last_need, more=True) if state.last_need else self._menu(turn, "help", [])
        named = keywords.bare_language_name(text)
        if named is None and turn.parse["intent"]["name"] == "change_language":
            named = keywords.named_language(text)
        if named:
            return self._switch_language(turn, named)
        calendar = self.calendar.contextual(turn, text)
        if calendar is not None:
            return self._calendar(turn, calendar)
        pending, intent = state.pending, turn.parse["intent"]["name"]
        if pending.get("kind") == "confirm_need" and intent in {"affirm", "deny"}:
            state.pending = {}
            return self._need(turn, pending["need"]) if intent == "affirm" else self._menu(turn, "deny", [MENU_PROMPT])
        age = self._age(turn, text)
        unsure = turn.parse["intent"]["confidence"] < FOLLOW_UP_CONFIDENCE
        if age is not None and state.last_need and intent != "crisis" and (intent in _CONVERSATION or unsure):
            # "and for a 15 year old?": the same need, for another child.
            state.details["child_age"] = str(age)
            return self._need(turn, state.last_need)
        return None

    def _by_intent(self, turn: Turn, intent: str) -> Reply:
        if intent in NEED_LABELS:
            return self._need(turn, intent)
        state = turn.state
        if intent == "greet":
            return self._welcome(turn) if state.is_new else self._menu(turn, intent, [GREET_AGAIN])
        if state.is_new:
            return self._welcome(turn, intent)
        simple = {"goodbye": [GOODBYE], "thanks": [THANKS], "help": [HELP], "affirm": [MENU_PROMPT],
                  "deny": [MENU_PROMPT], "out_of_scope": [OUT_OF_SCOPE]}
        if intent in simple:
            options = () if intent in {"goodbye", "thanks"} else None
            return self._menu(turn, intent, simple[intent], options)
        if intent == "change_language":
            return self._reply(turn, intent, [turn.wording.say(LANGUAGE_ASK)], language_options())
        if intent == "human_handoff":
            return self._reply(turn, intent, [turn.wording.say(HANDOFF)])
        return self._fallback(turn)

    # -- flows ---------------------------------------------------------------------

    def _welcome(self, turn: Turn, intent: str = "greet") -> Reply:
        say = turn.wording.say
        lines = [say(GREETING), say(OFFER_SWITCH, language=turn.wording.language_name), say(MENU_PROMPT)]
        return self._reply(turn, intent, lines, menu_options(turn.wording.gettext))

    def _menu(self, turn: Turn, intent: str, messages: list[str], options=None) -> Reply:
        lines = [turn.wording.say(m) for m in messages]
        return self._reply(turn, intent, lines, menu_options(turn.wording.gettext) if options is None else options)

    def _fallback(self, turn: Turn) -> Reply:
        candidates = [r["name"] for r in turn.parse["intent_ranking"][:3]
                      if r["name"] in NEED_LABELS and r["confidence"] >= 0.15]
        if candidates:
            options = tuple(Option(f"need:{n}", turn.wording.gettext(NEED_LABELS[n])) for n in candidates)
            options += menu_options(turn.wording.gettext)[-2:]
            return self._reply(turn, FALLBACK_INTENT, [turn.wording.say(DID_YOU_MEAN)], options)
        return self._menu(turn, FALLBACK_INTENT, [FALLBACK])

    def _option(self, turn: Turn, key: str) -> Reply:
        kind, _, value = key.partition(":")
        if kind == "need":
            return self._need(turn, value)
        if kind == "lang":
            return self._switch_language(turn, value)
        if kind == "school":
            return self._calendar(turn, self.calendar.choose_school(turn, value))
        if key == "more" and turn.state.last_need:
            return self._need(turn, turn.state.last_need, more=True)
        if key == "menu:more":
            return self._reply(turn, "help", [turn.wording.say(MENU_PROMPT)], more_topics(turn.wording.gettext))
        if key == "menu:language":
            return self._reply(turn, "change_language", [turn.wording.say(LANGUAGE_ASK)], language_options())
        if key == "handoff":
            return self._by_intent(turn, "human_handoff")
        return self._menu(turn, "help", [MENU_PROMPT])

    def _switch_language(self, turn: Turn, code: str) -> Reply:
        turn.state.language, turn.state.language_chosen = code, True
        turn.wording = Wording(code, self.machine)
        lines = [turn.wording.say(LANGUAGE_SET, language=turn.wording.language_name)]
        if turn.state.last_need:
            return self._need(turn, turn.state.last_need, intro=lines, intent="change_language")
        lines.append(turn.wording.say(MENU_PROMPT))
        return self._reply(turn, "change_language", lines, menu_options(turn.wording.gettext))

    def _emergency(self, turn: Turn) -> Reply:
        wording = turn.wording
        lines = [wording.translated("\n\n".join(emergency_text(lang) for lang in wording.text_languages))]
        need = turn.parse["intent"]["name"]
        if need in NEED_LABELS and need != "crisis":
            # Whatever else was asked comes after the numbers, never before.
            rest = self._need(turn, need)
            return replace(rest, text="\n\n".join([lines[0], rest.text]), emergency=True)
        lines.append(wording.say(STILL_HERE))
        turn.state.last_need = "crisis"
        return replace(self._reply(turn, "crisis", lines, menu_options(wording.gettext)), emergency=True)

    def _need(self, turn: Turn, need: str, more: bool = False, intro: list[str] | None = None,
              intent: str | None = None) -> Reply:
        state, wording = turn.state, turn.wording
        if need != state.last_need or not more:
            state.shown = 0
        state.last_need = need
        lines = list(intro or [])
        if need == "school_calendar":
            return self._calendar(turn, self.calendar.answer(turn), lines)
        if need == "school_system" and not more:
            lines.append(wording.say(SCHOOL_SYSTEM))
        given_age = None if more else self._age(turn, turn.message.text, entities_only=True)
        if given_age is not None:
            state.details["child_age"] = str(given_age)
        age = state.details.get("child_age")
        pages = [
            self.answers.page(need, [lang, *wording.resource_languages], int(age) if age else None, state.shown)
            for lang in wording.text_languages
        ]
        cards, total = pages[0]
        topic = wording.gettext(NEED_LABELS[need])
        if not cards:
            lines.append(wording.say(NO_MORE if more else NONE_YET))
            return self._reply(turn, intent or need, lines, menu_options(wording.gettext))
        heading = wording.say(HERE_IS_HELP, topic=topic)
        if age:
            heading += " " + wording.say(FOR_AGE, age=age)
        rendered = "\n\n".join(
            ResourceAnswers.render(page_cards, lang, translator(lang).gettext)
            for lang, (page_cards, _total) in zip(wording.text_languages, pages, strict=True)
        )
        lines += [heading, wording.translated(rendered)]
        state.shown += len(cards)
        options: tuple[Option, ...] = ()
        if state.shown < total:
            more_word = wording.gettext(keywords.MORE_WORD)
            lines.append(wording.say(MORE_HINT, more=more_word))
            options = (Option("more", more_word),)
        if state.is_new:
            # A first message straight to the point is answered first, then offered a switch.
            lines.append(wording.say(OFFER_SWITCH, language=wording.language_name))
        options += menu_options(wording.gettext)[-2:]
        return replace(self._reply(turn, intent or need, lines, options), resources=tuple(cards))

    def _calendar(self, turn: Turn, answer: CalendarReply, intro: list[str] | None = None) -> Reply:
        options = answer.options or menu_options(turn.wording.gettext)[-2:]
        return self._reply(turn, answer.intent, [*(intro or []), *answer.lines], options)

    # -- helpers -------------------------------------------------------------------

    @staticmethod
    def _age(turn: Turn, text: str, entities_only: bool = False) -> int | None:
        """The child's age the message gives, from the entity, else from a short message's number."""
        values = [e["value"] for e in turn.parse["entities"] if e["entity"] == "child_age"]
        short_follow_up = not entities_only and len(text) <= 60
        match = _AGE.search(values[0] if values else (text if short_follow_up else ""))
        if not match or not (0 < int(match.group(1)) <= 25):
            return None
        return int(match.group(1))

    def _reply(self, turn: Turn, intent: str, lines: list[str], options: tuple[Option, ...] = ()) -> Reply:
        return Reply(
            text="\n\n".join(line for line in lines if line),
            language=turn.wording.language,
            intent=intent,
            confidence=turn.parse["intent"]["confidence"],
            options=turn.wording.options(options),
        )
