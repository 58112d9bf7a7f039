"""The handoff inbox: families who asked for a person; staff read and reply."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from admin.auth import Staff
from admin.i18n import LANGUAGES, N_, gettext_for
from admin.learning.handoffs import HandoffError, close, handoff, inbox, reply
from admin.learning.services import services
from admin.routes_learning import language_name
from admin.web import context, page_language, redirect, render, require_role

router = APIRouter()
Editor = Annotated[Staff, Depends(require_role("editor"))]

#: States shown as words on the pages (`_(state)` in the templates).
STATE_WORDS = (N_("open"), N_("answered"), N_("closed"), N_("sent"), N_("waiting"), N_("delivered"), N_("failed"),
               N_("skipped"))
NOTICES = {"sent": N_("Reply sent."), "waiting": N_("Reply saved: the family sees it in the web chat."),
           "closed": N_("Request closed.")}


def _page(request: Request, handoff_id: int, status_code: int = 200, error: str | None = None,
          notice: str | None = None, warning: str | None = None, draft: str = "") -> Response:
    try:
        view = handoff(context(request).engine, handoff_id)
    except HandoffError as exc:
        raise HTTPException(status_code=404) from exc
    page = page_language(request)
    return render(request, "handoff.html", status_code=status_code, error=error, notice=notice, warning=warning,
                  item=view, draft=draft, staff_languages=LANGUAGES,
                  language_name=lambda code: language_name(code, page))


@router.get("/handoffs", response_class=HTMLResponse)
def handoffs_page(request: Request, _staff: Editor) -> Response:
    """Requests for a person: open ones first."""
    page = page_language(request)
    return render(request, "handoffs.html", items=inbox(context(request).engine),
                  language_name=lambda code: language_name(code, page))


@router.get("/handoffs/{handoff_id}", response_class=HTMLResponse)
def handoff_page(request: Request, _staff: Editor, handoff_id: int, notice: str | None = None,
                 warning: str | None = None) -> Response:
    """One family's conversation and the reply form."""
    return _page(request, handoff_id, notice=NOTICES.get(notice or ""))


@router.post("/handoffs/{handoff_id}/reply", response_class=HTMLResponse)
def send_reply(request: Request, staff: Editor, handoff_id: int, text: Annotated[str, Form(max_length=4000)],
               language: Annotated[str, Form(max_length=5)] = "fr") -> Response:
    """Translate the reply into the family's language and send it through its channel."""
    admin, gettext = context(request), gettext_for(page_language(request))
    try:
        outcome = reply(admin.engine, handoff_id, text, language if language in LANGUAGES else "fr", staff.actor,
                        admin.dialogue.machine, services(request).sender)
    except HandoffError as exc:
        return _page(request, handoff_id, status_code=400, error=exc.say(gettext), draft=text)
    warning = gettext(outcome.warning).format(**outcome.values) if outcome.warning else None
    if outcome.status in {"failed", "skipped"}:
        return _page(request, handoff_id, status_code=502 if outcome.status == "failed" else 409,
                     error=warning, draft=text)
    if warning:  # sent, but untranslated: say so on the page instead of a plain notice
        return _page(request, handoff_id, notice=NOTICES[outcome.status], warning=warning)
    return redirect(request, f"/handoffs/{handoff_id}?notice={outcome.status}")


@router.post("/handoffs/{handoff_id}/close", response_class=HTMLResponse)
def close_request(request: Request, staff: Editor, handoff_id: int) -> Response:
    """Close the request; the family's address kept for the reply is forgotten."""
    try:
        close(context(request).engine, handoff_id, staff.actor)
    except HandoffError as exc:
        raise HTTPException(status_code=404) from exc
    return redirect(request, f"/handoffs/{handoff_id}?notice=closed")
