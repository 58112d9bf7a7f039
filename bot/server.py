"""`familybot serve`: one HTTP server for the web chat, SMS webhooks and health checks."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qsl

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from pydantic_core import to_json
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send
from telegram import Update

from admin.app import admin_app
from bot.channels.sms import BadSmsRequest, TwilioSms
from bot.channels.telegram import TelegramBot, plausible
from bot.dialogue import Dialogue
from bot.identity import user_key
from bot.log_privacy import install_log_redaction
from bot.messages import IncomingMessage
from bot.outbox import Outbox
from bot.settings import Settings
from bot.staff_replies import collect_waiting
from bot.unavailable import UNAVAILABLE_ERRORS, database_unavailable, unavailable_response
from bot.webhook_schemas import TELEGRAM_UPDATE, TWILIO_FORM
from nlu.taxonomy import load_taxonomy
from resources_db.database import POOL_SIZE
from translations.catalog import N_, translator

log = logging.getLogger(__name__)
WEB_DIR = Path(__file__).with_name("channels") / "web"
#: The web chat page's own words.
UI_LABELS = {"message": N_("Your message"), "send": N_("Send"), "language": N_("Language")}
#: Larger bodies are refused before they are read: no platform sends more.
MAX_BODY_BYTES = 64 * 1024
#: Staff upload whole resource files (imports) to the admin pages.
MAX_ADMIN_BODY_BYTES = 5 * 1024 * 1024


class ChatIn(BaseModel):
    """A message typed in the web chat."""

    text: str = Field(max_length=4000)
    user_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    language: str | None = Field(default=None, max_length=10)


class ChatOut(BaseModel):
    """The `familybot ask --json` shape."""

    language: str
    intent: str
    confidence: float
    reply: str
    options: list[dict[str, str]]
    resources: list[dict[str, str | None]]
    emergency: bool


class _ReplyJSON(JSONResponse):
    """JSON written by pydantic's serializer (Rust): several times faster than `json.dumps` on a reply."""

    def render(self, content: object) -> bytes:
        return to_json(content)


class _BodyLimit:
    """Refuse oversized bodies from their Content-Length, before reading them.

    Plain ASGI rather than BaseHTTPMiddleware: it runs on every message, and wrapping
    each request in an extra task and stream costs more than the check itself.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = Headers(scope=scope).get("content-length")
            limit = MAX_ADMIN_BODY_BYTES if scope["path"].startswith("/admin/") else MAX_BODY_BYTES
            if length and (not length.isdigit() or int(length) > limit):
                await JSONResponse({"detail": "Request body too large."}, status_code=413)(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _form_fields(request: Request) -> dict[str, str]:
    """The text fields of a form body (the last value of a repeated name).

    Twilio always sends `application/x-www-form-urlencoded`: that is read with the standard
    library (as Starlette decodes it: bytes as Latin-1, escapes as UTF-8), several times faster
    than the multipart parser Starlette uses for every form. Other bodies go through Starlette.
    """
    if request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        return dict(parse_qsl((await request.body()).decode("latin-1"), keep_blank_values=True))
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def create_app(settings: Settings, dialogue: Dialogue) -> FastAPI:
    """The HTTP application around one dialogue."""
    install_log_redaction()
    telegram_bot = TelegramBot(dialogue) if settings.telegram_token and settings.telegram_webhook_secret else None
    telegram = telegram_bot.build(settings.telegram_token, settings.telegram_api_url) if telegram_bot else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        # Requests run in threads, each with a database connection: no more threads than kept connections.
        anyio.to_thread.current_default_thread_limiter().total_tokens = POOL_SIZE
        # Message turns go to the loop's own executor through `asyncio.to_thread`: much less
        # work per call than anyio's thread pool, which FastAPI keeps for plain `def` endpoints.
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(max_workers=settings.turn_threads, thread_name_prefix="familybot-turn"))
        if telegram is not None:
            await telegram.initialize()
        yield
        if telegram is not None:
            await telegram.shutdown()

    app = FastAPI(title="familybot", version="0.1.0", lifespan=lifespan,
                  description="Helps families find help for their children.")
    app.add_middleware(_BodyLimit)
    for error in UNAVAILABLE_ERRORS:
        app.add_exception_handler(error, database_unavailable)
    outbox = Outbox(dialogue.store.engine)
    sms = TwilioSms(dialogue, outbox, settings.twilio_auth_token, settings.id_salt) if settings.twilio_auth_token else None

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz() -> JSONResponse:
        """The database answers and the models are loaded."""
        try:
            with dialogue.store.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except Exception:  # noqa: BLE001 - any database failure means not ready
            return JSONResponse({"status": "database unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def web_chat() -> str:
        return (WEB_DIR / "index.html").read_text(encoding="utf-8")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        allowed = {"chat.js": "text/javascript", "chat.css": "text/css"}
        if name not in allowed:
            return Response(status_code=404)
        return Response((WEB_DIR / name).read_text(encoding="utf-8"), media_type=allowed[name])

    @app.get("/api/ui/{language}")
    def ui_labels(language: str) -> dict[str, str]:
        """The web chat's own labels in `language` (English when it has no catalog)."""
        _ = translator(language if language in load_taxonomy().languages else "en").gettext
        return {key: _(message) for key, message in UI_LABELS.items()}

    @app.post("/api/chat", response_model=ChatOut)
    async def chat(message: ChatIn) -> JSONResponse:
        """One web-chat turn."""
        reply = await asyncio.to_thread(
            dialogue.handle, IncomingMessage("web", message.user_id, message.text, message.language)
        )
        return _ReplyJSON(reply.as_dict())  # already ChatOut's shape: no second validation per message

    @app.post("/api/inbox")
    def inbox(message: ChatIn) -> dict[str, list[dict[str, str]]]:
        """Replies staff wrote to this web-chat family since it last asked (each handed over once)."""
        return {"messages": collect_waiting(dialogue.store.engine, user_key("web", message.user_id, settings.id_salt))}

    @app.post("/api/start", response_model=ChatOut)
    async def start(message: ChatIn) -> JSONResponse:
        """Open a web-chat conversation in the chosen language."""
        reply = await asyncio.to_thread(dialogue.start, "web", message.user_id, message.language)
        return _ReplyJSON(reply.as_dict())

    @app.post("/sms/twilio", openapi_extra=TWILIO_FORM)
    async def twilio_sms(request: Request) -> Response:
        """Twilio's incoming-message webhook; answers with TwiML."""
        if sms is None:
            return Response("SMS is not configured: set TWILIO_AUTH_TOKEN.", status_code=404)
        try:
            params = await _form_fields(request)
        except Exception:  # noqa: BLE001 - unreadable bodies are the sender's error
            return Response("Unreadable form body.", status_code=400)
        url = f"{settings.public_base_url}/sms/twilio" if settings.public_base_url else str(request.url)
        if not sms.signature_valid(url, params, request.headers.get("X-Twilio-Signature")):
            return Response("Invalid signature.", status_code=403)
        try:
            body = await asyncio.to_thread(sms.answer, params)
        except BadSmsRequest as exc:
            return Response(str(exc), status_code=400)
        return Response(body, media_type="application/xml")

    @app.post("/telegram/webhook", openapi_extra=TELEGRAM_UPDATE)
    async def telegram_webhook(request: Request) -> Response:
        """Telegram's webhook; needs the secret token set with setWebhook."""
        if telegram is None:
            return Response("Telegram webhooks are not configured.", status_code=404)
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), settings.telegram_webhook_secret.encode()):
            return Response("Invalid secret token.", status_code=403)
        try:
            data = json.loads(await request.body())
            update = Update.de_json(data, telegram.bot)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, OSError):  # OSError: a date the clock cannot hold
            return Response("Not a Telegram update.", status_code=400)
        if update is not None and not plausible(update):
            return Response("Not a Telegram update.", status_code=400)
        if update is not None and not await telegram_bot.process_webhook_update(telegram, update):
            return unavailable_response()  # the handler already logged why
        return Response(status_code=200)

    app.mount("/admin", admin_app(settings, dialogue))
    return app
