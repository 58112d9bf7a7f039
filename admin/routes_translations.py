"""Translation pages: a resource's texts in every language, and the machine-translation queue.

Editors write texts (they become curated); reviewers also approve, correct or reject
machine translations.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from admin import review
from admin.auth import Staff
from admin.i18n import N_
from admin.resource_form import FIELD_LABELS
from admin.web import context, redirect, render, require_role
from nlu.taxonomy import load_taxonomy
from resources_db.database import transaction
from resources_db.models import Service
from resources_db.schema import TEXT_FIELDS
from translations.catalog import is_rtl

router = APIRouter()
Editor = Annotated[Staff, Depends(require_role("editor"))]
Reviewer = Annotated[Staff, Depends(require_role("reviewer"))]
LongText = Annotated[str, Form(max_length=5000)]

NOTICES = {
    "saved": N_("Saved. The bot uses the new text from its next answer."),
    "approved": N_("Approved: the translation is now marked as reviewed."),
    "rejected": N_("Rejected: the machine translation was removed."),
    "gone": N_("This translation was already reviewed by someone else."),
}
EMPTY_TEXT = N_("A text cannot be empty.")


def _back(target: str | None) -> str:
    """Where to return after a review: the queue or a resource's texts, nowhere else."""
    if target and (target.startswith("/resources/") or target.startswith("/translations")) and "//" not in target:
        return target.split("?")[0]
    return "/translations"


@router.get("/resources/{service_id}/translations", response_class=HTMLResponse)
def texts_page(request: Request, _staff: Editor, service_id: str, notice: str = "") -> Response:
    """The resource's texts in every language, French beside each, with their status."""
    with transaction(context(request).engine) as session:
        service = session.get(Service, service_id)
        if service is None:
            raise HTTPException(status_code=404)
        table = review.side_by_side(session, service_id)
    curated = load_taxonomy().languages
    missing = [lang for lang in curated if any(row is None for row in table[lang].values())]
    return render(request, "translations.html", service=service, table=table, curated=curated, missing=missing,
                  reference=review.REFERENCE_LANGUAGE, field_labels=FIELD_LABELS, rtl=is_rtl,
                  status_labels=review.STATUS_LABELS,
                  notice=NOTICES.get(notice))


@router.post("/resources/{service_id}/translations/{language}", response_class=HTMLResponse)
def save_texts(request: Request, staff: Editor, service_id: str, language: str,
               name: LongText = "", description: LongText = "", how_to_get: LongText = "") -> Response:
    """Save the texts of one language, written by staff (curated)."""
    if language not in load_taxonomy().languages:
        raise HTTPException(status_code=404)
    with transaction(context(request).engine) as session:
        if session.get(Service, service_id) is None:
            raise HTTPException(status_code=404)
        review.write_texts(session, service_id, language,
                           dict(zip(TEXT_FIELDS, (name, description, how_to_get), strict=True)), staff.actor)
    return redirect(request, f"/resources/{service_id}/translations?notice=saved#lang-{language}")


@router.get("/translations", response_class=HTMLResponse)
def queue_page(request: Request, _staff: Reviewer, notice: str = "") -> Response:
    """Machine translations waiting for a reviewer."""
    with transaction(context(request).engine) as session:
        items = review.machine_queue(session)
        names = dict(session.execute(select(Service.id, Service.name)).all())
    return render(request, "review_queue.html", items=items, names=names, rtl=is_rtl, notice=NOTICES.get(notice))


@router.post("/translations/{translation_id}/approve", response_class=HTMLResponse)
def approve(request: Request, staff: Reviewer, translation_id: int, text: LongText,
            back: Annotated[str, Form(max_length=300)] = "/translations") -> Response:
    """Approve a machine translation, as corrected in the form."""
    try:
        with transaction(context(request).engine) as session:
            done = review.approve(session, translation_id, text, staff.actor)
    except review.TextError:
        return render(request, "error.html", status_code=400, message=EMPTY_TEXT)
    return redirect(request, f"{_back(back)}?notice={'approved' if done else 'gone'}")


@router.post("/translations/{translation_id}/reject", response_class=HTMLResponse)
def reject(request: Request, staff: Reviewer, translation_id: int,
           back: Annotated[str, Form(max_length=300)] = "/translations") -> Response:
    """Remove a machine translation."""
    with transaction(context(request).engine) as session:
        done = review.reject(session, translation_id, staff.actor)
    return redirect(request, f"{_back(back)}?notice={'rejected' if done else 'gone'}")
