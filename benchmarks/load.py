"""Load test of real `familybot serve` processes, on loopback only, bounded in count and time.

For each backend (SQLite, then PostgreSQL in a private temporary cluster), starts
`familybot serve --workers N`, then drives it with realistic multilingual traffic:
families in ten languages (held-out test messages the model never saw) writing by SMS
(Twilio webhook, valid signatures, one MessageSid per message) and by web chat
(`/api/chat`), each family waiting for its answer before writing again, some of them
ending with STOP. Two runs per backend, each of `--messages` messages:

- closed loop (capacity): `--concurrency` clients send as soon as they are answered;
  the throughput is the most the server can do, and latency is the queue that builds
  (by Little's law, concurrency / throughput);
- open loop (latency at a given load): messages fall due at a steady `--rate` per second
  (Poisson arrivals), each family waiting for its answer and GAP seconds more before its
  next message, with at most `--concurrency` requests in flight; latency counts from when
  a message was due.

Afterwards it checks in the database that no message and no opt-out was lost. Each run
also prints the CPU time per answered message of the server processes and of PostgreSQL:
on a shared host, a steadier measure of the code than throughput.
Baseline in the same run: `GET /healthz` at the same concurrency (the HTTP floor: no
database, no NLU). Requests are built in advance and sent by a lean client
(`benchmarks/http_client.py`), so that the client takes little of the CPU it shares
with the server.

Run: .venv/bin/python benchmarks/load.py [--messages 5000] [--concurrency 50] [--workers 2] [--rate 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import uvloop
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import http_client  # noqa: E402
from bot.identity import user_key  # noqa: E402
from bot.records import ConversationTurn, FamilyStateRow, ProcessedMessage  # noqa: E402
from nlu.rasa_yaml import read_examples  # noqa: E402
from resources_db.database import make_engine, transaction  # noqa: E402
from tests.postgres_server import PostgresServer  # noqa: E402

HELDOUT = ROOT / "tests" / "nlu" / "heldout"
TOKEN = "bench-twilio-token"
PUBLIC = "https://familybot.example.org"
SALT = "bench-salt-long-enough-for-the-server-check"
STOP_SHARE = 0.08  # families that end their conversation with STOP
START_TIMEOUT = 400
REQUEST_TIMEOUT = 30.0
#: Seconds a family takes to read an answer and write again, in the open-loop run.
GAP = 2.0


@dataclass
class Family:
    channel: str  # "sms" or "web"
    user_id: str
    messages: list[str]
    requests: list[bytes] = field(default_factory=list)  # built by `prepare`


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    ok_by_channel: dict[str, int] = field(default_factory=lambda: {"sms": 0, "web": 0})
    #: Families whose STOP was answered (200): the service promised to stop.
    stops_acknowledged: list[Family] = field(default_factory=list)
    wall: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def line(self, label: str) -> str:
        ordered = sorted(self.latencies) or [0.0]
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        count = len(self.latencies) + sum(self.errors.values())
        return (f"{label:<34} {count:>6} req  {count / self.wall:7.1f} msg/s  p50 {statistics.median(ordered) * 1000:6.1f} ms"
                f"  p99 {p99 * 1000:6.1f} ms  errors {sum(self.errors.values())}"
                + (f" {self.errors}" if self.errors else ""))


def make_families(total: int, rng: random.Random, prefix: str = "") -> list[Family]:
    """Conversations of 1-4 messages in one language; some end with STOP; half SMS, half web."""
    by_language: dict[str, list[str]] = {}
    for path in sorted(HELDOUT.glob("*.yml")):
        by_language[path.stem] = [example.text for example in read_examples(path)]
    families, sent, number = [], 0, 0
    while sent < total:
        language = rng.choice(sorted(by_language))
        messages = rng.sample(by_language[language], k=min(rng.randint(1, 4), total - sent))
        if rng.random() < STOP_SHARE:
            messages[-1] = rng.choice(["STOP", "stop", "Stop"])
        channel = "sms" if number % 2 == 0 else "web"
        user_id = f"+1{prefix}514{5550000 + number:07d}" if channel == "sms" else f"bench{prefix}-family-{number:06d}"
        families.append(Family(channel, user_id, messages))
        sent += len(messages)
        number += 1
    return families


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`familybot serve` as a child process group on a free loopback port."""

    def __init__(self, database_url: str, workers: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="familybot-serve-", suffix=".log", delete=False)
        env = {**os.environ, "DATABASE_URL": database_url, "TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": PUBLIC,
               "ID_HASH_SALT": SALT, "LOG_LEVEL": "WARNING", "TRANSLATION_PROVIDER": "none"}
        command = [str(Path(sys.executable).with_name("familybot")), "serve", "--host", "127.0.0.1",
                   "--port", str(self.port), "--workers", str(workers)]
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"familybot serve exited: see {self.log.name}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"familybot serve not ready after {START_TIMEOUT}s: see {self.log.name}")

    def pids(self) -> list[int]:
        """The server and its worker processes (its process group)."""
        group = subprocess.run(["pgrep", "-g", str(self.process.pid)], capture_output=True, text=True,
                               check=False).stdout.split()
        return sorted({self.process.pid, *map(int, group)})

    def rss_mb(self) -> float:
        """Resident memory of the server and its worker processes."""
        total = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except FileNotFoundError:
                continue
        return total / 1024

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


def prepare(families: list[Family], host: str) -> None:
    """Build every request in advance (signatures included): the client spends its CPU on nothing else."""
    validator = RequestValidator(TOKEN)
    for family in families:
        family.requests = []
        for text in family.messages:
            if family.channel == "sms":
                form = {"From": family.user_id, "To": "+15145550000", "Body": text, "NumMedia": "0",
                        "MessageSid": f"SM{uuid.uuid4().hex}", "AccountSid": "AC" + "0" * 32}
                signature = validator.compute_signature(f"{PUBLIC}/sms/twilio", form)
                request = http_client.post_form(host, "/sms/twilio", form, {"X-Twilio-Signature": signature})
            else:
                body = json.dumps({"text": text, "user_id": family.user_id}).encode()
                request = http_client.post(host, "/api/chat", body, "application/json")
            family.requests.append(request)


async def _timed(connection: http_client.Connection, request: bytes, result: Result, since: float) -> bool:
    """Send one request; True if answered 200 (its latency from `since` is recorded), else an error counted."""
    try:
        status = await asyncio.wait_for(connection.send(request), REQUEST_TIMEOUT)
    except (OSError, asyncio.TimeoutError) as exc:
        connection.close()
        result.error(type(exc).__name__)
        return False
    if status != 200:
        result.error(str(status))
        return False
    result.latencies.append(time.perf_counter() - since)
    return True


async def _send(connection: http_client.Connection, family: Family, index: int, result: Result,
                ready_at: float) -> None:
    """Send a family's message `index`; its latency counts from `ready_at` (waiting for a connection included)."""
    if await _timed(connection, family.requests[index], result, ready_at):
        result.ok_by_channel[family.channel] += 1
        if family.messages[index].lower() == "stop":
            result.stops_acknowledged.append(family)


async def saturate(url: str, families: list[Family], concurrency: int, deadline: float) -> Result:
    """Closed loop: `concurrency` clients each play whole conversations, sending as soon as answered."""
    result, queue = Result(), asyncio.Queue()
    for family in families:
        queue.put_nowait(family)
    host, port = url.removeprefix("http://").split(":")

    async def client() -> None:
        connection = http_client.Connection(host, int(port))
        while not queue.empty() and time.monotonic() < deadline:
            family = queue.get_nowait()
            for index in range(len(family.requests)):
                await _send(connection, family, index, result, time.perf_counter())
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.wall = time.perf_counter() - started
    return result


async def offered(url: str, families: list[Family], count: int, rate: float, concurrency: int, seed: int) -> Result:
    """Open loop at a steady `rate`: `count` messages fall due at the instants of a Poisson
    process of `rate` per second, whatever the server's answers take; at most `concurrency`
    in flight.

    Each instant goes to a family that got its previous answer at least GAP seconds ago, or
    else to a family that has not written yet. Give more families than `count` needs: then
    a new family is always there and the rate holds to the last message (conversations
    still going on at the end are left there). Latency counts from when a message was due,
    so a server that falls behind shows it.
    """
    rng, result = random.Random(seed), Result()
    newcomers = deque(families)
    follow_ups: asyncio.Queue[tuple[Family, int]] = asyncio.Queue()
    host, port = url.removeprefix("http://").split(":")
    connections: asyncio.Queue[http_client.Connection] = asyncio.Queue()
    for _ in range(concurrency):
        connections.put_nowait(http_client.Connection(host, int(port)))

    async def message(family: Family, index: int, due: float) -> None:
        connection = await connections.get()
        try:
            await _send(connection, family, index, result, due)
        finally:
            connections.put_nowait(connection)
        # The run lasts until its last answer, not until the families still reading have finished.
        result.wall = max(result.wall, time.perf_counter() - started)
        if index + 1 < len(family.requests):
            await asyncio.sleep(GAP)  # the family reads the answer, then writes again
            follow_ups.put_nowait((family, index + 1))

    started = due = time.perf_counter()
    sending = []
    for _ in range(count):
        due += rng.expovariate(rate)
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        if not follow_ups.empty():
            next_message = follow_ups.get_nowait()
        elif newcomers:
            next_message = (newcomers.popleft(), 0)
        else:  # the last families are all reading their answers
            next_message = await follow_ups.get()
            due = max(due, time.perf_counter())
        sending.append(asyncio.create_task(message(*next_message, due)))
    await asyncio.gather(*sending)
    while not connections.empty():
        connections.get_nowait().close()
    return result


async def baseline(url: str, count: int, concurrency: int) -> Result:
    """`GET /healthz` the same number of times at the same concurrency (closed loop)."""
    result, remaining = Result(), iter(range(count))
    host, port = url.removeprefix("http://").split(":")
    request = http_client.get(f"{host}:{port}", "/healthz")

    async def loop() -> None:
        connection = http_client.Connection(host, int(port))
        for _ in remaining:
            await _timed(connection, request, result, time.perf_counter())
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(concurrency)))
    result.wall = time.perf_counter() - started
    return result


def stored_messages(database_url: str) -> dict[str, int]:
    """Messages the database holds: SMS by MessageSid, web chat by incoming turn."""
    engine = make_engine(database_url)
    with transaction(engine) as session:
        counts = {
            "sms": session.scalar(select(func.count()).select_from(ProcessedMessage)
                                  .where(ProcessedMessage.channel == "sms")),
            "web": session.scalar(select(func.count()).select_from(ConversationTurn)
                                  .where(ConversationTurn.channel == "web", ConversationTurn.direction == "in")),
        }
    engine.dispose()
    return counts


def audit(database_url: str, before: dict[str, int], result: Result, after: dict[str, int] | None = None) -> str:
    """Lost messages (answered but not stored) and lost opt-outs (STOP answered, family not opted out)."""
    after = after or stored_messages(database_url)
    stored = {channel: after[channel] - before[channel] for channel in after}
    lost = sum(result.ok_by_channel[channel] - stored[channel] for channel in stored)
    stopped = {user_key(f.channel, f.user_id, SALT) for f in result.stops_acknowledged}
    engine = make_engine(database_url)
    with transaction(engine) as session:
        opted_out = set(session.scalars(select(FamilyStateRow.user_key).where(
            FamilyStateRow.user_key.in_(stopped), FamilyStateRow.opted_out.is_(True))))
    engine.dispose()
    return (f"answered {sum(result.ok_by_channel.values())} (sms {result.ok_by_channel['sms']}, "
            f"web {result.ok_by_channel['web']}), stored sms {stored['sms']} web {stored['web']}: lost {lost}; "
            f"STOP answered {len(stopped)}, opted out {len(opted_out)}: lost opt-outs {len(stopped) - len(opted_out)}")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes `pids` have used so far (those that have exited count 0)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def family_of(pid: int) -> list[int]:
    """`pid` and its children (PostgreSQL's backends)."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout.split()
    return [pid, *map(int, children)]


@dataclass
class CpuMeter:
    """CPU per answered message of the server processes and of the database server.

    Less sensitive than throughput to a shared host's other tenants: it counts what our
    processes used, not how much of the machine they got.
    """

    server: Server
    database_pid: int | None

    def read(self) -> tuple[float, float]:
        database = cpu_seconds(family_of(self.database_pid)) if self.database_pid else 0.0
        return cpu_seconds(self.server.pids()), database

    def line(self, before: tuple[float, float], after: tuple[float, float], messages: int) -> str:
        server, database = ((b - a) * 1000 / max(1, messages) for a, b in zip(before, after, strict=True))
        return (f"  CPU per message: server {server:.2f} ms"
                + (f", PostgreSQL {database:.2f} ms" if self.database_pid else ""))


def cpu_reference() -> float:
    """CPU seconds a fixed pure-Python loop takes: how fast this machine runs right now.

    On a shared host the same machine runs up to twice slower at times; this line, printed
    with each run, tells a slow machine from a slow server.
    """
    started, total = time.process_time(), 0
    for number in range(3_000_000):
        total += number
    return time.process_time() - started


def run_backend(label: str, database_url: str, args: argparse.Namespace, database_pid: int | None = None) -> None:
    speed_before = cpu_reference()
    server = Server(database_url, args.workers)
    meter = CpuMeter(server, database_pid)
    host = server.url.removeprefix("http://")
    warm_up, closed, opened = (make_families(count, random.Random(seed), prefix=prefix) for count, seed, prefix in
                               [(200, -1, "9"), (args.messages, args.seed, "1"), (2 * args.messages, args.seed + 1, "2")])
    for families in (warm_up, closed, opened):
        prepare(families, host)
    try:
        server.wait_ready()
        # Warm-up outside the measurement: first requests load lazy parts in each worker.
        uvloop.run(saturate(server.url, warm_up, args.concurrency, time.monotonic() + 60))
        base = uvloop.run(baseline(server.url, args.baseline_requests, args.concurrency))
        before = stored_messages(database_url)
        cpu_start = meter.read()
        most = uvloop.run(saturate(server.url, closed, args.concurrency, time.monotonic() + args.time_limit))
        cpu_middle = meter.read()
        middle = stored_messages(database_url)
        steady = uvloop.run(offered(server.url, opened, args.messages, args.rate, args.concurrency, args.seed))
        cpu_end = meter.read()
        rss = server.rss_mb()
    finally:
        server.stop()
    speed_after = cpu_reference()
    print(f"\n{label}, {args.workers} workers, concurrency {args.concurrency}, server RSS {rss:.0f} MB")
    print(f"CPU reference (a fixed Python loop): {speed_before:.2f} s before, {speed_after:.2f} s after "
          "(lower is faster: compare it between runs)")
    print(base.line("baseline GET /healthz, closed loop"))
    print(most.line("messages, closed loop (capacity)"))
    print("  " + audit(database_url, before, most, middle))
    print(meter.line(cpu_start, cpu_middle, len(most.latencies)))
    print(steady.line(f"messages, offered {args.rate:.0f} msg/s"))
    print("  " + audit(database_url, middle, steady))
    print(meter.line(cpu_middle, cpu_end, len(steady.latencies)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline-requests", type=int, default=2000)
    parser.add_argument("--time-limit", type=float, default=300, help="seconds of traffic per backend, at most")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=200, help="messages/s offered in the open-loop run")
    args = parser.parse_args()
    print(f"familybot load test: {args.messages} messages per backend, 10 languages, "
          f"{STOP_SHARE:.0%} of families end with STOP; {os.cpu_count()} CPUs")
    backends = args.backends.split(",")
    if "sqlite" in backends:
        folder = Path(tempfile.mkdtemp(prefix="familybot-load-"))
        run_backend("SQLite", f"sqlite:///{folder / 'load.db'}", args)
    if "postgresql" in backends:
        postgres = PostgresServer(durable=True).start()
        try:
            run_backend(f"PostgreSQL {postgres.version}", postgres.url(postgres.create_database(prefix="load")), args,
                        database_pid=postgres.pid())
        finally:
            postgres.destroy()


if __name__ == "__main__":
    main()
