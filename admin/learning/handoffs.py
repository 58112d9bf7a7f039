"""The handoff inbox: families who asked for a person, and staff replies to them.

A reply is translated into the family's language when staff write in another one
(machine translation; without a provider it goes as written, with a warning), then
pushed through the family's channel (Telegram, SMS) or kept for the web chat to
collect. Every reply is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from admin.auth import AccountError
from admin.i18n import N_
from bot.channels.outbound import OutboundSender
from bot.contacts import ContactBook
from bot.records import HandoffRequest
from bot.staff_replies import StaffReply
from bot.state import HANDOFF_CHANNELS, StateStore
from resources_db.database import transaction
from resources_db.store import audit
from translations.machine import MachineTranslator

MAX_REPLY_CHARS = 2000
NO_SUCH_REQUEST = N_("This request does not exist.")
NOT_TRANSLATED = N_("No machine translation is available: the reply was sent as written.")
NOT_DELIVERED = N_("The reply could not be delivered: {reason}.")
OPTED_OUT = N_("The family has opted out (STOP): nothing was sent.")


class HandoffError(AccountError):
    """A reply that cannot be sent; `say(_)` gives the reason in the page's language."""


@dataclass
class HandoffView:
    """One request for a person, as the inbox shows it (the family known by a short hash)."""

    id: int
    family: str
    channel: str
    language: str
    status: str
    created_at: dt.datetime
    transcript: list[dict] = field(default_factory=list)
    replies: list[StaffReply] = field(default_factory=list)


@dataclass(frozen=True)
class ReplyOutcome:
    """What happened to a staff reply."""

    status: str  # sent, waiting (web chat), failed, skipped (the family opted out)
    text: str
    translated: bool
    #: A message for staff (mark N_, translate with the page's `_`), and its values.
    warning: str = ""
    values: dict = field(default_factory=dict)


def inbox(engine: Engine) -> list[HandoffView]:
    """Open requests first (oldest first: they waited longest), then the last answered ones."""
    with transaction(engine) as session:
        rows = session.scalars(select(HandoffRequest).order_by(HandoffRequest.id)).all()
    views = [_view(row) for row in rows]
    waiting = [v for v in views if v.status == "open"]
    answered = sorted((v for v in views if v.status != "open"), key=lambda v: -v.id)[:50]
    return waiting + answered


def handoff(engine: Engine, handoff_id: int) -> HandoffView:
    """One request with the family's whole recent conversation and the replies sent."""
    with transaction(engine) as session:
        row = session.get(HandoffRequest, handoff_id)
        if row is None:
            raise HandoffError(NO_SUCH_REQUEST)
        replies = list(session.scalars(select(StaffReply).where(StaffReply.handoff_id == handoff_id)
                                       .order_by(StaffReply.id)).all())
    view = _view(row)
    # The conversation as it is now: the family may have written again since asking.
    view.transcript = StateStore(engine).transcript(row.user_key, limit=40) or list(row.transcript or [])
    view.replies = replies
    return view


def reply(engine: Engine, handoff_id: int, staff_text: str, staff_language: str, actor: str,
          machine: MachineTranslator | None, sender: OutboundSender | None) -> ReplyOutcome:
    """Translate, deliver and record a staff reply; the request is marked answered once it is on its way."""
    staff_text = staff_text.strip()
    if not staff_text:
        raise HandoffError(N_("The reply is empty."))
    if len(staff_text) > MAX_REPLY_CHARS:
        raise HandoffError(N_("The reply is longer than {count} characters."), count=MAX_REPLY_CHARS)
    with transaction(engine) as session:
        request = session.get(HandoffRequest, handoff_id)
        if request is None:
            raise HandoffError(NO_SUCH_REQUEST)
        user_key, channel, language = request.user_key, request.channel, request.language
    text, translated, warning = staff_text, False, ""
    if language != staff_language:
        result = machine.translate(staff_text, target=language, source=staff_language) if machine else None
        if result:
            text, translated = result, True
        else:
            warning = NOT_TRANSLATED
    if channel in HANDOFF_CHANNELS:
        if sender is None:
            status, error = "failed", "sending is not configured"
        else:
            delivery = sender.send(user_key, text, language, channel)
            status, error = delivery.status, delivery.reason
    else:
        status, error = "waiting", ""  # the web chat collects it on its next poll
    with transaction(engine) as session:
        session.add(StaffReply(handoff_id=handoff_id, user_key=user_key, channel=channel, language=language,
                               staff_text=staff_text, text=text, sent_by=actor, status=status, error=error,
                               created_at=dt.datetime.now(dt.UTC)))
        request = session.get(HandoffRequest, handoff_id)
        old = request.status
        if status in {"sent", "waiting"}:
            request.status = "answered"
        audit(session, actor, "reply", "handoff_request", str(handoff_id), "status", old, request.status)
    if status == "failed":
        return ReplyOutcome(status, text, translated, NOT_DELIVERED, {"reason": error})
    if status == "skipped":
        warning = OPTED_OUT
    return ReplyOutcome(status, text, translated, warning)


def close(engine: Engine, handoff_id: int, actor: str) -> None:
    """Close a request; the family's address kept for the reply is forgotten."""
    with transaction(engine) as session:
        request = session.get(HandoffRequest, handoff_id)
        if request is None:
            raise HandoffError(NO_SUCH_REQUEST)
        old, request.status = request.status, "closed"
        user_key = request.user_key
        still_open = session.scalar(select(HandoffRequest.id).where(
            HandoffRequest.user_key == user_key, HandoffRequest.status == "open", HandoffRequest.id != handoff_id))
        audit(session, actor, "close", "handoff_request", str(handoff_id), "status", old, "closed")
    if still_open is None:
        ContactBook(engine).forget(user_key, "handoff")


def _view(row: HandoffRequest) -> HandoffView:
    return HandoffView(row.id, row.user_key[:8], row.channel, row.language, row.status, row.created_at,
                       list(row.transcript or []))
