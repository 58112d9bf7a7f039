"""End-to-end `ask` latency, in-process, no network: what a family waits for, minus transport.

Baseline in the same run: a direct database lookup of the resources for a need already
known (no language id, no intent model, no state) — the floor any answer costs.

Run: .venv/bin/python benchmarks/ask_bench.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.messages import IncomingMessage  # noqa: E402
from bot.runtime import create_dialogue  # noqa: E402
from bot.settings import Settings  # noqa: E402
from nlu.rasa_yaml import read_examples  # noqa: E402

HELDOUT = ROOT / "tests" / "nlu" / "heldout"


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered) * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms, {len(ordered) / sum(ordered):.0f} msg/s"


def main(count: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="familybot-ask-bench-"))
    settings = Settings(database_url=f"sqlite:///{folder / 'bench.db'}", model_dir=Settings.from_env().model_dir)
    dialogue = create_dialogue(settings)
    dialogue.parser.load_all()
    messages = [e.text for path in sorted(HELDOUT.glob("*.yml")) for e in read_examples(path)]
    messages = (messages * (count // len(messages) + 1))[:count]

    samples = []
    for index, text in enumerate(messages):
        started = time.perf_counter()
        dialogue.handle(IncomingMessage("bench", f"family-{index % 200}", text))
        samples.append(time.perf_counter() - started)
    print(f"ask, end to end ({count} messages, 200 families, 10 languages): {percentiles(samples)}")

    baseline = []
    for index in range(count):
        started = time.perf_counter()
        dialogue.answers.page("food_aid", ["fr", "en"], None, index % 3)
        baseline.append(time.perf_counter() - started)
    print(f"baseline, resource lookup only:                            {percentiles(baseline)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
