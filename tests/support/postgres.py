"""A throwaway PostgreSQL cluster for tests.

``throwaway_postgres()`` yields a SQLAlchemy URL (``postgresql+psycopg://...``). When the
environment variable ``DATABASE_URL`` is set it is yielded unchanged and nothing is started.
Otherwise a fresh cluster is created with the installed binaries (``initdb``/``pg_ctl`` on
PATH, else ``/usr/lib/postgresql/*/bin``) in a temporary directory, started on a free TCP port
on 127.0.0.1 (unix socket inside the temporary directory, ``fsync=off``), given one database,
and stopped and removed on exit -- also when the body raises.

PostgreSQL refuses to run as root, so when the tests run as root every server command runs as
the ``postgres`` OS user (``runuser -u postgres --``, else ``su postgres -c``) and the temporary
directory is handed to that user.

``pg_available()`` says, without starting anything, why a cluster cannot be started (or None).
``skip_unless_postgres()`` turns that reason into a skip -- or a failure in CI, where the
PostgreSQL tests must run.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tests.support.net import free_port

ENV_URL = "DATABASE_URL"
SERVICE_USER = "postgres"
DEFAULT_DATABASE = "crisis_dispatch_test"
_START_ATTEMPTS = 3
_COMMAND_TIMEOUT_S = 60


class PostgresUnavailable(RuntimeError):
    """A throwaway cluster could not be created or started; the message says why."""


def find_pg_bindir() -> Path | None:
    """Directory holding ``initdb`` and ``pg_ctl``: PATH first, then the newest Debian install."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        # Resolve symlinks such as /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb,
        # so that pg_ctl finds the matching ``postgres`` binary beside it.
        return Path(initdb).resolve().parent
    candidates = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda d: _version_key(d.parent.name),
    )
    for bindir in reversed(candidates):
        if (bindir / "pg_ctl").exists() and (bindir / "postgres").exists():
            return bindir
    return None


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _service_account() -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        return None


def pg_available() -> str | None:
    """None when a PostgreSQL for tests is available, else a one-line reason why not.

    Cheap: looks for binaries and the service account, starts nothing.
    """
    if os.environ.get(ENV_URL):
        return None
    if find_pg_bindir() is None:
        return f"PostgreSQL binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin and {ENV_URL} is not set"
    if _running_as_root():
        if _service_account() is None:
            return f"running as root but there is no '{SERVICE_USER}' OS user to run PostgreSQL as"
        if not (shutil.which("runuser") or shutil.which("su")):
            return "running as root but neither runuser nor su is available to drop privileges"
    return None


def skip_unless_postgres() -> None:
    """Skip the calling test when PostgreSQL is unavailable -- fail instead when CI is set."""
    reason = pg_available()
    if reason is not None:
        from tests.shared_data import skip_or_fail

        skip_or_fail(reason)


@contextlib.contextmanager
def throwaway_postgres(database: str = DEFAULT_DATABASE, *, durable: bool = False) -> Iterator[str]:
    """Yield a SQLAlchemy URL to an empty database on a private, temporary cluster.

    Uses ``DATABASE_URL`` unchanged when it is set. Raises :class:`PostgresUnavailable`
    (with the server log when there is one) if the cluster cannot be started. ``durable``
    keeps PostgreSQL's own defaults (``fsync``, ``synchronous_commit``, full page writes), as
    production runs it: benchmarks of commit rates need them; tests do not.
    """
    existing = os.environ.get(ENV_URL)
    if existing:
        yield existing
        return
    reason = pg_available()
    if reason is not None:
        raise PostgresUnavailable(reason)
    bindir = find_pg_bindir()
    assert bindir is not None  # checked by pg_available()
    cluster = _Cluster(bindir, durable=durable)
    try:
        cluster.create()
        cluster.start()
        cluster.create_database(database)
        yield cluster.url(database)
    finally:
        cluster.destroy()


class _Cluster:
    """One temporary cluster: its directory, port and the commands that drive it."""

    def __init__(self, bindir: Path, *, durable: bool = False) -> None:
        self.bindir = bindir
        self.durable = durable
        self.as_root = _running_as_root()
        # /tmp rather than $TMPDIR when root: the postgres user must be able to reach the directory.
        parent = "/tmp" if self.as_root and Path("/tmp").is_dir() else None
        self.root = Path(tempfile.mkdtemp(prefix="cd-pg-", dir=parent))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.log = self.root / "server.log"
        self.port = 0
        self.started = False

    def _run(self, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        command = [str(a) for a in args]
        if self.as_root:
            if shutil.which("runuser"):
                command = ["runuser", "-u", SERVICE_USER, "--", *command]
            else:
                command = ["su", SERVICE_USER, "-s", "/bin/sh", "-c", shlex.join(command)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=env,
            cwd=self.root,
            timeout=_COMMAND_TIMEOUT_S,
            check=False,
        )

    def _check(self, result: subprocess.CompletedProcess[str], what: str) -> None:
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip()
            log = self.log.read_text(errors="replace").strip() if self.log.exists() else ""
            raise PostgresUnavailable(
                f"{what} failed (exit {result.returncode}): {detail}" + (f"\nserver log:\n{log}" if log else "")
            )

    def create(self) -> None:
        self.sockets.mkdir()
        if self.as_root:
            account = _service_account()
            assert account is not None
            for path in (self.root, self.sockets):
                os.chown(path, account.pw_uid, account.pw_gid)
        result = self._run(
            [
                self.bindir / "initdb",
                "--pgdata",
                self.data,
                "--username",
                SERVICE_USER,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C",
                "--no-sync",
                "--no-instructions",
            ]
        )
        self._check(result, "initdb")

    def start(self) -> None:
        last: PostgresUnavailable | None = None
        for _ in range(_START_ATTEMPTS):
            self.port = free_port()
            options = " ".join(
                [
                    f"-p {self.port}",
                    "-c listen_addresses=127.0.0.1",
                    f"-c unix_socket_directories={self.sockets}",
                    *([] if self.durable else ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]),
                    "-c max_connections=100",
                ]
            )
            result = self._run(
                [
                    self.bindir / "pg_ctl",
                    "--pgdata",
                    self.data,
                    "--log",
                    self.log,
                    "--options",
                    options,
                    "--wait",
                    "--timeout",
                    "30",
                    "start",
                ]
            )
            try:
                self._check(result, "pg_ctl start")
            except PostgresUnavailable as error:  # most likely the port was taken meanwhile
                last = error
                continue
            self.started = True
            return
        assert last is not None
        raise last

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SERVICE_USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, database: str) -> None:
        import psycopg

        deadline = time.monotonic() + 10
        while True:
            try:
                with psycopg.connect(
                    host="127.0.0.1", port=self.port, user=SERVICE_USER, dbname="postgres", autocommit=True
                ) as conn:
                    conn.execute(f'CREATE DATABASE "{database}"')
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def destroy(self) -> None:
        try:
            if self.started:
                self._run([self.bindir / "pg_ctl", "--pgdata", self.data, "--mode", "immediate", "--wait", "stop"])
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def truncate_all(container: Any) -> None:
    """Empty every table of the container's PostgreSQL database (a test's fresh start)."""
    from sqlalchemy import text

    from crisis_dispatch.adapters.orm import metadata

    names = ", ".join(t.name for t in metadata.sorted_tables)
    with container.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
