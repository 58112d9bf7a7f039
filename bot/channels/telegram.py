"""Telegram through python-telegram-bot: updates in, messages with inline keyboards out.

The same Application serves long polling (`familybot telegram`) and webhooks
(`POST /telegram/webhook` of `familybot serve`). `TELEGRAM_API_URL` points it at a
self-hosted Bot API server, as Telegram documents for local servers; the tests use
it to run the real bot against a fake server on loopback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.text_split import cut_point
from bot.dialogue import Dialogue
from bot.identity import user_key
from bot.messages import IncomingMessage, Reply
from bot.outbox import Outbox
from bot.unavailable import UNAVAILABLE_ERRORS

log = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_MESSAGE = 4096
SEND_ATTEMPTS = 4


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Cut `text` at paragraph, line or word ends into Telegram-sized messages."""
    parts, remaining = [], text.strip()
    while len(remaining) > limit:
        cut = cut_point(remaining, limit)
        parts.append(remaining[:cut].rstrip())
        remaining = remaining[cut:].lstrip()
    return parts + ([remaining] if remaining else [])


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's options as inline buttons, two per row."""
    buttons = [InlineKeyboardButton(o.label, callback_data=o.key[:64]) for o in reply.options]
    if not buttons:
        return None
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def plausible(update: Update) -> bool:
    """False for an update whose ids or texts have types Telegram never sends (a forged or broken body)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    query = update.callback_query
    return all([
        chat is None or (isinstance(chat.id, int) and not isinstance(chat.id, bool)),
        user is None or (isinstance(user.id, int) and not isinstance(user.id, bool)),
        user is None or user.language_code is None or isinstance(user.language_code, str),
        message is None or message.text is None or isinstance(message.text, str),
        query is None or query.data is None or isinstance(query.data, str),
    ])


class TelegramBot:
    """Handlers that hand every update to the dialogue and send its reply."""

    def __init__(self, dialogue: Dialogue):
        self.dialogue = dialogue
        self.outbox = Outbox(dialogue.store.engine)
        #: Webhook updates being processed, by id: False once the database was found unreachable
        #: (the webhook then answers 503, so that Telegram delivers the update again).
        self._webhook_updates: dict[int, bool] = {}

    def build(self, token: str, api_url: str = "https://api.telegram.org") -> Application:
        """The python-telegram-bot Application, with rate limiting and our handlers."""
        api_url = api_url.rstrip("/")
        application = (
            Application.builder()
            .token(token)
            .base_url(f"{api_url}/bot")
            .base_file_url(f"{api_url}/file/bot")
            .rate_limiter(AIORateLimiter(max_retries=3))
            .build()
        )
        application.add_handler(CommandHandler("start", self.start))
        application.add_handler(CommandHandler("help", self.keyword("help")))
        application.add_handler(CommandHandler("stop", self.keyword("stop")))
        application.add_handler(CommandHandler("language", self.language))
        application.add_handler(CallbackQueryHandler(self.button))
        application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self.message))
        application.add_error_handler(self.error)
        return application

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start: welcome in the user's Telegram language (a hint the text may override)."""
        chat, user = update.effective_chat, update.effective_user
        hint = (user.language_code or "").split("-")[0] if user else None
        reply = await self._once(update, chat.id, lambda: self.dialogue.start(CHANNEL, str(chat.id), hint, False))
        await self.send(context, chat.id, reply)

    def keyword(self, word: str):
        """/help and /stop behave as the words HELP and STOP."""

        async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            chat = update.effective_chat
            incoming = IncomingMessage(CHANNEL, str(chat.id), word)
            reply = await self._once(update, chat.id, lambda: self.dialogue.handle(incoming))
            await self.send(context, chat.id, reply)

        return handler

    async def language(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/language: the language buttons."""
        chat = update.effective_chat
        reply = await self._once(update, chat.id, lambda: self.dialogue.choose(CHANNEL, str(chat.id), "menu:language"))
        await self.send(context, chat.id, reply)

    async def message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A text message: the text decides the language, `language_code` is only a hint."""
        chat, user = update.effective_chat, update.effective_user
        hint = (user.language_code or "").split("-")[0] if user else None
        incoming = IncomingMessage(CHANNEL, str(chat.id), update.effective_message.text or "", hint or None)
        reply = await self._once(update, chat.id, lambda: self.dialogue.handle(incoming))
        await self.send(context, chat.id, reply)

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An inline button: answer the callback query, then act on the option."""
        query = update.callback_query
        await query.answer()
        chat_id = query.message.chat.id if query.message else query.from_user.id
        reply = await self._once(update, chat_id, lambda: self.dialogue.choose(CHANNEL, str(chat_id), query.data or ""))
        await self.send(context, chat_id, reply)

    async def _once(self, update: Update, chat_id: int, work: Callable[[], Reply]) -> Reply | None:
        """Run `work` (in a thread) the first time an update arrives; None for a duplicate update_id.

        The update id is recorded in the same transaction as the turn, under the family's
        lock, so a copy delivered to another server process is never processed twice.
        """
        replies: list[Reply] = []

        def produce() -> str:
            replies.append(work())
            return ""  # nothing to replay: a duplicate update gets no second message

        family = user_key(CHANNEL, str(chat_id), self.dialogue.salt)
        processed = await asyncio.to_thread(self.outbox.once, CHANNEL, str(update.update_id), family, produce)
        return replies[0] if processed.first else None

    async def send(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply | None) -> None:
        """Send the reply, split to Telegram's limit, buttons on the last part (nothing for a duplicate)."""
        if reply is None or reply.silent:
            return
        parts = split_message(reply.text)
        for index, part in enumerate(parts):
            markup = keyboard(reply) if index == len(parts) - 1 else None
            await self._send_with_retry(context, chat_id, part, markup)

    async def _send_with_retry(self, context, chat_id: int, text: str, markup) -> None:
        delay, failure = 1.0, ""
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await context.bot.send_message(chat_id=chat_id, text=text, reply_markup=markup)
                return
            except BadRequest as exc:  # the same request would fail again: do not wait for it
                log.warning("Telegram refused the message: %s", exc.message)
                return
            except RetryAfter as exc:  # 429 beyond what the rate limiter absorbed
                wait = exc.retry_after if isinstance(exc.retry_after, int | float) else exc.retry_after.total_seconds()
                failure, pause = "RetryAfter", min(float(wait), 30.0)
            except (TimedOut, NetworkError) as exc:  # 5xx or the network: back off exponentially
                failure, pause, delay = type(exc).__name__, delay, delay * 2
            if attempt < SEND_ATTEMPTS:
                await asyncio.sleep(pause)
        log.warning("Telegram send failed after %d attempts: %s", SEND_ATTEMPTS, failure)

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log and carry on: one bad update must never stop the bot."""
        log.warning("Telegram update failed: %s", type(context.error).__name__)
        if isinstance(update, Update) and update.update_id in self._webhook_updates \
                and isinstance(context.error, UNAVAILABLE_ERRORS):
            self._webhook_updates[update.update_id] = False

    async def process_webhook_update(self, application: Application, update: Update) -> bool:
        """Handle one webhook update; False when the database was unreachable.

        python-telegram-bot hands a handler's exception to the error handlers and returns
        normally, so without this the webhook would answer 200 and Telegram would never
        deliver the update again. The turn is one transaction, so nothing was half-applied.
        """
        self._webhook_updates[update.update_id] = True
        try:
            await application.process_update(update)
            return self._webhook_updates[update.update_id]
        finally:
            del self._webhook_updates[update.update_id]
