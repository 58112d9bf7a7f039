"""The channel-neutral boundary: what a family sent, and what the bot answers.

Channels turn a platform update into one `IncomingMessage` and send one `Reply`;
the dialogue knows nothing about Telegram, SMS or the web.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class IncomingMessage:
    """One message from a family."""

    channel: str
    user_id: str
    text: str
    #: A hint such as Telegram's `language_code` or the web page's language; the text decides.
    language_hint: str | None = None


@dataclass(frozen=True)
class Option:
    """A choice the family can pick: by button, or by replying with its number."""

    key: str
    label: str


@dataclass(frozen=True)
class ResourceCard:
    """A resource as shown to a family, in the reply's language."""

    id: str
    name: str
    description: str
    how_to_get: str
    url: str | None = None
    phones: tuple[tuple[str, str], ...] = ()  # (type, number): voice or text
    source: str = ""
    verified_on: str = ""

    @property
    def phone(self) -> str | None:
        """The first voice number, else the first number of any type."""
        voice = [number for kind, number in self.phones if kind == "voice"]
        return voice[0] if voice else (self.phones[0][1] if self.phones else None)


@dataclass(frozen=True)
class Reply:
    """The bot's answer to one message."""

    text: str
    language: str
    intent: str
    confidence: float = 0.0
    options: tuple[Option, ...] = ()
    resources: tuple[ResourceCard, ...] = ()
    #: True when the message suggested danger and emergency numbers lead the reply.
    emergency: bool = False
    #: True when no reply should be sent at all (e.g. the family opted out).
    silent: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The `ask --json` / `POST /api/chat` shape."""
        return {
            "language": self.language,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "reply": self.text,
            "options": [{"key": o.key, "label": o.label} for o in self.options],
            "resources": [
                {"id": r.id, "name": r.name, "url": r.url, "phone": r.phone} for r in self.resources
            ],
            "emergency": self.emergency,
        }
