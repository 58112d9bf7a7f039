"""One YAML file holding every organization and service, texts inline (export format)."""

from __future__ import annotations

from pathlib import Path

import yaml

from resources_db.formats.common import build_bundle
from resources_db.schema import Bundle
from resources_db.validation import ContentError, line_locator, load_yaml

FORMAT_NAME = "familybot-resources"


def read(path: Path) -> Bundle:
    """Read a YAML export; errors point at lines."""
    data, lines = load_yaml(path)
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ContentError.single(path, "line 1", f"expected 'format: {FORMAT_NAME}' at the top")

    return build_bundle(
        path,
        enumerate(data.get("organizations") or []),
        enumerate(data.get("services") or []),
        line_locator(lines, "organizations"),
        line_locator(lines, "services"),
    )


def write(bundle: Bundle, path: Path) -> None:
    """Write `bundle` as YAML, sorted so that equal content gives an equal file."""
    document = {"format": FORMAT_NAME, "version": 1, **canonical(bundle)}
    path.write_text(
        yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100),
        encoding="utf-8",
    )


def canonical(bundle: Bundle) -> dict:
    """A plain, deterministic dict of the bundle (ids sorted, texts sorted by language)."""
    data = bundle.model_dump(mode="json")
    data["organizations"].sort(key=lambda o: o["id"])
    data["services"].sort(key=lambda s: s["id"])
    for service in data["services"]:
        service["texts"] = {
            lang: dict(sorted(fields.items())) for lang, fields in sorted(service["texts"].items())
        }
    return data
