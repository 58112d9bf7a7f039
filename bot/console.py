"""`familybot chat` and `familybot ask`: talk to the bot from a terminal."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.config_checks import load_settings, polling_problems, refuse_if, serve_problems
from bot.messages import IncomingMessage, Reply
from bot.runtime import create_dialogue
from bot.settings import Settings

CHANNEL = "console"


def _print_reply(reply: Reply) -> None:
    if reply.silent:
        return
    typer.echo(f"\nfamilybot> {reply.text}")
    for number, option in enumerate(reply.options, start=1):
        typer.echo(f"  {number}. {option.label}")
    typer.echo("")


def chat_command(
    lang: Annotated[str | None, typer.Option("--lang", help="Start in this language (fr, en, es, ar…).")] = None,
    user: Annotated[str, typer.Option(help="Conversation id, to continue a conversation later.")] = "console-user",
) -> None:
    """Talk with the bot in this terminal (Ctrl-D or 'quit' to leave)."""
    try:
        import readline  # noqa: F401 - arrow keys and history for input()
    except ImportError:  # pragma: no cover - not on every platform
        pass
    dialogue = create_dialogue(Settings.from_env())
    typer.echo("familybot — write your question in your language. Ctrl-D to leave.")
    _print_reply(dialogue.start(CHANNEL, user, lang))
    while True:
        try:
            text = input("you> ")
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            return
        if text.strip().lower() in {"quit", "exit"}:
            return
        _print_reply(dialogue.handle(IncomingMessage(CHANNEL, user, text)))


def ask_command(
    text: Annotated[str, typer.Argument(help="The family's message.")],
    user: Annotated[str, typer.Option(help="Conversation id: the same id continues a conversation.")] = "cli-user",
    lang: Annotated[str | None, typer.Option("--lang", help="Language hint (the text still decides).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON reply.")] = False,
) -> None:
    """Send one message and print the bot's reply."""
    dialogue = create_dialogue(Settings.from_env())
    reply = dialogue.handle(IncomingMessage(CHANNEL, user, text, language_hint=lang))
    if as_json:
        typer.echo(json.dumps(reply.as_dict(), ensure_ascii=False))
    else:
        _print_reply(reply)


def serve_command(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default: HOST or 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: PORT or 8000).")] = None,
) -> None:
    """Run the web chat and the SMS webhook server (open http://127.0.0.1:8000/)."""
    import uvicorn

    from bot.server import create_app

    settings = load_settings()
    refuse_if(serve_problems(settings), "serve")
    dialogue = create_dialogue(settings)
    dialogue.parser.load_all()
    host, port = host or settings.host, port or settings.port
    typer.echo(f"familybot is listening on http://{host}:{port}/ (web chat), /docs (API).")
    uvicorn.run(create_app(settings, dialogue), host=host, port=port, log_level=settings.log_level.lower())


def telegram_command() -> None:
    """Run the Telegram bot with long polling (needs TELEGRAM_BOT_TOKEN)."""
    from bot.channels.telegram import TelegramBot

    settings = load_settings()
    refuse_if(polling_problems(settings), "telegram")
    dialogue = create_dialogue(settings)
    dialogue.parser.load_all()
    application = TelegramBot(dialogue).build(settings.telegram_token, settings.telegram_api_url)
    typer.echo("familybot is polling Telegram. Ctrl-C to stop.")
    application.run_polling(drop_pending_updates=False)
