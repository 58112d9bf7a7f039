"""Cross-site request forgery protection for every admin form.

Signed-in pages use the synchronizer token stored with the server-side session.
Before sign-in (the login form itself), a random token in a SameSite=Strict cookie
must match the form's (double submit). Every POST, PUT, PATCH and DELETE to the
admin app is checked by `check_csrf`, installed once for the whole app: a route
cannot forget it.

In templates, put `{{ csrf_field() }}` inside every `<form method="post">`.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from markupsafe import Markup, escape

from admin.i18n import N_

FIELD_NAME = "csrf_token"
ANONYMOUS_COOKIE = "familybot_admin_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSED = N_("This form has expired or did not come from this site. Go back, reload the page and try again.")


def expected_token(request: Request) -> str:
    """The token this request's forms must carry (creating the anonymous one if needed)."""
    staff = getattr(request.state, "staff", None)
    if staff is not None:
        return staff.csrf_token
    token = request.cookies.get(ANONYMOUS_COOKIE) or getattr(request.state, "new_csrf_cookie", None)
    if not token:
        token = secrets.token_urlsafe(32)
        # admin.web.render sets the cookie on the response.
        request.state.new_csrf_cookie = token
    return token


def csrf_field(request: Request) -> Markup:
    """The hidden input carrying the CSRF token."""
    return Markup(f'<input type="hidden" name="{FIELD_NAME}" value="{escape(expected_token(request))}">')


async def check_csrf(request: Request) -> None:
    """FastAPI dependency: refuse state-changing requests without the right token (403)."""
    if request.method in SAFE_METHODS:
        return
    from admin.web import load_staff  # the web layer depends on this module, not the reverse

    await run_in_threadpool(load_staff, request)
    try:
        form = await request.form()
    except Exception as exc:  # noqa: BLE001 - an unreadable body cannot carry a valid token
        raise HTTPException(status_code=403, detail=REFUSED) from exc
    given = form.get(FIELD_NAME)
    staff = getattr(request.state, "staff", None)
    expected = staff.csrf_token if staff is not None else request.cookies.get(ANONYMOUS_COOKIE)
    if not isinstance(given, str) or not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(status_code=403, detail=REFUSED)
