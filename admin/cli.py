"""`familybot admin …`: staff accounts for the admin pages."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from admin.auth import ROLES, AccountError, create_user
from bot.settings import Settings
from resources_db.database import make_engine, transaction, upgrade

app = typer.Typer(help="Staff accounts for the admin pages (/admin).", no_args_is_help=True)


@app.command("create-user")
def create_user_command(
    email: Annotated[str, typer.Argument(help="The person's email; they sign in with it.")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")] = "editor",
    language: Annotated[str, typer.Option(help="Language of their admin pages: fr or en.")] = "fr",
) -> None:
    """Create a staff account; the password is asked twice and never shown."""
    if role not in ROLES:
        typer.secho(f"--role must be one of: {', '.join(ROLES)}", err=True, fg=typer.colors.RED)
        raise typer.Exit(code=2)
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    engine = make_engine(Settings.from_env().database_url)
    upgrade(engine)
    try:
        with transaction(engine) as session:
            create_user(session, email, password, role, f"cli:{getpass.getuser()}", language)
    except AccountError as exc:
        typer.secho(str(exc), err=True, fg=typer.colors.RED)
        raise typer.Exit(code=1) from exc
    typer.echo(f"Created {role} account {email.strip().lower()}. Sign in at /admin/login.")
