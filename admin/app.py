"""The staff admin web app, mounted under `/admin` of `familybot serve`.

`bot/server.py` mounts it with one line::

    app.mount("/admin", admin_app(settings, dialogue))

It is its own FastAPI app (no OpenAPI page, HTML error pages, security headers), and
every state-changing request is checked for its CSRF token (`admin.csrf.check_csrf`).

Adding pages (e.g. the learning pages): write an `APIRouter` in a new module
`admin/routes_<area>.py`, protect each route with `Depends(require_role(...))` from
`admin.web`, render with `admin.web.render`, put templates under
`admin/templates/` extending `base.html`, add a nav link in `base.html`, and include
the router below.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from admin import (
    routes_auth,
    routes_broadcasts,
    routes_calendars,
    routes_handoffs,
    routes_learning,
    routes_needs,
    routes_preview,
    routes_resources,
    routes_transfer,
    routes_translations,
    routes_users,
)
from admin.csrf import check_csrf
from admin.i18n import N_
from admin.web import AdminContext, make_templates, render
from bot.dialogue import Dialogue
from bot.settings import Settings

STATIC_DIR = Path(__file__).with_name("static")
BAD_REQUEST = N_("Some fields of this form are missing or not valid.")
NOT_FOUND = N_("This page does not exist.")
#: No scripts, no frames, no outside resources: the pages are plain HTML and one stylesheet.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def admin_app(settings: Settings, dialogue: Dialogue) -> FastAPI:
    """The admin pages over the same database (and the same Dialogue) as the bot."""
    app = FastAPI(title="familybot admin", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(check_csrf)])
    app.state.admin = AdminContext(settings, dialogue)
    app.state.templates = make_templates()

    @app.middleware("http")
    async def security_headers(request: Request, call_next) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code in {301, 302, 303, 307} and exc.headers and "Location" in exc.headers:
            return RedirectResponse(exc.headers["Location"], status_code=exc.status_code)
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else NOT_FOUND
        return render(request, "error.html", status_code=exc.status_code, message=message)

    @app.exception_handler(RequestValidationError)
    async def invalid_form(request: Request, _exc: RequestValidationError) -> HTMLResponse:
        return render(request, "error.html", status_code=400, message=BAD_REQUEST)

    @app.get("/static/admin.css", include_in_schema=False)
    def stylesheet() -> Response:
        return Response((STATIC_DIR / "admin.css").read_text(encoding="utf-8"), media_type="text/css",
                        headers={"Cache-Control": "max-age=3600"})

    app.include_router(routes_auth.router)
    app.include_router(routes_resources.router)
    app.include_router(routes_translations.router)
    app.include_router(routes_preview.router)
    app.include_router(routes_transfer.router)
    app.include_router(routes_users.router)
    app.include_router(routes_learning.router)
    app.include_router(routes_handoffs.router)
    app.include_router(routes_needs.router)
    app.include_router(routes_broadcasts.router)
    app.include_router(routes_calendars.router)
    return app
