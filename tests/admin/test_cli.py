"""`familybot admin create-user`."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from admin.records import StaffUser
from bot.cli import app
from resources_db.database import make_engine, transaction


def test_create_user_asks_the_password_twice_and_stores_only_a_hash(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    result = CliRunner().invoke(app, ["admin", "create-user", "Lea@School.example.org", "--role", "reviewer"],
                                input="a long secret phrase\na long secret phrase\n")
    assert result.exit_code == 0, result.output
    assert "a long secret phrase" not in result.output
    with transaction(make_engine(url)) as session:
        user = session.scalar(select(StaffUser))
        assert (user.email, user.role, user.active) == ("lea@school.example.org", "reviewer", True)
        assert user.password_hash.startswith("$argon2id$")


def test_create_user_refuses_a_short_password_and_an_unknown_role(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'admin.db'}")
    short = CliRunner().invoke(app, ["admin", "create-user", "a@b.example.org", "--role", "editor"],
                               input="short\nshort\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    unknown = CliRunner().invoke(app, ["admin", "create-user", "a@b.example.org", "--role", "boss"])
    assert unknown.exit_code == 2 and "editor, reviewer, admin" in unknown.output
