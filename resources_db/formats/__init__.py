"""Readers and writers for each resource interchange format.

Every reader returns a validated `Bundle`; every writer takes one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from resources_db.formats import csv_table, hsds_json, seed, yaml_bundle
from resources_db.schema import Bundle
from resources_db.validation import ContentError

ExportFormat = Literal["yaml", "csv", "hsds-json"]

_WRITERS = {"yaml": yaml_bundle.write, "csv": csv_table.write, "hsds-json": hsds_json.write}


def read_any(path: Path) -> Bundle:
    """Read a seed folder, or a YAML, CSV or HSDS JSON file, chosen by its name."""
    if path.is_dir():
        return seed.read(path)
    if not path.exists():
        raise ContentError.single(path, "file", "no such file or folder")
    suffix = path.suffix.lower()
    if suffix in {".yml", ".yaml"}:
        return yaml_bundle.read(path)
    if suffix == ".csv":
        return csv_table.read(path)
    if suffix == ".json":
        return hsds_json.read(path)
    raise ContentError.single(path, "file", "unknown format: use .yml, .yaml, .csv or .json")


def write_any(bundle: Bundle, path: Path, fmt: ExportFormat) -> None:
    """Write `bundle` to `path` in format `fmt`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _WRITERS[fmt](bundle, path)
