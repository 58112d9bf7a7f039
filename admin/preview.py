"""What a family sees for a need, in a language, on a channel — produced by the real bot.

The preview runs the bot's own `Dialogue` (same answers, catalogs and resource
texts) with a state store that keeps the one preview conversation in memory for the
request and writes nothing: previews never appear in conversation logs, needs
statistics or handoffs. Each channel's own formatting code then lays the reply out:
Telegram's message splitting and buttons, SMS rendering, splitting and segment counts.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

from admin.i18n import N_
from bot.channels import sms, telegram
from bot.channels.sms_segments import count_segments, split_for_sms
from bot.dialogue import Dialogue
from bot.messages import Reply
from bot.state import FamilyState, StateStore

CHANNELS = (N_("telegram"), N_("sms"), N_("web"))
PREVIEW_USER = "admin-preview"


class _PreviewStore(StateStore):
    """Remembers one conversation for the length of a preview; never touches the database."""

    def __init__(self, engine):
        super().__init__(engine)
        self._states: dict[str, FamilyState] = {}

    def load(self, user_key: str, channel: str) -> FamilyState:
        state = self._states.get(user_key)
        return replace(copy.deepcopy(state), is_new=False) if state else FamilyState(user_key=user_key, channel=channel)

    def save(self, state: FamilyState, turns: list[dict]) -> None:
        self._states[state.user_key] = copy.deepcopy(state)

    def request_handoff(self, state: FamilyState, language: str) -> None:
        """A preview never asks staff for anything."""


@dataclass(frozen=True)
class Message:
    """One message as the family's phone or browser shows it."""

    text: str
    #: SMS only: encoding (GSM-7 or UCS-2), characters counted, and segments billed.
    encoding: str | None = None
    units: int | None = None
    segments: int | None = None


@dataclass(frozen=True)
class Preview:
    channel: str
    language: str
    messages: list[Message]
    #: Button labels, row by row (Telegram and web; SMS numbers its options in the text).
    buttons: list[list[str]]

    @property
    def total_segments(self) -> int:
        """SMS segments the whole answer costs, MORE replies included."""
        return sum(m.segments or 0 for m in self.messages)


def answer_for(dialogue: Dialogue, need: str, language: str, channel: str) -> Reply:
    """The reply a family gets after choosing `need` from the menu in `language` on `channel`."""
    bot = Dialogue(parser=dialogue.parser, store=_PreviewStore(dialogue.store.engine), answers=dialogue.answers,
                   danger=dialogue.danger, machine=dialogue.machine, salt=dialogue.salt)
    bot.start(channel, PREVIEW_USER, language)
    return bot.choose(channel, PREVIEW_USER, f"need:{need}")


def preview(dialogue: Dialogue, need: str, language: str, channel: str) -> Preview:
    """The answer laid out as `channel` sends it."""
    reply = answer_for(dialogue, need, language, channel)
    if channel == "sms":
        return Preview(channel, reply.language, _sms_messages(reply), [])
    if channel == "telegram":
        markup = telegram.keyboard(reply)
        rows = [[button.text for button in row] for row in markup.inline_keyboard] if markup else []
        return Preview(channel, reply.language, [Message(part) for part in telegram.split_message(reply.text)], rows)
    return Preview(channel, reply.language, [Message(reply.text)], [[option.label] for option in reply.options])


def _sms_messages(reply: Reply) -> list[Message]:
    """The SMS the family receives: the first now, the others one per MORE reply, as `TwilioSms` sends them."""
    # The channel's own "reply MORE" line, so that the preview counts exactly what is sent.
    more_line = sms.TwilioSms._more_line(reply.language)  # noqa: SLF001
    parts = split_for_sms(sms.render(reply), sms.MAX_SEGMENTS, reserve=len(more_line) + 2)
    texts = [f"{part}\n\n{more_line}" if index < len(parts) - 1 else part for index, part in enumerate(parts)]
    messages = []
    for text in texts:
        count = count_segments(text)
        messages.append(Message(text, count.encoding, count.units, count.segments))
    return messages
