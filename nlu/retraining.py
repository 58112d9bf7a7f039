"""Retrain some languages beside the models in use, evaluate, and swap in only a model as good.

The candidate is trained in a staging folder inside the model folder (same file system,
so installing it is a rename). Languages not retrained are linked into the staging
folder, so the candidate is evaluated exactly as families meet it: language detected,
then that language's intent model.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from nlu.evaluation import evaluate
from nlu.parser import NluParser
from nlu.rasa_yaml import Example, read_examples, write_examples
from nlu.taxonomy import load_taxonomy
from nlu.training import LANGID_FILE, LANGID_META_FILE, train_language, train_language_id
from resources_db.validation import ContentError

STAFF_FILE = "staff.yml"
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class LanguageVerdict:
    """How the candidate of one language compares with the model in use."""

    language: str
    current: float
    candidate: float
    heldout: int
    #: New staff examples the candidate reads as staff said, of how many.
    learned: int
    taught: int

    def acceptable(self, max_drop: float) -> bool:
        """True when held-out accuracy drops by at most `max_drop`."""
        return self.candidate >= self.current - max_drop - 1e-9


def staff_file(staff_dir: Path, language: str) -> Path:
    """The Rasa NLU file holding the examples staff added for `language`."""
    return staff_dir / language / STAFF_FILE


def merge_examples(existing: list[Example], new: Iterable[Example]) -> list[Example]:
    """`existing` plus `new`; a text given again (case aside) takes its newest intent."""
    merged = {example.text.casefold(): example for example in existing}
    for example in new:
        merged.pop(example.text.casefold(), None)
        merged[example.text.casefold()] = example
    return list(merged.values())


class Candidate:
    """A staging folder holding retrained models and the staff files they were trained from."""

    def __init__(self, parser: NluParser, staff_dir: Path, languages: list[str], name: str):
        unknown = sorted(set(languages) - set(load_taxonomy().languages))
        if unknown or not languages:
            raise ContentError.single("retraining", "languages", f"not curated languages: {unknown or 'none given'}")
        self.parser, self.staff_dir, self.languages = parser, staff_dir, languages
        self.root = parser.model_dir / f".staging-{name}"
        self.models = self.root / "models"
        self.staff = self.root / "staff"

    def prepare(self, new_examples: dict[str, list[Example]]) -> None:
        """Copy the staff files and add the new examples; link the languages not retrained."""
        shutil.rmtree(self.root, ignore_errors=True)
        self.models.mkdir(parents=True)
        if self.staff_dir.exists():
            shutil.copytree(self.staff_dir, self.staff, dirs_exist_ok=True)
        self.staff.mkdir(parents=True, exist_ok=True)
        for language in self.languages:
            path = staff_file(self.staff, language)
            existing = read_examples(path) if path.exists() else []
            write_examples(merge_examples(existing, new_examples.get(language, [])), path)
        for language in load_taxonomy().languages:
            if language not in self.languages and (self.parser.model_dir / language).exists():
                (self.models / language).symlink_to((self.parser.model_dir / language).resolve())

    def train(self, progress: Progress) -> None:
        """Train the language identifier and each language's intent model into the staging folder."""
        steps = len(self.languages) + 1
        progress("language identifier", 0)
        train_language_id(self.models, self.parser.data_dir, self.staff)
        for done, language in enumerate(self.languages, start=1):
            progress(f"training {language}", round(100 * done / steps))
            train_language(language, self.models, self.parser.data_dir, self.staff)

    def evaluate(self, eval_dir: Path, new_examples: dict[str, list[Example]],
                 progress: Progress) -> list[LanguageVerdict]:
        """Held-out accuracy of the model in use and of the candidate, per retrained language."""
        candidate = NluParser(self.models, self.parser.threshold, self.parser.data_dir, self.staff)
        verdicts = []
        for done, language in enumerate(self.languages):
            progress(f"evaluating {language}", round(100 * done / len(self.languages)))
            path = eval_dir / f"{language}.yml"
            if not path.exists():
                raise ContentError.single(path, "file", "no held-out examples to evaluate this language with")
            heldout = read_examples(path)
            taught = new_examples.get(language, [])
            learned = sum(candidate.parse(e.text, language=language)["intent"]["name"] == e.intent for e in taught)
            verdicts.append(LanguageVerdict(
                language, evaluate(self.parser.parse, heldout)["accuracy"],
                evaluate(candidate.parse, heldout)["accuracy"], len(heldout), learned, len(taught)))
        return verdicts

    def install(self) -> None:
        """Move the candidate into the model folder and its staff files into the staff folder.

        Each step is an atomic rename; the old pipelines stay beside as `.previous-<lang>`.
        """
        model_dir = self.parser.model_dir
        for language in self.languages:
            previous = model_dir / f".previous-{language}"
            shutil.rmtree(previous, ignore_errors=True)
            if (model_dir / language).exists():
                os.rename(model_dir / language, previous)
            os.rename(self.models / language, model_dir / language)
        os.replace(self.models / LANGID_FILE, model_dir / LANGID_FILE)
        os.replace(self.models / LANGID_META_FILE, model_dir / LANGID_META_FILE)
        for language in self.languages:
            target = staff_file(self.staff_dir, language)
            target.parent.mkdir(parents=True, exist_ok=True)
            # Copy beside, then rename: atomic even when the staff folder is on another disk.
            partial = target.with_name(target.name + ".partial")
            shutil.copyfile(staff_file(self.staff, language), partial)
            os.replace(partial, target)
        self.parser.reload(self.languages)

    def discard(self) -> None:
        """Remove the staging folder (the models in use are untouched)."""
        shutil.rmtree(self.root, ignore_errors=True)
