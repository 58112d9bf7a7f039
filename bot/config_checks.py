"""Refuse to start with settings that would expose families or silently lose their messages.

A developer with no secrets at all still gets the web chat (`make run`); as soon as a
real channel is switched on — or FAMILYBOT_ENV=production — the secrets it needs must
be there, and the message says which variable to set.
"""

from __future__ import annotations

import re

import typer

from bot.settings import DEV_ID_SALT, Settings, SettingsError
from resources_db.database import POOL_SIZE

MIN_SALT_LENGTH = 16
#: Telegram accepts 1-256 of these characters as `secret_token` in setWebhook.
TELEGRAM_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
MAKE_SECRET = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


def _salt_problems(settings: Settings, reason: str) -> list[str]:
    if settings.id_salt == DEV_ID_SALT:
        return [f"ID_HASH_SALT is not set, and {reason}: set ID_HASH_SALT (or ID_HASH_SALT_FILE) "
                f"to a long random secret, e.g. the output of {MAKE_SECRET}. Keep it: changing it "
                f"later makes every family a stranger to the bot."]
    if len(settings.id_salt) < MIN_SALT_LENGTH:
        return [f"ID_HASH_SALT is shorter than {MIN_SALT_LENGTH} characters: use a long random secret, "
                f"e.g. the output of {MAKE_SECRET}."]
    return []


def serve_problems(settings: Settings) -> list[str]:
    """Why `familybot serve` must not start with these settings (empty: it may)."""
    problems: list[str] = []
    if settings.environment not in {"development", "production"}:
        problems.append(f"FAMILYBOT_ENV={settings.environment!r} is not understood: use development or production.")
    if settings.telegram_token and not settings.telegram_webhook_secret:
        problems.append("TELEGRAM_BOT_TOKEN is set but TELEGRAM_WEBHOOK_SECRET is not: set TELEGRAM_WEBHOOK_SECRET "
                        "(or TELEGRAM_WEBHOOK_SECRET_FILE) to the secret_token you give setWebhook, or use "
                        "`familybot telegram` (long polling) instead of the webhook.")
    if settings.telegram_webhook_secret and not settings.telegram_token:
        problems.append("TELEGRAM_WEBHOOK_SECRET is set but TELEGRAM_BOT_TOKEN is not: set TELEGRAM_BOT_TOKEN "
                        "(or TELEGRAM_BOT_TOKEN_FILE) to the token from @BotFather.")
    if settings.telegram_webhook_secret and not TELEGRAM_SECRET.match(settings.telegram_webhook_secret):
        problems.append("TELEGRAM_WEBHOOK_SECRET may only hold letters, digits, _ and - (at most 256): "
                        f"Telegram refuses anything else. Make one with {MAKE_SECRET}.")
    if not 1 <= settings.turn_threads <= POOL_SIZE:
        problems.append(f"TURN_THREADS={settings.turn_threads} is out of range: use 1 to {POOL_SIZE}, the database "
                        "connections a server process keeps (default 2).")
    if settings.twilio_auth_token and not settings.public_base_url:
        problems.append("TWILIO_AUTH_TOKEN is set but PUBLIC_BASE_URL is not: set PUBLIC_BASE_URL to the https "
                        "address Twilio calls (e.g. https://bot.example.org), or every SMS fails its signature check.")
    channels = [name for name, on in [("SMS", settings.twilio_auth_token), ("Telegram", settings.telegram_token)] if on]
    if channels:
        problems += _salt_problems(settings, f"{' and '.join(channels)} bring real phone numbers and chat ids")
    elif settings.environment == "production":
        problems += _salt_problems(settings, "FAMILYBOT_ENV is production")
    return problems


def polling_problems(settings: Settings) -> list[str]:
    """Why `familybot telegram` (long polling) must not start with these settings."""
    if not settings.telegram_token:
        return ["TELEGRAM_BOT_TOKEN is not set: set it (or TELEGRAM_BOT_TOKEN_FILE) to the token from @BotFather."]
    return _salt_problems(settings, "Telegram brings real chat ids")


def load_settings() -> Settings:
    """Settings from the environment, or a clear message and exit code 2."""
    try:
        return Settings.from_env()
    except SettingsError as exc:
        typer.secho(str(exc), err=True, fg=typer.colors.RED)
        raise typer.Exit(code=2) from exc


def refuse_if(problems: list[str], what: str) -> None:
    """Print every problem and exit with code 2 when there is any."""
    if not problems:
        return
    typer.secho(f"familybot {what} will not start:", err=True, fg=typer.colors.RED)
    for problem in problems:
        typer.secho(f"  - {problem}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code=2)
