"""Messages from staff to the families of a school (bot.broadcast.service), from the browser.

Editors write a message (French or English) and see the drafts; reviewers approve or
correct each language and send. Sending runs in a background thread: the page shows
the delivery report as it grows, and "Send" again resumes without sending twice.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from admin.auth import Staff
from admin.i18n import N_
from admin.web import context, redirect, render, require_role
from bot.broadcast.records import Broadcast
from bot.broadcast.service import MAX_LENGTH, SOURCE_LANGUAGES, BroadcastError, BroadcastService
from bot.calendar.store import CalendarBook
from bot.channels.outbound import OutboundSender
from bot.keywords import native_name
from nlu.taxonomy import load_taxonomy
from resources_db.database import transaction

router = APIRouter()
Editor = Annotated[Staff, Depends(require_role("editor"))]
Reviewer = Annotated[Staff, Depends(require_role("reviewer"))]

NOTICES = {
    "created": N_("Message saved. Check each language, then send."),
    "reviewed": N_("Translation approved."),
    "sending": N_("Sending has started. Reload this page to follow the delivery report."),
}
#: Words the pages show for broadcast, translation and delivery states.
STATES = (N_("draft"), N_("sending"), N_("done"), N_("source"), N_("machine"), N_("reviewed"), N_("missing"),
          N_("pending"), N_("sent"), N_("failed"), N_("skipped"), N_("unknown"))
#: One sending thread per broadcast at a time, per server process.
_sending: set[int] = set()
_lock = threading.Lock()


def _service(request: Request, send: bool = False) -> BroadcastService:
    admin = context(request)
    sender = OutboundSender(admin.settings, admin.engine) if send else None
    return BroadcastService(admin.engine, sender, admin.dialogue.machine)


@router.get("/broadcasts", response_class=HTMLResponse)
def broadcasts_page(request: Request, _staff: Editor, error: str | None = None, status_code: int = 200,
                    form: dict | None = None) -> Response:
    """Past messages, and the form for a new one."""
    with transaction(context(request).engine) as session:
        broadcasts = session.scalars(select(Broadcast).order_by(Broadcast.id.desc()).limit(50)).all()
    return render(request, "broadcasts.html", status_code=status_code, broadcasts=broadcasts,
                  schools=CalendarBook(context(request).engine).schools(), sources=SOURCE_LANGUAGES,
                  max_length=MAX_LENGTH, error=error, form=form or {})


@router.post("/broadcasts", response_class=HTMLResponse)
def create_broadcast(request: Request, staff: Editor, school: Annotated[str, Form(max_length=100)],
                     language: Annotated[str, Form(max_length=5)],
                     text: Annotated[str, Form(max_length=5000)]) -> Response:
    """Save the message and its machine drafts (nothing is sent yet)."""
    try:
        broadcast_id = _service(request).create(school, text, language, staff.actor)
    except BroadcastError as exc:
        return broadcasts_page(request, staff, error=str(exc), status_code=400,
                               form={"school": school, "language": language, "text": text})
    return redirect(request, f"/broadcasts/{broadcast_id}?notice=created")


@router.get("/broadcasts/{broadcast_id}", response_class=HTMLResponse)
def broadcast_page(request: Request, staff: Editor, broadcast_id: int, notice: str | None = None,
                   error: str | None = None, status_code: int = 200) -> Response:
    """The message in the 10 languages with their status, and the delivery report."""
    service = _service(request)
    with transaction(context(request).engine) as session:
        broadcast = session.get(Broadcast, broadcast_id)
        if broadcast is None:
            raise HTTPException(status_code=404)
    texts = service.texts(broadcast_id)
    languages = [(code, native_name(code), *texts.get(code, ("", "missing"))) for code in load_taxonomy().languages]
    return render(request, "broadcast.html", status_code=status_code, broadcast=broadcast, texts=languages,
                  report=service.report(broadcast_id), recipients=len(service.recipients(broadcast.school_id)),
                  school=CalendarBook(context(request).engine).school(broadcast.school_id),
                  sending=broadcast_id in _sending, notice=NOTICES.get(notice or ""), error=error)


@router.post("/broadcasts/{broadcast_id}/review", response_class=HTMLResponse)
def review_translation(request: Request, staff: Reviewer, broadcast_id: int,
                       language: Annotated[str, Form(max_length=10)],
                       text: Annotated[str, Form(max_length=5000)]) -> Response:
    """Approve one language's text as shown in the form (corrected or not)."""
    try:
        _service(request).review(broadcast_id, language, text)
    except BroadcastError as exc:
        return broadcast_page(request, staff, broadcast_id, error=str(exc), status_code=400)
    return redirect(request, f"/broadcasts/{broadcast_id}?notice=reviewed")


@router.post("/broadcasts/{broadcast_id}/send", response_class=HTMLResponse)
def send_broadcast(request: Request, staff: Reviewer, broadcast_id: int) -> Response:
    """Start (or resume) sending in the background; each family gets it at most once."""
    service = _service(request, send=True)
    try:
        service.check_ready(broadcast_id)
    except BroadcastError as exc:
        service.sender.close()
        return broadcast_page(request, staff, broadcast_id, error=str(exc), status_code=400)
    with _lock:
        if broadcast_id in _sending:
            service.sender.close()
            return redirect(request, f"/broadcasts/{broadcast_id}?notice=sending")
        _sending.add(broadcast_id)
    threading.Thread(target=_send, args=(service, broadcast_id), daemon=True,
                     name=f"broadcast-{broadcast_id}").start()
    return redirect(request, f"/broadcasts/{broadcast_id}?notice=sending")


def _send(service: BroadcastService, broadcast_id: int) -> None:
    try:
        service.send(broadcast_id)
    except BroadcastError:
        pass  # shown on the page: the report stays as it was
    finally:
        service.sender.close()
        with _lock:
            _sending.discard(broadcast_id)
