"""Turn raw records into validated ones, with errors that point at the file and line.

Staff edit YAML and CSV by hand; when something is wrong they need to know which
file, which line or record, and what to change — never a Python traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

#: Maps a path inside a document (keys and list indexes) to a 1-based line number.
LineIndex = dict[tuple[object, ...], int]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.reason}"


class ContentError(Exception):
    """Input content was rejected; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:25])
        more = f"\n  … and {len(problems) - 25} more" if len(problems) > 25 else ""
        super().__init__(f"{len(problems)} problem(s) found, nothing was changed:\n{shown}{more}")

    @classmethod
    def single(cls, file: str | Path, where: str, reason: str) -> ContentError:
        """An error with one problem."""
        return cls([Problem(str(file), where, reason)])


def load_yaml(path: Path) -> tuple[object, LineIndex]:
    """Parse a YAML file, returning its data and the line of every node.

    Syntax errors become a `ContentError` with the line YAML reports.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError.single(path, f"byte {exc.start}", "the file is not UTF-8 text") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        reason = getattr(exc, "problem", None) or str(exc)
        raise ContentError.single(path, where, f"not valid YAML: {reason}") from exc
    except ValueError as exc:  # a well-formed but impossible value, such as the date 2026-13-01
        raise ContentError.single(path, "file", f"not valid YAML: {exc}") from exc
    lines: LineIndex = {}
    if node is not None:
        _index_lines(node, (), lines)
    return data, lines


def _index_lines(node: yaml.Node, path: tuple[object, ...], lines: LineIndex) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            _index_lines(value_node, (*path, key_node.value), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*path, index), lines)


def line_of(lines: LineIndex, path: tuple[object, ...]) -> int | None:
    """The line of the deepest known node on `path`."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def validate_records(
    model: type[M],
    records: Iterable[tuple[object, object]],
    locate: Callable[[object, tuple[object, ...]], str],
    file: str | Path,
) -> tuple[list[M], list[Problem]]:
    """Validate `(key, raw)` pairs as `model`, collecting every problem.

    `locate(key, field_path)` says where a problem is (a line, a row, a record).
    """
    valid: list[M] = []
    problems: list[Problem] = []
    for key, raw in records:
        if not isinstance(raw, dict):
            problems.append(Problem(str(file), locate(key, ()), "expected a mapping of fields"))
            continue
        try:
            valid.append(model.model_validate(raw))
        except ValidationError as exc:
            label = f" ({raw.get('id')})" if raw.get("id") else ""
            for error in exc.errors():
                loc = tuple(error["loc"])
                field = ".".join(str(part) for part in loc) or "record"
                problems.append(
                    Problem(str(file), locate(key, loc) + label, f"{field}: {error['msg']}")
                )
    return valid, problems


def line_locator(lines: LineIndex, section: str) -> Callable[[object, tuple[object, ...]], str]:
    """Locate problems of records in list `section` of a YAML document by line."""
    return lambda index, loc: f"line {line_of(lines, (section, index, *loc))}"
