"""`familybot reminders send-due`: run by cron or a systemd timer every 15 minutes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from bot.calendar.reminders import ReminderService
from bot.channels.outbound import OutboundSender
from bot.settings import Settings
from resources_db.database import make_engine, upgrade

app = typer.Typer(help="Send school-date reminders to families who asked for them.", no_args_is_help=True)


@app.command("send-due")
def send_due_command(
    now: Annotated[str | None, typer.Option(help="Pretend it is this ISO time (tests, catching up).")] = None,
) -> None:
    """Send every reminder that is due and was not sent before (safe to run often, and twice)."""
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    moment = dt.datetime.fromisoformat(now) if now else dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        raise typer.BadParameter("--now needs a time zone, e.g. 2026-11-19T18:30:00-05:00")
    sender = OutboundSender(settings, engine)
    try:
        run = ReminderService(engine, sender, settings.timezone, settings.reminder_hour).send_due(moment)
    finally:
        sender.close()
    typer.echo(f"{run.sent} sent, {run.failed} failed, {run.skipped} skipped (opted out), "
               f"{run.already} already sent.")
    for reason in sorted(set(run.reasons)):
        typer.echo(f"  failed: {reason}")
