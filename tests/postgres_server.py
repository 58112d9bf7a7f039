"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temporary cluster.

The cluster lives in a fresh temporary folder, listens on loopback only (a free port,
its unix socket inside the folder) and trusts local connections. PostgreSQL refuses
to run as root, so under root the server runs as an unprivileged account
(`postgres`, created by the Debian package, or `FAMILYBOT_PG_OS_USER`).
Per-test databases are copies of template databases (`CREATE DATABASE … TEMPLATE`),
which takes milliseconds.
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

DEBIAN_ROOT = Path("/usr/lib/postgresql")
SUPERUSER = "familybot"
START_TIMEOUT = 60


def find_bindir() -> Path:
    """The newest PostgreSQL server binaries installed (or `PG_BINDIR`)."""
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    versions = sorted((p for p in DEBIAN_ROOT.glob("*/bin") if (p / "initdb").exists()),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if not versions:
        raise RuntimeError("PostgreSQL server binaries not found: install the Debian package "
                           "`postgresql` (make test does), or set PG_BINDIR.")
    return versions[-1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _memory_dir() -> str | None:
    """A RAM-backed folder if the machine has one: copying a database there takes milliseconds, not seconds."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


class PostgresServer:
    """Start, restart and stop one private PostgreSQL cluster."""

    def __init__(self, bindir: Path | None = None, durable: bool = False):
        """`durable=True` keeps PostgreSQL's defaults (on disk, fsync on), as a benchmark should."""
        self.bindir = bindir or find_bindir()
        self.os_user = self._os_user()
        self.durable = durable
        self.root = Path(tempfile.mkdtemp(prefix="familybot-pg-", dir=None if durable else _memory_dir()))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self._names = itertools.count(1)
        if self.os_user is not None:
            account = pwd.getpwnam(self.os_user)
            os.chown(self.root, account.pw_uid, account.pw_gid)
        # "pg_ctl (PostgreSQL) 15.18 (Debian …)"
        self.version = int(re.search(r"\) (\d+)", self._run("pg_ctl", "--version").stdout).group(1))

    @staticmethod
    def _os_user() -> str | None:
        if os.geteuid() != 0:
            return None
        name = os.environ.get("FAMILYBOT_PG_OS_USER", "postgres")
        try:
            pwd.getpwnam(name)
        except KeyError as exc:
            raise RuntimeError(f"Running as root: PostgreSQL needs an unprivileged account; "
                               f"create `{name}` or set FAMILYBOT_PG_OS_USER.") from exc
        return name

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.os_user is not None:
            command = ["runuser", "-u", self.os_user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=START_TIMEOUT, cwd=self.root)
        if check and result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{args[0]} failed ({result.returncode}): {result.stderr or result.stdout}\n{log}")
        return result

    def start(self) -> PostgresServer:
        """Create the cluster on first start, then start the server and wait until it accepts connections."""
        if not self.data.exists():
            self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                      "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        self._run("pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w",
                  "-t", str(START_TIMEOUT), "-o", self._options)
        return self

    def drop_database(self, name: str) -> None:
        """Drop a database even if a test left connections open."""
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server at once (open connections are cut)."""
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w", check=False)

    def restart(self) -> None:
        """Stop and start again on the same port: clients see their connections dropped."""
        self._run("pg_ctl", "restart", "-D", str(self.data), "-m", "fast", "-w",
                  "-t", str(START_TIMEOUT), "-o", self._options)

    @property
    def _options(self) -> str:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c max_connections=200"
        if not self.durable:  # a test cluster need not survive a power cut, and tests run faster
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        return options

    def destroy(self) -> None:
        """Stop the server and delete the cluster."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def pid(self) -> int:
        """Process id of the running server (its backends are its children)."""
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL of `database` on this server (psycopg 3 driver)."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql)

    def create_database(self, template: str | None = None, prefix: str = "test") -> str:
        """A new database (a copy of `template` if given); returns its name."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        copy = f' TEMPLATE "{template}"' if template else ""
        if self.version >= 15:  # copy the template's files rather than logging every page: much faster
            copy += " STRATEGY FILE_COPY"
        self.execute(f'CREATE DATABASE "{name}"{copy}')
        return name



# -- pytest fixtures (imported by conftest.py) -------------------------------------

BACKENDS = ("sqlite", "postgresql")
SEEDED_TEMPLATE = "seeded_template"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole session, started on first use."""
    server = PostgresServer().start()
    yield server
    server.destroy()


@pytest.fixture
def postgres_database(postgres: PostgresServer) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    name = postgres.create_database()
    yield postgres.url(name)
    postgres.drop_database(name)


@pytest.fixture(scope="session")
def postgres_seeded_template(postgres: PostgresServer) -> str:
    """A database migrated by Alembic and holding the curated seed, built once per session."""
    from resources_db.database import make_engine, transaction, upgrade
    from resources_db.formats import seed
    from resources_db.store import apply_bundle

    postgres.execute(f'CREATE DATABASE "{SEEDED_TEMPLATE}"')
    engine = make_engine(postgres.url(SEEDED_TEMPLATE))
    upgrade(engine)
    with transaction(engine) as session:
        apply_bundle(session, seed.read(), "seed")
    engine.dispose()  # a template must have no open connection when it is copied
    return SEEDED_TEMPLATE


@pytest.fixture
def postgres_seeded_database(postgres: PostgresServer, postgres_seeded_template: str) -> Iterator[str]:
    """The URL of a fresh copy of the seeded database, dropped after the test."""
    name = postgres.create_database(template=postgres_seeded_template)
    yield postgres.url(name)
    postgres.drop_database(name)
