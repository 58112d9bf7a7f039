"""SMS through Twilio: a signed form post in, TwiML out.

Replies are written for a phone that bills per segment: no markdown or bullets,
options as numbered lines, at most three segments per message. The rest of a long
answer waits until the family replies MORE.
"""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.sms_segments import smart_encode, split_for_sms
from bot.dialogue import Dialogue
from bot.identity import user_key
from bot.keywords import MORE_WORD, is_more
from bot.messages import IncomingMessage, Reply
from bot.outbox import Outbox
from translations.catalog import N_, translator

CHANNEL = "sms"
MAX_SEGMENTS = 3
READ_MORE = N_("Reply {more} to read the rest.")


class BadSmsRequest(ValueError):
    """The form post lacks what Twilio always sends."""


def render(reply: Reply) -> str:
    """The reply as plain SMS text, options numbered, in the cheapest encoding that reads right."""
    text = reply.text
    if reply.options:
        text += "\n\n" + "\n".join(f"{n}. {o.label}" for n, o in enumerate(reply.options, start=1))
    return smart_encode(text, reply.language)


def twiml(text: str | None) -> str:
    """A TwiML document sending `text`, or sending nothing."""
    response = MessagingResponse()
    if text:
        response.message(text)
    return str(response)


class TwilioSms:
    """Answers Twilio's incoming-message webhook."""

    def __init__(self, dialogue: Dialogue, outbox: Outbox, auth_token: str, salt: str):
        self.dialogue, self.outbox, self.salt = dialogue, outbox, salt
        self._validator = RequestValidator(auth_token)

    def signature_valid(self, url: str, params: Mapping[str, str], signature: str | None) -> bool:
        """True when `X-Twilio-Signature` matches the public URL and the form fields."""
        return bool(signature) and self._validator.validate(url, dict(params), signature)

    def answer(self, params: Mapping[str, str]) -> str:
        """TwiML for one incoming SMS; a retried MessageSid gets the first answer again."""
        sender, sid = params.get("From", "").strip(), params.get("MessageSid", "").strip()
        if not sender or not sid:
            raise BadSmsRequest("From and MessageSid are required")
        key = user_key(CHANNEL, sender, self.salt)
        return self.outbox.once(CHANNEL, sid, key, lambda: self._answer(sender, key, params.get("Body", ""))).response

    def _answer(self, sender: str, key: str, body: str) -> str:
        if is_more(body):
            pending = self.outbox.next_part(key, CHANNEL)
            if pending is not None:
                return twiml(self._with_more_line(*pending))
        reply = self.dialogue.handle(IncomingMessage(CHANNEL, sender, body))
        if reply.silent:
            return twiml(None)
        more_line = self._more_line(reply.language)
        parts = split_for_sms(render(reply), MAX_SEGMENTS, reserve=len(more_line) + 2)
        self.outbox.keep_parts(key, CHANNEL, reply.language, parts[1:])
        return twiml(self._with_more_line(parts[0], len(parts) - 1, reply.language))

    def _with_more_line(self, text: str, remaining: int, language: str) -> str:
        return f"{text}\n\n{self._more_line(language)}" if remaining else text

    @staticmethod
    def _more_line(language: str) -> str:
        _ = translator(language).gettext
        return smart_encode(_(READ_MORE).format(more=_(MORE_WORD)), language)
