"""School calendars page (editors): what each school has, import an .ics file or URL, a school's dates.

The same import as `familybot calendar import` (admin.calendars): a malformed
calendar changes nothing and its reason is shown next to the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from admin import calendars
from admin.auth import Staff
from admin.i18n import N_
from admin.web import context, page_language, render, require_role
from bot.calendar.ics_import import MAX_BYTES, CalendarError
from bot.calendar.store import CalendarBook
from bot.calendar.wording import event_when, format_day, kind_name

router = APIRouter()
Editor = Annotated[Staff, Depends(require_role("editor"))]

REFUSED = N_("Nothing was imported. The reason:")
ONE_SOURCE = N_("Choose an .ics file or give its address (URL), not both.")
NO_SOURCE = N_("Choose an .ics file or give its address (URL).")


def _page(request: Request, status_code: int = 200, **values: object) -> HTMLResponse:
    language = page_language(request)
    return render(request, "calendars.html", status_code=status_code,
                  schools=calendars.school_summaries(context(request).engine),
                  day=lambda d: format_day(d, language) if d else "", kind=lambda k: kind_name(k, language),
                  max_mb=MAX_BYTES // 1024 // 1024, form=values.pop("form", {}), **values)


@router.get("/calendars", response_class=HTMLResponse)
def calendars_page(request: Request, _staff: Editor, school: str = "") -> Response:
    """Schools with their dates, and the import form (prefilled with `school`)."""
    return _page(request, form={"school": school[:300]})


@router.post("/calendars/import", response_class=HTMLResponse)
async def import_calendar(request: Request, staff: Editor, school: Annotated[str, Form(max_length=300)],
                          aliases: Annotated[str, Form(max_length=2000)] = "",
                          url: Annotated[str, Form(max_length=2000)] = "",
                          file: Annotated[UploadFile | None, File()] = None) -> Response:
    """Replace a school's calendar by the uploaded file or the URL's, then show what was imported."""
    form = {"school": school, "aliases": aliases, "url": url}
    data = await file.read(MAX_BYTES + 1) if file is not None else b""
    uploaded = bool(data) or bool(file is not None and file.filename)
    if uploaded and url.strip():
        return _page(request, status_code=400, import_error=ONE_SOURCE, form=form)
    if not uploaded and not url.strip():
        return _page(request, status_code=400, import_error=NO_SOURCE, form=form)
    names = [a.strip() for a in aliases.replace("\n", ",").split(",") if a.strip()]
    admin = context(request)
    try:
        report = await run_in_threadpool(
            calendars.import_for_staff, admin.engine, school, names, admin.settings.timezone, staff.actor,
            url=None if uploaded else url, filename=file.filename if uploaded and file else None,
            data=data if uploaded else None)
    except CalendarError as exc:
        return _page(request, status_code=400, import_error=REFUSED, reason=str(exc), form=form)
    return _page(request, report=report)


@router.get("/calendars/{school_id}", response_class=HTMLResponse)
def school_page(request: Request, _staff: Editor, school_id: str, since: dt.date | None = None) -> Response:
    """A school's dates still to come (or from `since`), by type."""
    admin = context(request)
    school = CalendarBook(admin.engine).school(school_id)
    if school is None:
        raise HTTPException(status_code=404)
    since = since or dt.datetime.now(ZoneInfo(admin.settings.timezone)).date()
    language = page_language(request)
    return render(request, "calendar_school.html", school=school, since=since,
                  groups=calendars.upcoming_by_kind(admin.engine, school_id, since),
                  day=lambda d: format_day(d, language), when=lambda e: event_when(e, language),
                  kind=lambda k: kind_name(k, language))
