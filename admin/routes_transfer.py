"""Import and export page (editors): HSDS JSON, CSV and YAML, like `familybot db import/export`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from admin import transfer
from admin.auth import Staff
from admin.i18n import N_
from admin.web import context, render, require_role

router = APIRouter()
Editor = Annotated[Staff, Depends(require_role("editor"))]

REFUSED = N_("Nothing was imported: the file has the problems listed below. Correct them and import it again.")
NO_CHANGE = N_("Nothing to change: the database already has this content.")
#: Larger files are refused before reading (the whole seed is about 300 kB).
MAX_UPLOAD_BYTES = 4 * 1024 * 1024
TOO_LARGE = N_("The file is too large (4 MB at most).")


def _page(request: Request, status_code: int = 200, **values: object) -> HTMLResponse:
    return render(request, "transfer.html", status_code=status_code, formats=list(transfer.FORMATS), **values)


@router.get("/transfer", response_class=HTMLResponse)
def transfer_page(request: Request, _staff: Editor) -> Response:
    """Choose a format to export, or a file to import."""
    return _page(request)


@router.get("/transfer/export")
def export(request: Request, _staff: Editor, format: str = "yaml") -> Response:  # noqa: A002 - the query name
    """Download every organization and service with its texts in all languages."""
    fmt = format if format in transfer.FORMATS else "yaml"
    data, filename, media_type = transfer.export(context(request).engine, fmt)
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.post("/transfer/import", response_class=HTMLResponse)
async def import_upload(request: Request, staff: Editor, file: Annotated[UploadFile, File()]) -> Response:
    """Apply an uploaded file in one transaction, or show every problem and change nothing."""
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return _page(request, status_code=413, error=TOO_LARGE)
    result = await run_in_threadpool(transfer.import_file, context(request).engine, file.filename or "", data,
                                     staff.actor)
    if result.problems:
        return _page(request, status_code=400, error=REFUSED, problems=result.problems, filename=file.filename)
    return _page(request, report=result.report, filename=file.filename,
                 notice=None if result.report.changed else NO_CHANGE)
