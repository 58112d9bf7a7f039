"""`familybot train` and `familybot nlu …`: train, parse and evaluate the NLU."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from bot.settings import Settings
from nlu.evaluation import cross_validate, evaluate, table
from nlu.parser import NluParser
from nlu.rasa_yaml import read_examples
from nlu.taxonomy import load_taxonomy
from nlu.training import DATA_DIR, train_language, train_language_id, training_examples
from resources_db.validation import ContentError

app = typer.Typer(help="Parse and evaluate messages with the trained NLU.", no_args_is_help=True)


def _parser() -> NluParser:
    settings = Settings.from_env()
    return NluParser(settings.model_dir, settings.nlu_threshold, staff_dir=settings.staff_nlu_dir)


def train_command(
    language: Annotated[list[str] | None, typer.Option("--lang", help="Only these languages.")] = None,
    data: Annotated[Path, typer.Option(help="Folder of Rasa NLU YAML, one sub-folder per language.")] = DATA_DIR,
) -> None:
    """Train the language identifier and the intent model of each language."""
    settings = Settings.from_env()
    languages = language or list(load_taxonomy().languages)
    unknown = sorted(set(languages) - set(load_taxonomy().languages))
    if unknown:
        typer.secho(f"Not a curated language: {', '.join(unknown)}", err=True, fg=typer.colors.RED)
        raise typer.Exit(code=2)
    try:
        train_language_id(settings.model_dir, data, settings.staff_nlu_dir)
        with Progress(transient=True) as progress:
            task = progress.add_task("Training", total=len(languages))
            for code in languages:
                report = train_language(code, settings.model_dir, data, settings.staff_nlu_dir)
                progress.console.print(
                    f"{code}: {report.examples} examples, {report.intents} intents, {report.seconds}s"
                )
                progress.advance(task)
    except ContentError as exc:
        typer.secho(str(exc), err=True, fg=typer.colors.RED)
        raise typer.Exit(code=1) from exc
    typer.echo(f"Models written to {settings.model_dir}.")


@app.command("parse")
def parse_command(
    text: Annotated[str, typer.Argument(help="The message to understand.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the Rasa-shaped JSON result.")] = False,
) -> None:
    """Show the language, intent and entities found in TEXT."""
    result = _parser().parse(text)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    typer.echo(f"language: {result['language']['code']} ({result['language']['confidence']:.2f})")
    typer.echo(f"intent:   {result['intent']['name']} ({result['intent']['confidence']:.2f})")
    for entity in result["entities"]:
        typer.echo(f"entity:   {entity['entity']} = {entity['value']!r}")


@app.command("eval")
def eval_command(
    path: Annotated[Path | None, typer.Argument(help="A Rasa NLU YAML file of labelled examples.")] = None,
    cross_validate_folds: Annotated[
        int | None, typer.Option("--cross-validate", help="K-fold cross-validation on the training data instead.")
    ] = None,
    language: Annotated[list[str] | None, typer.Option("--lang", help="With --cross-validate: only these.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Evaluate on a labelled file (language detected automatically) or by cross-validation."""
    if cross_validate_folds:
        settings = Settings.from_env()
        reports = {
            code: cross_validate(code, training_examples(code), cross_validate_folds, settings.nlu_threshold)
            for code in (language or load_taxonomy().languages)
        }
        if as_json:
            typer.echo(json.dumps(reports, ensure_ascii=False))
        else:
            for code, report in reports.items():
                typer.echo(f"\n== {code} ({cross_validate_folds}-fold) ==\n{table(report)}")
        return
    if path is None:
        typer.secho("Give a Rasa NLU YAML file, or --cross-validate K.", err=True, fg=typer.colors.RED)
        raise typer.Exit(code=2)
    try:
        examples = read_examples(path)
    except ContentError as exc:
        typer.secho(str(exc), err=True, fg=typer.colors.RED)
        raise typer.Exit(code=1) from exc
    report = evaluate(_parser().parse, examples)
    typer.echo(json.dumps(report, ensure_ascii=False) if as_json else table(report))
