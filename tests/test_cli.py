"""The command line a newcomer meets first."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from bot import __version__
from bot.cli import app

runner = CliRunner()
COMMANDS = ["db", "nlu", "train", "chat", "ask", "privacy"]


def test_help_lists_every_command_with_a_description():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        line = re.search(rf"^\s+{command}\s+(\S.*)$", result.output, re.MULTILINE)
        assert line, f"{command} missing from --help"


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"familybot {__version__}"


def test_db_commands(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    seeded = runner.invoke(app, ["db", "seed"])
    assert seeded.exit_code == 0 and "created" in seeded.output
    again = runner.invoke(app, ["db", "seed"])
    assert "nothing to change" in again.output
    for fmt, suffix in [("yaml", "yml"), ("csv", "csv"), ("hsds-json", "json")]:
        out = tmp_path / f"export.{suffix}"
        result = runner.invoke(app, ["db", "export", "--format", fmt, str(out)])
        assert result.exit_code == 0 and out.stat().st_size > 1000
        assert "nothing to change" in runner.invoke(app, ["db", "import", str(out)]).output


def test_import_of_a_malformed_file_fails_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    bad = tmp_path / "bad.csv"
    bad.write_text("service_id,organization_id\nx,y\n", encoding="utf-8")
    result = runner.invoke(app, ["db", "import", str(bad)])
    assert result.exit_code == 1
    assert "missing column(s): needs" in result.output


def test_ask_json_continues_a_conversation(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'ask.db'}")
    first = json.loads(runner.invoke(app, ["ask", "necesito ayuda con comida para mis hijos", "--user", "u1",
                                           "--json"]).output)
    assert first["language"] == "es" and first["intent"] == "food_aid"
    assert set(first) >= {"language", "intent", "confidence", "reply", "options", "resources"}
    assert set(first["resources"][0]) == {"id", "name", "url", "phone"}
    more = json.loads(runner.invoke(app, ["ask", "MÁS", "--user", "u1", "--json"]).output)
    assert more["intent"] == "food_aid"
    assert {r["id"] for r in more["resources"]}.isdisjoint({r["id"] for r in first["resources"]})


def test_chat_runs_a_console_conversation(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'chat.db'}")
    result = runner.invoke(app, ["chat", "--lang", "ht"], input="mwen bezwen manje pou pitit mwen yo\nquit\n")
    assert result.exit_code == 0, result.output
    assert "familybot>" in result.output
    assert "1." in result.output
