"""`familybot privacy …`: a family's data on request (Law 25), and the logs' retention."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated

import typer

from bot.config_checks import load_settings
from bot.privacy import PrivacyError, delete_family, export_family, family_key, parse_duration, purge_logs
from bot.settings import DEV_ID_SALT, Settings
from resources_db.database import make_engine, upgrade

app = typer.Typer(help="Families' rights (Québec Law 25): export or delete a family's data; purge old logs.",
                  no_args_is_help=True)

UserOption = Annotated[str, typer.Option(
    "--user", help="The family's id as they give it: a phone number (+15145550123) or a Telegram chat id.")]
ChannelOption = Annotated[str | None, typer.Option(
    help="Channel of the id: sms, telegram, web or console (an id starting with + is SMS).")]


def _settings() -> Settings:
    settings = load_settings()
    if settings.id_salt == DEV_ID_SALT:
        typer.secho("Note: ID_HASH_SALT is not set, so ids are hashed with the development salt; "
                    "a server with its own salt stores them under other keys.", err=True, fg=typer.colors.YELLOW)
    return settings


def _actor() -> str:
    return f"privacy:{getpass.getuser()}"


def _key(settings: Settings, user: str, channel: str | None) -> tuple[str, str]:
    try:
        return family_key(user, channel, settings.id_salt)
    except PrivacyError as exc:
        raise typer.BadParameter(str(exc), param_hint="--user/--channel") from exc


def _engine(settings: Settings):
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return engine


@app.command("export")
def export_command(
    user: UserOption,
    channel: ChannelOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the JSON here (default: print it).")]
    = None,
) -> None:
    """Everything stored about one family, as JSON (the export is recorded in the audit log)."""
    settings = _settings()
    channel, key = _key(settings, user, channel)
    document = export_family(_engine(settings), channel, key, _actor())
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        rows = sum(len(rows) for rows in document["tables"].values())
        typer.echo(f"Wrote {rows} row(s) from {len(document['tables'])} table(s) to {output}.", err=True)
    if not document["tables"]:
        typer.echo("Nothing is stored under this id (check --channel, and that ID_HASH_SALT is the server's).",
                   err=True)


@app.command("delete")
def delete_command(
    user: UserOption,
    channel: ChannelOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase everything stored about one family, in one transaction (audited, without the id)."""
    settings = _settings()
    channel, key = _key(settings, user, channel)
    if not yes:
        typer.confirm(f"Erase every record of this {channel} user? This cannot be undone.", abort=True)
    receipt = delete_family(_engine(settings), channel, key, _actor())
    if not receipt.total:
        typer.echo("Nothing was stored under this id (check --channel, and that ID_HASH_SALT is the server's).")
    for table, count in sorted(receipt.counts.items()):
        typer.echo(f"{table}: {count} row(s) deleted")
    typer.echo(f"Deletion receipt: {receipt.receipt_id}")


@app.command("purge")
def purge_command(
    older_than: Annotated[str, typer.Option("--older-than", help="Age of the logs to delete: 90d, 12w, 6m or 1y.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would be deleted.")] = False,
) -> None:
    """Delete conversation logs and handoff transcripts older than the given age."""
    try:
        cutoff = parse_duration(older_than)
    except PrivacyError as exc:
        raise typer.BadParameter(str(exc), param_hint="--older-than") from exc
    settings = load_settings()
    receipt = purge_logs(_engine(settings), cutoff, _actor(), dry_run=dry_run)
    typer.echo(f"{'Would purge' if dry_run else 'Purged'} what was written before {cutoff:%Y-%m-%d %H:%M} UTC:")
    for table, count in sorted(receipt.counts.items()):
        what = "conversation memories cleared (language and STOP kept)" if table == "family_state" else "rows"
        typer.echo(f"  {table}: {count} {what}")
    typer.echo(f"Total: {receipt.total}" + (" (dry run: nothing changed)." if dry_run else "."))
