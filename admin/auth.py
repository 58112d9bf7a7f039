"""Staff accounts: roles, argon2 password hashes, and sign-in with rate limiting.

Roles are ordered: an editor edits content; a reviewer also approves translations;
an admin also manages staff accounts. `has_role(user_role, needed)` is the one rule.

Password guessing is slowed per account and per client: after `ACCOUNT_LIMIT`
failures for one email, or `CLIENT_LIMIT` failures from one address, within
`WINDOW`, sign-in is refused (even with the right password) until the window passes.
The failures are rows in `login_attempt`, so every server process counts them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from admin.i18n import N_
from admin.records import LoginAttempt, StaffUser
from resources_db.store import audit

#: Roles from least to most trusted.
ROLES = (N_("editor"), N_("reviewer"), N_("admin"))
LANGUAGES = ("fr", "en")
MIN_PASSWORD_LENGTH = 10
ACCOUNT_LIMIT = 5
CLIENT_LIMIT = 20
WINDOW = dt.timedelta(minutes=15)
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,}$")

_hasher = PasswordHasher()
# A hash to verify against when the account does not exist, so both cases take as long.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class SignIn(Enum):
    """How a sign-in attempt ended."""

    ok = "ok"
    wrong = "wrong"
    throttled = "throttled"


class AccountError(ValueError):
    """An account change was refused; the message says why, for staff."""

    def __init__(self, message: str, **values: object):
        super().__init__(message.format(**values))
        self.message, self.values = message, values

    def say(self, gettext: Callable[[str], str]) -> str:
        """The reason in the staff member's language."""
        return gettext(self.message).format(**self.values)


@dataclass(frozen=True)
class Staff:
    """The signed-in staff member, as route handlers see them."""

    id: int
    email: str
    role: str
    language: str
    #: The CSRF token forms of this session must carry.
    csrf_token: str

    def can(self, role: str) -> bool:
        """True when this person's role includes `role`."""
        return has_role(self.role, role)

    @property
    def actor(self) -> str:
        """How this person appears in the audit log."""
        return f"staff:{self.email}"


def has_role(user_role: str, needed: str) -> bool:
    """True when `user_role` is `needed` or a more trusted role."""
    if needed not in ROLES:
        raise ValueError(f"unknown role {needed!r}; use one of {', '.join(ROLES)}")
    return user_role in ROLES and ROLES.index(user_role) >= ROLES.index(needed)


def normalize_email(email: str) -> str:
    """The canonical form of a login email."""
    return email.strip().lower()


def check_new_account(email: str, password: str, role: str) -> str:
    """Validate a new account's fields; return the normalized email."""
    email = normalize_email(email)
    if not EMAIL.match(email):
        raise AccountError(N_("{email} is not an email address."), email=email)
    if role not in ROLES:
        raise AccountError(N_("The role must be one of: {roles}."), roles=", ".join(ROLES))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(N_("The password needs at least {count} characters."), count=MIN_PASSWORD_LENGTH)
    return email


def create_user(session: Session, email: str, password: str, role: str, actor: str,
                language: str = "fr") -> StaffUser:
    """Create a staff account (audited); raises AccountError for bad input or a taken email."""
    email = check_new_account(email, password, role)
    if session.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
        raise AccountError(N_("An account for {email} already exists."), email=email)
    user = StaffUser(email=email, password_hash=_hasher.hash(password), role=role,
                     language=language if language in LANGUAGES else "fr", active=True)
    session.add(user)
    session.flush()
    audit(session, actor, "create", "staff_user", email, "role", None, role)
    return user


def set_role(session: Session, user: StaffUser, role: str, actor: str) -> None:
    """Change someone's role (audited)."""
    if role not in ROLES:
        raise AccountError(N_("The role must be one of: {roles}."), roles=", ".join(ROLES))
    if role != user.role:
        audit(session, actor, "update", "staff_user", user.email, "role", user.role, role)
        user.role = role


def set_password(session: Session, user: StaffUser, password: str, actor: str) -> None:
    """Give someone a new password (audited, never the password itself); their sessions end."""
    from admin.sessions import end_all_sessions  # sessions depend on accounts, not the reverse

    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(N_("The password needs at least {count} characters."), count=MIN_PASSWORD_LENGTH)
    user.password_hash = _hasher.hash(password)
    audit(session, actor, "update", "staff_user", user.email, "password", None, None)
    end_all_sessions(session, user.id)


def set_active(session: Session, user: StaffUser, active: bool, actor: str) -> None:
    """Deactivate or reactivate an account (audited); deactivation ends its sessions."""
    from admin.sessions import end_all_sessions  # sessions depend on accounts, not the reverse

    if active != user.active:
        audit(session, actor, "update", "staff_user", user.email, "active", str(user.active), str(active))
        user.active = active
    if not active:
        end_all_sessions(session, user.id)


def authenticate(session: Session, email: str, password: str, client: str,
                 now: dt.datetime | None = None) -> tuple[SignIn, StaffUser | None]:
    """Check a sign-in, counting failures; the user only when the outcome is `ok`."""
    now = now or dt.datetime.now(dt.UTC)
    email = normalize_email(email)[:254]
    client = client[:64]
    since = now - WINDOW
    by_account = session.scalar(select(func.count()).select_from(LoginAttempt)
                                .where(LoginAttempt.email == email, LoginAttempt.at > since))
    by_client = session.scalar(select(func.count()).select_from(LoginAttempt)
                               .where(LoginAttempt.client == client, LoginAttempt.at > since))
    if by_account >= ACCOUNT_LIMIT or by_client >= CLIENT_LIMIT:
        return SignIn.throttled, None
    user = session.scalar(select(StaffUser).where(StaffUser.email == email))
    if _password_matches(user.password_hash if user else _DUMMY_HASH, password) and user and user.active:
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
        return SignIn.ok, user
    session.add(LoginAttempt(email=email, client=client, at=now))
    return SignIn.wrong, None


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def forget_old_attempts(session: Session, now: dt.datetime | None = None) -> None:
    """Delete failures older than the window: they no longer count."""
    now = now or dt.datetime.now(dt.UTC)
    session.execute(delete(LoginAttempt).where(LoginAttempt.at <= now - WINDOW))
