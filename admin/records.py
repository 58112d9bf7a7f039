"""Tables for staff access: accounts, server-side sessions, and login attempts.

Everything lives in the database, never only in memory, so that several server
processes share the same sessions and rate limits, and a logout holds everywhere.
Session tokens are stored as SHA-256 digests: a copy of the database does not let
anyone sign in.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from resources_db.models import Base


class StaffUser(Base):
    """A school or community staff member who edits content or reviews translations."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Stored lowercased: the login is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: argon2id hash (argon2-cffi), never the password.
    password_hash: Mapped[str] = mapped_column(String(200))
    #: editor, reviewer or admin (see `admin.auth.ROLES`).
    role: Mapped[str] = mapped_column(String(20))
    #: Language of the admin pages for this person: fr or en.
    language: Mapped[str] = mapped_column(String(5), default="fr")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class StaffSession(Base):
    """One signed-in browser; deleting the row signs it out on every server process."""

    __tablename__ = "staff_session"

    #: SHA-256 hex digest of the cookie's random token.
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    #: Synchronizer token every form of this session must send back.
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class LoginAttempt(Base):
    """A failed sign-in, counted per account and per client to slow password guessing."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The email as typed (lowercased), whether or not such an account exists.
    email: Mapped[str] = mapped_column(String(254), index=True)
    #: The client's address as the server sees it (behind a proxy: run uvicorn with --proxy-headers).
    client: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
