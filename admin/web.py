"""What every admin page shares: the app context, who is signed in, roles, rendering.

Route modules use three things from here:

- `require_role("editor" | "reviewer" | "admin")`: a FastAPI dependency returning the
  signed-in `admin.auth.Staff`; without a session it redirects to the login page,
  with too small a role it answers 403.
- `render(request, "template.html", **values)`: an HTML response from
  `admin/templates`, autoescaped, with `_`, `user`, `csrf_field()`, `url()` and `lang`.
- `context(request)`: the `AdminContext` (settings, dialogue, database engine).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine

from admin.auth import Staff
from admin.csrf import ANONYMOUS_COOKIE, csrf_field
from admin.i18n import LANGUAGE_NAMES, LANGUAGES, N_, gettext_for, pick_language
from admin.sessions import COOKIE_NAME, staff_for_token
from bot.dialogue import Dialogue
from bot.settings import Settings
from resources_db.database import transaction

TEMPLATE_DIR = Path(__file__).with_name("templates")
LANGUAGE_COOKIE = "familybot_admin_lang"
NOT_ALLOWED = N_("Your role does not give access to this page.")


@dataclass(frozen=True)
class AdminContext:
    """Everything the admin pages need, built once per app."""

    settings: Settings
    dialogue: Dialogue

    @property
    def engine(self) -> Engine:
        """The bot's own database: changes made here are what families see next."""
        return self.dialogue.store.engine


def make_templates() -> Environment:
    """The Jinja2 environment: autoescaping on for every template."""
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def context(request: Request) -> AdminContext:
    """The admin context of the app serving `request`."""
    return request.app.state.admin


def url(request: Request, path: str) -> str:
    """An absolute path inside the admin app, wherever it is mounted (`url(request, "/login")`)."""
    return f"{request.scope.get('root_path', '').rstrip('/')}{path}"


def load_staff(request: Request) -> Staff | None:
    """The signed-in staff member for this request (looked up once, kept on `request.state`)."""
    if not hasattr(request.state, "staff"):
        with transaction(context(request).engine) as session:
            request.state.staff = staff_for_token(session, request.cookies.get(COOKIE_NAME))
    return request.state.staff


def require_role(role: str) -> Callable[[Request], Staff]:
    """A dependency that lets only staff with `role` (or a higher one) through."""

    def dependency(request: Request) -> Staff:
        staff = load_staff(request)
        if staff is None:
            target = quote(request.url.path, safe="/")
            raise HTTPException(status_code=303, headers={"Location": url(request, f"/login?next={target}")})
        if not staff.can(role):
            raise HTTPException(status_code=403, detail=NOT_ALLOWED)
        return staff

    return dependency


def page_language(request: Request) -> str:
    """The signed-in person's language, else the language cookie, else the browser's."""
    staff = getattr(request.state, "staff", None)
    return pick_language(staff.language if staff else None, request.cookies.get(LANGUAGE_COOKIE),
                         request.headers.get("accept-language"))


def render(request: Request, template: str, status_code: int = 200, **values: object) -> HTMLResponse:
    """Render `template` with the values every page needs."""
    language = page_language(request)
    html = request.app.state.templates.get_template(template).render(
        request=request,
        user=getattr(request.state, "staff", None),
        lang=language,
        languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        _=gettext_for(language),
        csrf_field=lambda: csrf_field(request),
        url=lambda path: url(request, path),
        **values,
    )
    response = HTMLResponse(html, status_code=status_code)
    new_token = getattr(request.state, "new_csrf_cookie", None)
    if new_token:
        set_cookie(request, response, ANONYMOUS_COOKIE, new_token)
    return response


def set_cookie(request: Request, response: HTMLResponse | RedirectResponse, name: str, value: str,
               max_age: int | None = None) -> None:
    """Set an admin cookie: HttpOnly, SameSite=Strict, Secure when the site is served over https."""
    response.set_cookie(name, value, max_age=max_age, path=url(request, "/") or "/", httponly=True,
                        samesite="strict", secure=context(request).settings.admin_cookie_secure)


def redirect(request: Request, path: str) -> RedirectResponse:
    """A 303 redirect to an admin path (after a POST, the browser GETs the result)."""
    return RedirectResponse(url(request, path), status_code=303)
