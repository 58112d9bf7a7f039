"""Secrets come from the environment or from files, and bad ones stop the server with a clear message."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config_checks import polling_problems, serve_problems
from bot.settings import DEV_ID_SALT, Settings, SettingsError

SECRETS = ["ID_HASH_SALT", "TWILIO_AUTH_TOKEN", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"]
GOOD_SALT = "k3Jx9vQ2mZ7pL0aR5tY8wE1uI4oB6nC"


@pytest.fixture
def clean_env(monkeypatch):
    """No familybot variable from the developer's shell leaks into these tests."""
    for name in [*SECRETS, *(f"{n}_FILE" for n in SECRETS), "PUBLIC_BASE_URL", "FAMILYBOT_ENV"]:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("name,attribute", [
    ("ID_HASH_SALT", "id_salt"), ("TWILIO_AUTH_TOKEN", "twilio_auth_token"),
    ("TELEGRAM_BOT_TOKEN", "telegram_token"), ("TELEGRAM_WEBHOOK_SECRET", "telegram_webhook_secret"),
])
def test_each_secret_can_be_read_from_a_file(clean_env, tmp_path, name, attribute):
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file-secret_123\n", encoding="utf-8")
    clean_env.setenv(f"{name}_FILE", str(secret_file))
    assert getattr(Settings.from_env(), attribute) == "from-a-file-secret_123", "trailing newline dropped"


def test_a_secret_from_the_environment_still_works(clean_env):
    clean_env.setenv("TWILIO_AUTH_TOKEN", "plain-token")
    assert Settings.from_env().twilio_auth_token == "plain-token"


def test_secrets_are_not_shown_in_the_settings_repr(clean_env):
    clean_env.setenv("ID_HASH_SALT", GOOD_SALT)
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "123456789:AAH-secret-token")
    shown = repr(Settings.from_env())
    assert GOOD_SALT not in shown and "AAH-secret-token" not in shown


def test_a_missing_secret_file_is_a_clear_error(clean_env, tmp_path):
    clean_env.setenv("TELEGRAM_BOT_TOKEN_FILE", str(tmp_path / "nope"))
    with pytest.raises(SettingsError, match=r"TELEGRAM_BOT_TOKEN_FILE=.*nope cannot be read"):
        Settings.from_env()


def test_an_empty_secret_file_is_refused(clean_env, tmp_path):
    empty = tmp_path / "empty"
    empty.write_text("\n", encoding="utf-8")
    clean_env.setenv("ID_HASH_SALT_FILE", str(empty))
    with pytest.raises(SettingsError, match="is empty"):
        Settings.from_env()


def test_both_variable_and_file_is_ambiguous(clean_env, tmp_path):
    secret_file = tmp_path / "salt"
    secret_file.write_text(GOOD_SALT, encoding="utf-8")
    clean_env.setenv("ID_HASH_SALT", GOOD_SALT)
    clean_env.setenv("ID_HASH_SALT_FILE", str(secret_file))
    with pytest.raises(SettingsError, match="keep only one"):
        Settings.from_env()


def test_a_developer_without_secrets_gets_the_web_chat(clean_env):
    settings = Settings.from_env()
    assert settings.id_salt == DEV_ID_SALT
    assert serve_problems(settings) == []


def test_production_needs_its_own_salt(clean_env):
    clean_env.setenv("FAMILYBOT_ENV", "production")
    assert any("set ID_HASH_SALT" in p for p in serve_problems(Settings.from_env()))
    clean_env.setenv("ID_HASH_SALT", "short")
    assert any("shorter than 16" in p for p in serve_problems(Settings.from_env()))
    clean_env.setenv("ID_HASH_SALT", GOOD_SALT)
    assert serve_problems(Settings.from_env()) == []


@pytest.mark.parametrize("env,expected", [
    ({"TELEGRAM_BOT_TOKEN": "1:t", "ID_HASH_SALT": GOOD_SALT}, "set TELEGRAM_WEBHOOK_SECRET"),
    ({"TELEGRAM_WEBHOOK_SECRET": "abc", "ID_HASH_SALT": GOOD_SALT}, "set TELEGRAM_BOT_TOKEN"),
    ({"TELEGRAM_BOT_TOKEN": "1:t", "TELEGRAM_WEBHOOK_SECRET": "not allowed!", "ID_HASH_SALT": GOOD_SALT},
     "only hold letters, digits"),
    ({"TWILIO_AUTH_TOKEN": "t", "ID_HASH_SALT": GOOD_SALT}, "set PUBLIC_BASE_URL"),
    ({"TWILIO_AUTH_TOKEN": "t", "PUBLIC_BASE_URL": "https://bot.example.org"}, "set ID_HASH_SALT"),
    ({"FAMILYBOT_ENV": "prod"}, "use development or production"),
    ({"TURN_THREADS": "0"}, "use 1 to 16"),
    ({"TURN_THREADS": "17"}, "use 1 to 16"),
])
def test_serve_refuses_to_start_and_says_what_to_set(clean_env, env, expected):
    for name, value in env.items():
        clean_env.setenv(name, value)
    result = CliRunner().invoke(app, ["serve", "--port", "1"])
    assert result.exit_code == 2
    assert "will not start" in result.output and expected in result.output


def test_serve_reports_an_unreadable_secret_file_without_a_traceback(clean_env, tmp_path):
    clean_env.setenv("TWILIO_AUTH_TOKEN_FILE", str(tmp_path / "missing"))
    result = CliRunner().invoke(app, ["serve", "--port", "1"])
    assert result.exit_code == 2 and "TWILIO_AUTH_TOKEN_FILE" in result.output
    assert "Traceback" not in result.output


def test_a_fully_configured_server_passes_the_checks(clean_env, tmp_path):
    for name, value in {"TWILIO_AUTH_TOKEN": "twilio", "TELEGRAM_BOT_TOKEN": "1:t",
                        "TELEGRAM_WEBHOOK_SECRET": "Webhook_secret-1", "ID_HASH_SALT": GOOD_SALT}.items():
        path = tmp_path / name
        path.write_text(value, encoding="utf-8")
        clean_env.setenv(f"{name}_FILE", str(path))
    clean_env.setenv("PUBLIC_BASE_URL", "https://bot.example.org")
    clean_env.setenv("FAMILYBOT_ENV", "production")
    assert serve_problems(Settings.from_env()) == []


def test_telegram_polling_needs_a_token_and_a_salt(clean_env):
    assert "TELEGRAM_BOT_TOKEN is not set" in polling_problems(Settings.from_env())[0]
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "1:t")
    result = CliRunner().invoke(app, ["telegram"])
    assert result.exit_code == 2 and "set ID_HASH_SALT" in result.output
