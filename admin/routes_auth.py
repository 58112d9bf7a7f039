"""Signing in and out, the page language, and the home page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from admin.auth import SignIn, Staff, authenticate, forget_old_attempts
from admin.i18n import LANGUAGES, N_
from admin.overview import overview
from admin.records import StaffUser
from admin.sessions import COOKIE_NAME, end_session, start_session
from admin.web import LANGUAGE_COOKIE, context, load_staff, redirect, render, require_role, set_cookie, url
from resources_db.database import transaction
from resources_db.store import audit

router = APIRouter()

WRONG = N_("Wrong email or password.")
THROTTLED = N_("Too many failed attempts. Wait 15 minutes, then try again.")


def _safe_next(request: Request, target: str | None) -> str:
    """Only an admin path is an acceptable place to go after signing in (no open redirect)."""
    root = url(request, "/")
    if target and target.startswith(root) and not target.startswith("//") and "\\" not in target:
        return target
    return root


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:  # noqa: A002 - the usual name
    """The sign-in form."""
    if load_staff(request) is not None:
        return RedirectResponse(_safe_next(request, next), status_code=303)
    return render(request, "login.html", next=_safe_next(request, next), error=None, email="")


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, email: Annotated[str, Form(max_length=254)],
          password: Annotated[str, Form(max_length=1000)],
          next: Annotated[str | None, Form(max_length=500)] = None) -> Response:  # noqa: A002
    """Check the password and open a session; failures are counted and slowed down."""
    ctx = context(request)
    client = request.client.host if request.client else "unknown"
    with transaction(ctx.engine) as session:
        outcome, user = authenticate(session, email, password, client)
        if outcome is SignIn.ok:
            token = start_session(session, user, dt.timedelta(hours=ctx.settings.admin_session_hours))
            audit(session, f"staff:{user.email}", "login", "staff_user", user.email, None, None, None)
        else:
            forget_old_attempts(session)
    if outcome is not SignIn.ok:
        status = 429 if outcome is SignIn.throttled else 401
        return render(request, "login.html", status_code=status, next=_safe_next(request, next),
                      error=THROTTLED if outcome is SignIn.throttled else WRONG, email=email)
    response = RedirectResponse(_safe_next(request, next), status_code=303)
    set_cookie(request, response, COOKIE_NAME, token, max_age=int(ctx.settings.admin_session_hours * 3600))
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session on the server, so the cookie is worthless, and forget the cookie."""
    with transaction(context(request).engine) as session:
        end_session(session, request.cookies.get(COOKIE_NAME))
    response = redirect(request, "/login")
    response.delete_cookie(COOKIE_NAME, path=url(request, "/") or "/")
    return response


@router.post("/language")
def choose_language(request: Request, language: Annotated[str, Form(max_length=5)],
                    next: Annotated[str | None, Form(max_length=500)] = None) -> Response:  # noqa: A002
    """Switch the admin pages to French or English (remembered for the account and the browser)."""
    language = language if language in LANGUAGES else LANGUAGES[0]
    staff = load_staff(request)
    if staff is not None:
        with transaction(context(request).engine) as session:
            session.get(StaffUser, staff.id).language = language
    response = RedirectResponse(_safe_next(request, next), status_code=303)
    set_cookie(request, response, LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600)
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, staff: Annotated[Staff, Depends(require_role("editor"))]) -> Response:
    """What needs attention: stale resources, machine translations to review, missing texts."""
    with transaction(context(request).engine) as session:
        numbers = overview(session)
    return render(request, "home.html", numbers=numbers)
