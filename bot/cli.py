"""The `familybot` command line."""

from __future__ import annotations

from typing import Annotated

import typer

from admin.cli import app as admin_app
from bot import __version__
from bot.console import ask_command, chat_command, serve_command, telegram_command
from bot.log_privacy import install_log_redaction
from bot.privacy_cli import app as privacy_app
from nlu.cli import app as nlu_app
from nlu.cli import train_command
from resources_db.cli import app as db_app

app = typer.Typer(
    help="familybot: helps families find help for their children, in their language.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
app.add_typer(db_app, name="db")
app.add_typer(nlu_app, name="nlu")
app.add_typer(privacy_app, name="privacy")
app.add_typer(admin_app, name="admin")
app.command("train")(train_command)
app.command("chat")(chat_command)
app.command("ask")(ask_command)
app.command("serve")(serve_command)
app.command("telegram")(telegram_command)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"familybot {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """familybot: helps families find help for their children, in their language."""
    install_log_redaction()
