"""Sessions and sign-in limits over time, straight on the database (no HTTP)."""

from __future__ import annotations

import datetime as dt

from admin.auth import ACCOUNT_LIMIT, WINDOW, SignIn, authenticate, create_user
from admin.sessions import staff_for_token, start_session
from resources_db.database import transaction

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def test_a_session_ends_when_its_lifetime_is_over(engine):
    with transaction(engine) as session:
        user = create_user(session, "a@school.example.org", "a long password", "editor", "test")
        token = start_session(session, user, dt.timedelta(hours=12), now=NOW)
    with transaction(engine) as session:
        assert staff_for_token(session, token, now=NOW + dt.timedelta(hours=11)).email == "a@school.example.org"
        assert staff_for_token(session, token, now=NOW + dt.timedelta(hours=12, seconds=1)) is None
        assert staff_for_token(session, token + "x", now=NOW) is None
        assert staff_for_token(session, "", now=NOW) is None


def test_a_locked_account_can_sign_in_again_after_the_window(engine):
    with transaction(engine) as session:
        create_user(session, "b@school.example.org", "a long password", "editor", "test")
    for minute in range(ACCOUNT_LIMIT):
        with transaction(engine) as session:
            outcome, _ = authenticate(session, "b@school.example.org", "guess", "10.0.0.1",
                                      now=NOW + dt.timedelta(minutes=minute))
            assert outcome is SignIn.wrong
    with transaction(engine) as session:
        outcome, _ = authenticate(session, "b@school.example.org", "a long password", "10.0.0.2",
                                  now=NOW + dt.timedelta(minutes=ACCOUNT_LIMIT))
        assert outcome is SignIn.throttled
    later = NOW + dt.timedelta(minutes=ACCOUNT_LIMIT) + WINDOW
    with transaction(engine) as session:
        outcome, user = authenticate(session, "b@school.example.org", "a long password", "10.0.0.2", now=later)
    assert outcome is SignIn.ok and user.email == "b@school.example.org"
