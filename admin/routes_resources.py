"""Resource pages (editors): the list with search and filters, create, edit, archive, verify."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from admin import resource_form
from admin.auth import Staff
from admin.content import STATUS_FILTERS, Filters, find_services, need_choices
from admin.i18n import N_
from admin.web import context, page_language, redirect, render, require_role
from nlu.taxonomy import load_taxonomy
from resources_db.database import transaction
from resources_db.models import Organization
from resources_db.store import read_bundle

router = APIRouter()
Editor = Annotated[Staff, Depends(require_role("editor"))]

NOTICES = {
    "saved": N_("Saved. The bot uses the new content from its next answer."),
    "unchanged": N_("Nothing changed."),
    "archived": N_("Archived: the bot no longer shows this resource."),
    "restored": N_("Restored: the bot shows this resource again."),
    "verified": N_("Marked as verified today."),
}
NOT_SAVED = N_("Not saved: correct the fields marked below.")
#: HSDS statuses; only active resources are shown to families.
STATUSES = (N_("active"), N_("inactive"), N_("defunct"), N_("temporarily closed"))


@router.get("/resources", response_class=HTMLResponse)
def resource_list(request: Request, _staff: Editor, q: str = "", need: str = "", missing: str = "",
                  stale: str = "", status: str = "active") -> Response:
    """Every resource matching the search and filters."""
    filters = Filters(q=q[:200], need=need if need in load_taxonomy().needs else "",
                      missing=missing if missing in load_taxonomy().languages else "",
                      stale=stale == "yes", status=status if status in STATUS_FILTERS else "active")
    with transaction(context(request).engine) as session:
        rows = find_services(session, filters)
    return render(request, "resources.html", rows=rows, filters=filters,
                  needs=need_choices(page_language(request)), languages_curated=load_taxonomy().languages,
                  status_filters=STATUS_FILTERS)


def _form_page(request: Request, values: dict, service_id: str | None, errors: dict | None = None,
               notice: str | None = None, status_code: int = 200) -> HTMLResponse:
    with transaction(context(request).engine) as session:
        organizations = session.execute(select(Organization.id, Organization.name).order_by(Organization.name)).all()
    return render(request, "resource_form.html", status_code=status_code, values=values, service_id=service_id,
                  errors=errors or {}, notice=notice, error=NOT_SAVED if errors else None,
                  organizations=organizations, needs=need_choices(page_language(request)), statuses=STATUSES,
                  form_languages=resource_form.FORM_LANGUAGES, field_labels=resource_form.FIELD_LABELS,
                  new_organization=resource_form.NEW_ORGANIZATION)


def _record(request: Request, service_id: str):
    with transaction(context(request).engine) as session:
        record = next((s for s in read_bundle(session).services if s.id == service_id), None)
    if record is None:
        raise HTTPException(status_code=404)
    return record


@router.get("/resources/new", response_class=HTMLResponse)
def new_resource(request: Request, _staff: Editor) -> Response:
    """An empty form, verified today by default."""
    return _form_page(request, {"verified_on": dt.date.today().isoformat(), "priority": "50", "status": "active",
                                "other_needs": []}, None)


@router.post("/resources/new", response_class=HTMLResponse)
async def create_resource(request: Request, staff: Editor) -> Response:
    """Create a resource, validated exactly like an imported one."""
    return await _save(request, staff, None)


@router.get("/resources/{service_id}", response_class=HTMLResponse)
def edit_resource(request: Request, _staff: Editor, service_id: str, notice: str = "") -> Response:
    """The form with the resource's current values."""
    return _form_page(request, resource_form.to_form(_record(request, service_id)), service_id,
                      notice=NOTICES.get(notice))


@router.post("/resources/{service_id}", response_class=HTMLResponse)
async def update_resource(request: Request, staff: Editor, service_id: str) -> Response:
    """Save the form; only changed fields are written and audited."""
    _record(request, service_id)
    return await _save(request, staff, service_id)


async def _save(request: Request, staff: Staff, service_id: str | None) -> Response:
    form = await request.form()
    values = {key: form.get(key) for key in form.keys()}
    values["other_needs"] = form.getlist("other_needs")
    try:
        with transaction(context(request).engine) as session:
            record, report = resource_form.save(session, values, staff.actor, service_id)
    except resource_form.FormError as exc:
        values.pop("csrf_token", None)
        return _form_page(request, values, service_id, errors=exc.errors, status_code=400)
    notice = "saved" if report.changed else "unchanged"
    return redirect(request, f"/resources/{record.id}?notice={notice}")


@router.post("/resources/{service_id}/archive")
def archive(request: Request, staff: Editor, service_id: str) -> Response:
    """Stop showing the resource to families (its status becomes inactive); nothing is deleted."""
    return _change(request, staff, service_id, "archived", status="inactive")


@router.post("/resources/{service_id}/restore")
def restore(request: Request, staff: Editor, service_id: str) -> Response:
    """Show an archived resource again."""
    return _change(request, staff, service_id, "restored", status="active")


@router.post("/resources/{service_id}/verify")
def verify(request: Request, staff: Editor, service_id: str) -> Response:
    """Record that the facts were checked today."""
    return _change(request, staff, service_id, "verified", verified_on=dt.date.today())


def _change(request: Request, staff: Staff, service_id: str, notice: str, **changes: object) -> Response:
    with transaction(context(request).engine) as session:
        if resource_form.change(session, service_id, staff.actor, **changes) is None:
            raise HTTPException(status_code=404)
    return redirect(request, f"/resources/{service_id}?notice={notice}")
