"""Staff accounts (admins only): create, change role, deactivate or reactivate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select

from admin.auth import LANGUAGES, ROLES, AccountError, Staff, create_user, set_active, set_password, set_role
from admin.i18n import N_, gettext_for
from admin.records import StaffUser
from admin.web import context, page_language, redirect, render, require_role
from resources_db.database import transaction

router = APIRouter()
Admin = Annotated[Staff, Depends(require_role("admin"))]

LAST_ADMIN = N_("There must remain at least one active admin.")
CREATED = N_("Account created.")
SAVED = N_("Saved.")


def _page(request: Request, status_code: int = 200, error: str | None = None, notice: str | None = None,
          form: dict | None = None) -> HTMLResponse:
    with transaction(context(request).engine) as session:
        users = session.scalars(select(StaffUser).order_by(StaffUser.email)).all()
    return render(request, "users.html", status_code=status_code, users=users, roles=ROLES,
                  error=error, notice=notice, form=form or {})


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, _staff: Admin, notice: str | None = None) -> Response:
    """Every staff account with its role and state."""
    return _page(request, notice={"created": CREATED, "saved": SAVED}.get(notice or ""))


@router.post("/users", response_class=HTMLResponse)
def add_user(request: Request, staff: Admin, email: Annotated[str, Form(max_length=254)],
             password: Annotated[str, Form(max_length=1000)], role: Annotated[str, Form(max_length=20)],
             language: Annotated[str, Form(max_length=5)] = "fr") -> Response:
    """Create an account; the new person signs in with the password given to them."""
    try:
        with transaction(context(request).engine) as session:
            create_user(session, email, password, role, staff.actor,
                        language if language in LANGUAGES else "fr")
    except AccountError as exc:
        return _page(request, status_code=400, error=exc.say(gettext_for(page_language(request))),
                     form={"email": email, "role": role})
    return redirect(request, "/users?notice=created")


def _user(session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise HTTPException(status_code=404)
    return user


def _would_leave_no_admin(session, user: StaffUser) -> bool:
    others = session.scalar(select(func.count()).select_from(StaffUser).where(
        StaffUser.role == "admin", StaffUser.active.is_(True), StaffUser.id != user.id))
    return user.role == "admin" and others == 0


@router.post("/users/{user_id}/role", response_class=HTMLResponse)
def change_role(request: Request, staff: Admin, user_id: int, role: Annotated[str, Form(max_length=20)]) -> Response:
    """Give someone another role (takes effect on their next page)."""
    with transaction(context(request).engine) as session:
        user = _user(session, user_id)
        if role != "admin" and _would_leave_no_admin(session, user):
            error = LAST_ADMIN
        else:
            try:
                set_role(session, user, role, staff.actor)
                error = None
            except AccountError as exc:
                error = exc.say(gettext_for(page_language(request)))
    return _page(request, status_code=400, error=error) if error else redirect(request, "/users?notice=saved")


@router.post("/users/{user_id}/active", response_class=HTMLResponse)
def change_active(request: Request, staff: Admin, user_id: int,
                  active: Annotated[str, Form(pattern="^(yes|no)$")]) -> Response:
    """Deactivate (signing them out everywhere) or reactivate an account."""
    with transaction(context(request).engine) as session:
        user = _user(session, user_id)
        refused = active == "no" and _would_leave_no_admin(session, user)
        if not refused:
            set_active(session, user, active == "yes", staff.actor)
    return _page(request, status_code=400, error=LAST_ADMIN) if refused else redirect(request, "/users?notice=saved")


@router.post("/users/{user_id}/password", response_class=HTMLResponse)
def change_password(request: Request, staff: Admin, user_id: int,
                    password: Annotated[str, Form(max_length=1000)]) -> Response:
    """Set a new temporary password for someone who forgot theirs (their sessions end)."""
    try:
        with transaction(context(request).engine) as session:
            set_password(session, _user(session, user_id), password, staff.actor)
    except AccountError as exc:
        return _page(request, status_code=400, error=exc.say(gettext_for(page_language(request))))
    return redirect(request, "/users?notice=saved")
