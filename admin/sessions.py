"""Server-side sessions: a random token in the cookie, its digest in `staff_session`.

Signing out deletes the row, so the cookie is worthless afterwards on every server
process, even if someone kept a copy. Sessions expire after `lifetime`; deactivating
an account ends all its sessions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from admin.auth import Staff
from admin.records import StaffSession, StaffUser

COOKIE_NAME = "familybot_admin"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: StaffUser, lifetime: dt.timedelta,
                  now: dt.datetime | None = None) -> str:
    """Open a session for `user`; returns the token to put in the cookie."""
    now = now or dt.datetime.now(dt.UTC)
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(token_hash=_digest(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                             created_at=now, expires_at=now + lifetime))
    # Expired rows are cleaned up here, when someone signs in, rather than by a timer.
    session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
    return token


def staff_for_token(session: Session, token: str | None, now: dt.datetime | None = None) -> Staff | None:
    """The active staff member a cookie token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    now = now or dt.datetime.now(dt.UTC)
    row = session.execute(
        select(StaffSession, StaffUser)
        .join(StaffUser, StaffUser.id == StaffSession.user_id)
        .where(StaffSession.token_hash == _digest(token), StaffUser.active.is_(True))
    ).first()
    if row is None:
        return None
    staff_session, user = row
    if _aware(staff_session.expires_at) <= now:
        return None
    return Staff(id=user.id, email=user.email, role=user.role, language=user.language,
                 csrf_token=staff_session.csrf_token)


def end_session(session: Session, token: str | None) -> None:
    """Sign out the browser holding `token`."""
    if token:
        session.execute(delete(StaffSession).where(StaffSession.token_hash == _digest(token)))


def end_all_sessions(session: Session, user_id: int) -> None:
    """Sign out every browser of one account."""
    session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
