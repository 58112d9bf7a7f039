"""Phone numbers, chat ids and bot tokens never reach a log, whoever writes the line.

Our own code logs only hashed keys (`bot.identity.user_key`), but libraries log what they
handle: python-telegram-bot logs every Bot API call with its `chat_id` at DEBUG, httpx logs
URLs that carry the bot token, a family may type a phone number that ends up in an error.
Redaction happens when a log record is created, so it covers every logger and every
handler — including uvicorn's, which do not propagate to the root logger.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping

#: What is replaced, and by what. Chat ids are the long digit runs: Telegram ids have 7+ digits.
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"bot\d{3,}:[A-Za-z0-9_-]{5,}"), "bot[token]"),  # Bot API URLs: /bot<token>/sendMessage
    (re.compile(r"(?:\+|%2[Bb])\d[\d ().-]{5,18}\d"), "[phone]"),  # +1 514 555-0123, and URL-encoded
    (re.compile(r"(?<![\w.])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\w.])"), "[phone]"),  # (514) 555-0123
    (re.compile(r"(?<![\w.-])-?\d{7,}(?![\w.])"), "[id]"),  # 5145550123, chat ids, -100… group ids
]


def redact(text: str) -> str:
    """`text` with phone numbers, chat ids and bot tokens replaced by placeholders."""
    for pattern, placeholder in PATTERNS:
        text = pattern.sub(placeholder, text)
    return text


def _redact_arg(value: object) -> object:
    return redact(value) if isinstance(value, str) else value


def redact_record(record: logging.LogRecord) -> None:
    """Redact a record in place: its message, its arguments and its traceback."""
    if isinstance(record.msg, str):
        record.msg = redact(record.msg)
    if isinstance(record.args, tuple):
        # Argument by argument, so that formatters reading record.args (uvicorn's access log) still work.
        record.args = tuple(_redact_arg(arg) for arg in record.args)
    elif isinstance(record.args, Mapping):
        record.args = {key: _redact_arg(value) for key, value in record.args.items()}
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a malformed call: logging reports it as it always does
        return
    if redact(message) != message:  # an id inside a number, a dict or an object: flatten the message
        record.msg, record.args = redact(message), ()
    if record.exc_info and not record.exc_text:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))


def install_log_redaction() -> None:
    """Redact every log record of this process from now on (safe to call more than once)."""
    current: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
    if getattr(current, "redacts", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = current(*args, **kwargs)
        redact_record(record)
        return record

    factory.redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
