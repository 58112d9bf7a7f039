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
    #: Twilio account that sends SMS the bot writes first (reminders, school messages).
    twilio_account_sid: str = ""
    #: The Twilio number (E.164) those SMS come from.
    twilio_from_number: str = ""
    #: Twilio REST API base (a fake on loopback in tests).
    twilio_api_url: str = "https://api.twilio.com"
    #: Seconds before an outbound Telegram/Twilio API call is abandoned (then retried).
    outbound_timeout: float = 10.0
    #: Outbound messages per second, per channel (Telegram allows ~30/s; a Twilio long code ~1/s).
    telegram_rate: float = 25.0
    sms_rate: float = 1.0
    #: Time zone of school calendars and reminders.
    timezone: str = "America/Montreal"
    #: Local hour (0-23) at which "evening before" reminders are sent.
    reminder_hour: int = 18
    #: Training examples staff add from the admin pages: `<dir>/<language>/staff.yml`, Rasa NLU YAML.
    staff_nlu_dir: Path = Path("var/nlu_staff")
    #: Held-out examples (`<dir>/<language>.yml`) a retrained model must pass before it is used.
    nlu_eval_dir: Path = Path("tests/nlu/heldout")
    #: A retrained model replaces the current one only if its held-out accuracy drops by at most this.
    retrain_max_drop: float = 0.02
    #: Messages understood with less confidence than this are listed for staff review.
    review_confidence: float = 0.3
    #: Send the admin session cookie over https only (default: when PUBLIC_BASE_URL is https).
    admin_cookie_secure: bool = False
    #: Hours a staff sign-in to the admin pages lasts.
    admin_session_hours: float = 12.0
    #: Message turns a server process runs at once, each in its own thread. A turn is mostly
    #: Python holding the GIL, so more threads than this only fight over it (measured: a fifth
    #: more CPU per message at 16); raise it when the database is far away (each turn waits
    #: on about ten round trips) or the machine-translation provider is slow; at most the
    #: database connections a process keeps (16).
    turn_threads: int = 2

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
            twilio_account_sid=_env("TWILIO_ACCOUNT_SID", ""),
            twilio_from_number=_env("TWILIO_FROM_NUMBER", ""),
            twilio_api_url=_env("TWILIO_API_URL", cls.twilio_api_url),
            outbound_timeout=float(_env("OUTBOUND_TIMEOUT", str(cls.outbound_timeout))),
            telegram_rate=float(_env("TELEGRAM_RATE", str(cls.telegram_rate))),
            sms_rate=float(_env("SMS_RATE", str(cls.sms_rate))),
            timezone=_env("FAMILYBOT_TIMEZONE", cls.timezone),
            reminder_hour=int(_env("REMINDER_HOUR", str(cls.reminder_hour))),
            staff_nlu_dir=Path(_env("FAMILYBOT_STAFF_NLU_DIR", str(cls.staff_nlu_dir))),
            nlu_eval_dir=Path(_env("FAMILYBOT_NLU_EVAL_DIR", str(cls.nlu_eval_dir))),
            retrain_max_drop=float(_env("FAMILYBOT_RETRAIN_MAX_DROP", str(cls.retrain_max_drop))),
            review_confidence=float(_env("FAMILYBOT_REVIEW_CONFIDENCE", str(cls.review_confidence))),
            admin_cookie_secure=_flag("ADMIN_COOKIE_SECURE", _env("PUBLIC_BASE_URL", "").startswith("https://")),
            admin_session_hours=float(_env("ADMIN_SESSION_HOURS", str(cls.admin_session_hours))),
            turn_threads=int(_env("TURN_THREADS", str(cls.turn_threads))),
        )
