"""Configuration, read from the environment once, with documented defaults.

Every variable is listed in the README's configuration table; keep both in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


#: The salt used when ID_HASH_SALT is not set: fine on a laptop, refused for real families.
DEV_ID_SALT = "familybot-dev-salt"


class SettingsError(ValueError):
    """The environment asks for something impossible (an unreadable secret file…)."""


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _secret(name: str, default: str = "") -> str:
    """A secret from `NAME`, or from the file named by `NAME_FILE` (Docker/systemd credentials)."""
    value = os.environ.get(name, "").strip()
    path = os.environ.get(f"{name}_FILE", "").strip()
    if value and path:
        raise SettingsError(f"Both {name} and {name}_FILE are set: keep only one of them.")
    if path:
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise SettingsError(f"{name}_FILE={path} cannot be read ({exc.__class__.__name__}): "
                                f"fix the path or its permissions.") from exc
        if not value:
            raise SettingsError(f"{name}_FILE={path} is empty: write the secret into it.")
    return value or default


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return value in {"1", "true", "yes", "on"} if value else default


@dataclass(frozen=True)
class Settings:
    """Runtime configuration for every familybot command and server."""

    #: SQLAlchemy URL of the resource and conversation database.
    database_url: str = "sqlite:///var/familybot.db"
    #: Folder where trained NLU models are written and read.
    model_dir: Path = Path("var/models")
    #: Below this confidence the parse becomes `nlu_fallback`.
    nlu_threshold: float = 0.15
    #: Machine-translation provider for non-curated languages (`none`, `google`, `mymemory`…).
    translation_provider: str = "none"
    #: Seconds before a machine-translation call is abandoned.
    translation_timeout: float = 3.0
    #: Secret salt for hashing user identifiers (phone numbers, chat ids).
    id_salt: str = field(default=DEV_ID_SALT, repr=False)
    #: Logging level for the application.
    log_level: str = "INFO"
    #: Address and port `familybot serve` listens on.
    host: str = "127.0.0.1"
    port: int = 8000
    #: Twilio auth token, to check `X-Twilio-Signature`; SMS is off without it.
    twilio_auth_token: str = field(default="", repr=False)
    #: The public https URL Twilio and Telegram call (e.g. https://bot.example.org).
    public_base_url: str = ""
    #: Telegram bot token from @BotFather; Telegram is off without it.
    telegram_token: str = field(default="", repr=False)
    #: Secret Telegram sends in `X-Telegram-Bot-Api-Secret-Token`; webhooks are off without it.
    telegram_webhook_secret: str = field(default="", repr=False)
    #: Bot API server (a self-hosted one, or a fake in tests).
    telegram_api_url: str = "https://api.telegram.org"
    #: `development` (default) or `production`; production refuses the development salt.
    environment: str = "development"
    #: Send the admin session cookie over https only (default: when PUBLIC_BASE_URL is https).
    admin_cookie_secure: bool = False
    #: Hours a staff sign-in to the admin pages lasts.
    admin_session_hours: float = 12.0

    @classmethod
    def from_env(cls) -> Settings:
        """Build settings from environment variables, falling back to the defaults.

        Secrets (ID_HASH_SALT, TWILIO_AUTH_TOKEN, TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET)
        may instead be read from the file named by the same variable ending in `_FILE`.
        """
        return cls(
            database_url=_env("DATABASE_URL", cls.database_url),
            model_dir=Path(_env("FAMILYBOT_MODEL_DIR", str(cls.model_dir))),
            nlu_threshold=float(_env("NLU_CONFIDENCE_THRESHOLD", str(cls.nlu_threshold))),
            translation_provider=_env("TRANSLATION_PROVIDER", cls.translation_provider).lower(),
            translation_timeout=float(_env("TRANSLATION_TIMEOUT", str(cls.translation_timeout))),
            id_salt=_secret("ID_HASH_SALT", DEV_ID_SALT),
            log_level=_env("LOG_LEVEL", cls.log_level).upper(),
            host=_env("HOST", cls.host),
            port=int(_env("PORT", str(cls.port))),
            twilio_auth_token=_secret("TWILIO_AUTH_TOKEN"),
            public_base_url=_env("PUBLIC_BASE_URL", "").rstrip("/"),
            telegram_token=_secret("TELEGRAM_BOT_TOKEN"),
            telegram_webhook_secret=_secret("TELEGRAM_WEBHOOK_SECRET"),
            telegram_api_url=_env("TELEGRAM_API_URL", cls.telegram_api_url),
            environment=_env("FAMILYBOT_ENV", cls.environment).lower(),
            admin_cookie_secure=_flag("ADMIN_COOKIE_SECURE", _env("PUBLIC_BASE_URL", "").startswith("https://")),
            admin_session_hours=float(_env("ADMIN_SESSION_HOURS", str(cls.admin_session_hours))),
        )
