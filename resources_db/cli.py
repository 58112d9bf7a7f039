"""`familybot db …`: create, seed, import and export the resource database."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from bot.settings import Settings
from resources_db.database import make_engine, transaction, upgrade
from resources_db.formats import ExportFormat, read_any, seed, write_any
from resources_db.store import apply_bundle, read_bundle
from resources_db.validation import ContentError

app = typer.Typer(help="Create, seed, import and export the resource database.", no_args_is_help=True)


def _actor(kind: str) -> str:
    return f"{kind}:{getpass.getuser()}"


@app.command("upgrade")
def upgrade_command() -> None:
    """Create or migrate the database schema to the latest version."""
    settings = Settings.from_env()
    upgrade(make_engine(settings.database_url))
    typer.echo("Database schema is up to date.")


@app.command("seed")
def seed_command(
    folder: Annotated[Path, typer.Option(help="Seed folder with resources.yml and i18n/.")] = seed.SEED_DIR,
) -> None:
    """Load the curated seed resources (safe to run again: only differences are written)."""
    _import(folder, "seed")


@app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="A .yml/.yaml export, .csv, HSDS .json, or a seed folder.")],
) -> None:
    """Import resources in one transaction: all of the file, or nothing."""
    _import(path, "import")


def _import(path: Path, kind: str) -> None:
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    try:
        bundle = read_any(path)
    except ContentError as exc:
        typer.secho(str(exc), err=True, fg=typer.colors.RED)
        raise typer.Exit(code=1) from exc
    with transaction(engine) as session:
        report = apply_bundle(session, bundle, _actor(kind))
    if report.changed:
        typer.echo(
            f"{path}: {report.created} created, {report.updated} updated, "
            f"{report.texts_changed} texts changed."
        )
    else:
        typer.echo(f"{path}: nothing to change, the database already has this content.")


@app.command("export")
def export_command(
    path: Annotated[Path, typer.Argument(help="File to write.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="yaml, csv or hsds-json.")] = "yaml",
) -> None:
    """Export every organization and service with its texts in all languages."""
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    with transaction(engine) as session:
        bundle = read_bundle(session)
    write_any(bundle, path, fmt)
    typer.echo(f"Wrote {len(bundle.services)} services to {path}.")
