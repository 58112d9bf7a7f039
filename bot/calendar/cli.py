"""`familybot calendar …`: import school calendars and look at what was imported."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.calendar.ics_import import CalendarError, import_calendar
from bot.calendar.store import CalendarBook
from bot.settings import Settings
from resources_db.database import make_engine, transaction, upgrade

app = typer.Typer(help="Import school calendars (.ics) and check them.", no_args_is_help=True)

EXAMPLE_FILE = Path(__file__).resolve().parents[2] / "resources_db" / "seed" / "calendars" / "example-montreal-2026-2027.ics"
EXAMPLE_NAME = "École primaire exemple (Montréal) — EXEMPLE"


def _engine():
    engine = make_engine(Settings.from_env().database_url)
    upgrade(engine)
    return engine


@app.command("import")
def import_command(
    school: Annotated[str, typer.Argument(help="The school's name, as families know it.")],
    source: Annotated[str, typer.Argument(help="A .ics file, or an http(s) URL of one.")],
    alias: Annotated[list[str], typer.Option("--alias", help="Another name families type (repeatable).")] = [],  # noqa: B006
) -> None:
    """Replace a school's calendar by an .ics file or URL: all of it, or nothing if it is malformed."""
    settings = Settings.from_env()
    engine = _engine()
    try:
        with transaction(engine) as session:
            report = import_calendar(session, school, source, alias, settings.timezone)
    except CalendarError as exc:
        typer.secho(f"{source}: {exc}" if not str(exc).startswith(source) else str(exc), err=True, fg=typer.colors.RED)
        typer.secho("Nothing was imported.", err=True)
        raise typer.Exit(code=1) from exc
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(report.by_kind.items()))
    typer.echo(f"{report.school_name} ({report.school_id}): {report.events} dates from {report.first} to {report.last}.")
    typer.echo(f"By type: {kinds}.")


@app.command("example")
def example_command() -> None:
    """Import the EXAMPLE Montréal 2026-2027 calendar (invented dates, for trying the bot)."""
    import_command(EXAMPLE_NAME, str(EXAMPLE_FILE), ["exemple", "example school"])


@app.command("list")
def list_command() -> None:
    """Schools with a calendar, and their aliases."""
    schools = CalendarBook(_engine()).schools()
    if not schools:
        typer.echo("No school calendar yet: use `familybot calendar import`.")
    for school in schools:
        aliases = f" (also: {', '.join(school.aliases)})" if school.aliases else ""
        typer.echo(f"{school.id}: {school.name}{aliases}")
