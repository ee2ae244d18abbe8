"""Shared plumbing: the connection Django uses, the PostgreSQL client binaries, the backup directory."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from platform_core.runtime.servers import _chown_for_pg, _demote_ids, _find_pg_bindir, var_dir


class BackupError(Exception):
    """A backup or restore step failed; the message says what and what was (not) changed."""


def backup_root() -> Path:
    """``$BALAI_BACKUP_DIR`` or ``var/backup``."""
    return Path(os.environ.get("BALAI_BACKUP_DIR", var_dir() / "backup")).resolve()


def pg_binary(name: str) -> str:
    """The client tool of the embedded server's major version (pg_dump must not be older than the server)."""
    candidate = _find_pg_bindir() / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(f"Program {name} tidak ditemukan (dicari di {candidate.parent} dan PATH).")


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    user: str
    password: str
    dbname: str

    def args(self, *, dbname: str | None = None) -> list[str]:
        return ["-h", self.host, "-p", str(self.port), "-U", self.user, "-d", dbname or self.dbname]

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("PGOPTIONS", None)
        if self.password:
            env["PGPASSWORD"] = self.password
        env["PGAPPNAME"] = "balai-backup"
        return env


def target() -> Target:
    """Where Django's default connection points (the test database under pytest)."""
    db = connection.settings_dict
    return Target(
        host=str(db.get("HOST") or "127.0.0.1"),
        port=int(db.get("PORT") or 5432),
        user=str(db.get("USER") or "postgres"),
        password=str(db.get("PASSWORD") or ""),
        dbname=str(db["NAME"]),
    )


def run(
    cmd: Sequence[str], *, env: dict[str, str] | None = None, as_server_user: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run a tool; raise BackupError with its stderr when it fails."""
    user, group = _demote_ids() if as_server_user else (None, None)
    result = subprocess.run(list(cmd), capture_output=True, text=True, env=env, user=user, group=group, check=False)
    if result.returncode != 0:
        tool = Path(cmd[0]).name
        raise BackupError(
            f"{tool} gagal (kode {result.returncode}): {(result.stderr or result.stdout).strip()[-2000:]}"
        )
    return result


def server_owned_dir(path: Path) -> Path:
    """A directory the PostgreSQL server process may write (it runs as uid 65534 when we are root)."""
    path.mkdir(parents=True, exist_ok=True)
    _chown_for_pg(path)
    return path
