"""`familybot broadcast …`: staff messages to the families of a school who opted in."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from bot.broadcast.service import BroadcastError, BroadcastService
from bot.channels.outbound import OutboundSender
from bot.settings import Settings
from resources_db.database import make_engine, upgrade
from translations.machine import DeepTranslatorProvider, MachineTranslator

app = typer.Typer(help="Write once to the families of a school, in their languages.", no_args_is_help=True)


def _service(send: bool = False) -> BroadcastService:
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    provider = None if settings.translation_provider == "none" else DeepTranslatorProvider(settings.translation_provider)
    machine = MachineTranslator(engine, provider, settings.translation_timeout)
    return BroadcastService(engine, OutboundSender(settings, engine) if send else None, machine)


def _fail(exc: BroadcastError) -> None:
    typer.secho(str(exc), err=True, fg=typer.colors.RED)
    raise typer.Exit(code=1) from exc


def _show(service: BroadcastService, broadcast_id: int) -> None:
    for language, (text, status) in sorted(service.texts(broadcast_id).items()):
        typer.echo(f"[{language}] {status}: {text or '(no draft: write it with `broadcast review`)'}")


@app.command("create")
def create_command(
    school: Annotated[str, typer.Argument(help="School id (see `familybot calendar list`).")],
    text: Annotated[str, typer.Argument(help="The message, in French or English.")],
    language: Annotated[str, typer.Option(help="fr or en: the language the message is written in.")] = "fr",
) -> None:
    """Store a message and draft translations for review; nothing is sent yet."""
    service = _service()
    try:
        broadcast_id = service.create(school, text, language, f"cli:{getpass.getuser()}")
    except BroadcastError as exc:
        _fail(exc)
    typer.echo(f"Broadcast {broadcast_id} created. Review the drafts, then `familybot broadcast send {broadcast_id}`.")
    _show(service, broadcast_id)


@app.command("show")
def show_command(broadcast_id: int) -> None:
    """The message in every language, with its review status, and the delivery report."""
    service = _service()
    _show(service, broadcast_id)
    _report(service, broadcast_id)


@app.command("review")
def review_command(
    broadcast_id: int,
    language: Annotated[str, typer.Argument(help="Language code, or `all` to approve every draft as it is.")],
    text: Annotated[str | None, typer.Argument(help="A corrected text; omit to approve the draft.")] = None,
) -> None:
    """Approve a draft translation, or replace it by your own text."""
    service = _service()
    languages = [lang for lang, (_, status) in service.texts(broadcast_id).items() if status == "machine"] \
        if language == "all" else [language]
    try:
        for lang in languages:
            service.review(broadcast_id, lang, text)
    except BroadcastError as exc:
        _fail(exc)
    typer.echo(f"Reviewed: {', '.join(languages) or 'nothing to approve'}.")


@app.command("send")
def send_command(broadcast_id: int) -> None:
    """Send to every opted-in family not sent to yet (run again to resume after a crash)."""
    service = _service(send=True)
    try:
        service.send(broadcast_id)
    except BroadcastError as exc:
        _fail(exc)
    finally:
        if service.sender is not None:
            service.sender.close()
    _report(service, broadcast_id)


def _report(service: BroadcastService, broadcast_id: int) -> None:
    report = service.report(broadcast_id)
    counts = ", ".join(f"{count} {status}" for status, count in sorted(report.by_status.items())) or "not sent yet"
    typer.echo(f"Delivery: {counts}.")
    for channel, statuses in sorted(report.by_channel.items()):
        typer.echo(f"  {channel}: " + ", ".join(f"{c} {s}" for s, c in sorted(statuses.items())))
    for failure in report.failures:
        typer.echo(f"  failed: {failure}")
    if report.by_status.get("unknown"):
        typer.echo("  unknown: the sender stopped while these were being sent; they are not sent again.")
