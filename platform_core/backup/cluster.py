"""Physical backup of the whole cluster and point-in-time restore (docs/backup.md).

`basis()`: pg_basebackup (plain format, WAL streamed in, verified with pg_verifybackup) into
``var/backup/basis/<time>/``; the server archives every finished WAL segment into
``var/backup/wal/`` (archive_command, platform_core.runtime.servers). `pulihkan()`: a new data
directory from the newest base backup older than the target time, WAL replayed from the archive
up to ``recovery_target_time``, started on another port, promoted, and checked.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.db import connection
from django.utils import timezone

from platform_core.backup.pg import BackupError, backup_root, pg_binary, run, server_owned_dir, target
from platform_core.runtime.servers import PG_SETTINGS, wal_archive_dir

logger = logging.getLogger("balai.backup")

SIMPAN_BASIS = int(os.environ.get("BALAI_BACKUP_BASIS_SIMPAN", "2"))
META = "balai-basis.json"


def _show(name: str) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SHOW {name}")
        row = cur.fetchone()
    return str(row[0]) if row else ""


def check_archiving() -> Path:
    """The archive directory the server writes to; BackupError when the server does not archive."""
    if _show("archive_mode") not in {"on", "always"} or _show("wal_level") not in {"replica", "logical"}:
        raise BackupError(
            "Server PostgreSQL tidak mengarsipkan WAL (archive_mode/wal_level). Pasang setelan di docs/backup.md "
            "lalu restart server; server bawaan Balai memasangnya sendiri saat start."
        )
    archive = wal_archive_dir()
    if str(archive) not in _show("archive_command"):
        raise BackupError(
            f"archive_command server tidak menulis ke {archive}. Samakan BALAI_WAL_ARCHIVE dengan archive_command "
            "(atau restart server bawaan agar setelannya ditulis ulang)."
        )
    return server_owned_dir(archive)


@dataclass
class Basis:
    path: Path
    started: dt.datetime
    finished: dt.datetime
    start_wal: str
    seconds: float


def _start_wal(path: Path) -> str:
    label = (path / "backup_label").read_text()
    m = re.search(r"START WAL LOCATION: \S+ \(file ([0-9A-F]{24})\)", label)
    if not m:
        raise BackupError(f"backup_label di {path} tidak terbaca")
    return m.group(1)


def basis() -> Basis:
    """Take a base backup of the whole cluster, verify it, prune old ones and the WAL they no longer need."""
    archive = check_archiving()
    root = server_owned_dir(backup_root() / "basis")
    started = timezone.now()
    path = root / timezone.localtime(started).strftime("%Y-%m-%dT%H%M%S")
    db = target()
    t0 = time.perf_counter()
    # As the server's own user: the copy must belong to whoever will start it.
    run(
        [
            pg_binary("pg_basebackup"),
            "-h",
            db.host,
            "-p",
            str(db.port),
            "-U",
            db.user,
            "-D",
            str(path),
            "-Fp",
            "-X",
            "stream",
            "-c",
            "fast",
            "-l",
            f"balai {path.name}",
        ],
        env=db.env(),
        as_server_user=True,
    )
    run([pg_binary("pg_verifybackup"), "-q", str(path)], as_server_user=True)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_switch_wal()")  # the backup's last segment goes to the archive now
    finished = timezone.now()
    result = Basis(
        path=path, started=started, finished=finished, start_wal=_start_wal(path), seconds=time.perf_counter() - t0
    )
    meta = {"started": started.isoformat(), "finished": finished.isoformat(), "start_wal": result.start_wal}
    (path / META).write_text(json.dumps(meta))
    logger.info("basis backup %s in %.1fs (WAL archive %s)", path, result.seconds, archive)
    _prune(root, archive)
    return result


def list_basis() -> list[tuple[Path, dt.datetime, str]]:
    root = backup_root() / "basis"
    found = []
    for meta in sorted(root.glob(f"*/{META}")) if root.is_dir() else []:
        data = json.loads(meta.read_text())
        found.append((meta.parent, dt.datetime.fromisoformat(data["finished"]), str(data["start_wal"])))
    return found


def _prune(root: Path, archive: Path) -> None:
    kept = list_basis()
    for path, _, _ in kept[:-SIMPAN_BASIS]:
        shutil.rmtree(path, ignore_errors=True)
    kept = kept[-SIMPAN_BASIS:]
    if kept:
        # WAL older than the oldest kept base backup can restore nothing any more.
        run([pg_binary("pg_archivecleanup"), str(archive), kept[0][2]], as_server_user=True)


# --- point-in-time restore ----------------------------------------------------------------------------


def parse_waktu(text: str) -> dt.datetime:
    """'2026-11-23 13:05:00' (Asia/Jakarta unless an offset is given) -> aware datetime."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise BackupError(f"Waktu {text!r} tidak dikenali; tulis seperti 2026-11-23 13:05:00.") from exc
    if value.tzinfo is None:
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Pemulihan:
    data: Path
    port: int
    waktu: dt.datetime
    basis: Path
    villages: int
    schemas: int
    seconds: float

    @property
    def dsn(self) -> str:
        return f"postgresql://{target().user}@127.0.0.1:{self.port}/{target().dbname}"


def _restore_conf(*, port: int, run_dir: Path, archive: Path, waktu: dt.datetime) -> str:
    settings = {
        **PG_SETTINGS,
        "port": str(port),
        "listen_addresses": "'127.0.0.1'",
        "unix_socket_directories": f"'{run_dir}'",
        # A restored copy must never write into the production archive.
        "archive_mode": "off",
        "restore_command": f'\'cp "{archive}/%f" "%p"\'',
        "recovery_target_time": f"'{waktu.isoformat(sep=' ')}'",
        "recovery_target_action": "'promote'",
    }
    return "# written by balai backup pulihkan-cluster\n" + "".join(f"{k} = {v}\n" for k, v in settings.items())


def pulihkan(waktu: dt.datetime, *, port: int | None = None, ke: Path | None = None, timeout: float = 600) -> Pemulihan:
    """Restore the cluster as it was at `waktu` into a new data directory, started on its own port."""
    archive = wal_archive_dir()
    candidates = [b for b in list_basis() if b[1] <= waktu]
    if not candidates:
        raise BackupError(f"Tidak ada backup basis yang selesai sebelum {waktu:%Y-%m-%d %H:%M:%S %z}.")
    source = candidates[-1][0]
    port = port or free_port()
    stamp = timezone.localtime().strftime("%Y-%m-%dT%H%M%S")
    root = ke or server_owned_dir(backup_root() / "pulih") / f"{stamp}-{port}"
    server_owned_dir(root)
    data = root / "data"
    run_dir = server_owned_dir(root / "run")
    t0 = time.perf_counter()
    run(["cp", "-a", str(source), str(data)], as_server_user=True)
    (data / META).unlink(missing_ok=True)
    (data / "balai.conf").write_text(_restore_conf(port=port, run_dir=run_dir, archive=archive, waktu=waktu))
    (data / "recovery.signal").write_text("")
    os.chmod(data, 0o700)
    if os.geteuid() == 0:
        for name in ("balai.conf", "recovery.signal"):
            os.chown(data / name, 65534, 65534)
    logfile = root / "postgres.log"
    try:
        run(
            [pg_binary("pg_ctl"), "-D", str(data), "-l", str(logfile), "-w", "-t", str(int(timeout)), "start"],
            as_server_user=True,
        )
        dbname = target().dbname
        deadline = time.monotonic() + timeout
        while True:
            with psycopg.connect(host="127.0.0.1", port=port, user=target().user, dbname=dbname) as conn:
                in_recovery = conn.execute("SELECT pg_is_in_recovery()").fetchone()
                if in_recovery and not in_recovery[0]:
                    villages = conn.execute("SELECT count(*) FROM public.tenancy_village").fetchone()
                    schemas = conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'v\\_%'").fetchone()
                    break
            if time.monotonic() > deadline:
                raise BackupError("Pemulihan belum selesai dalam batas waktu")
            time.sleep(0.3)
    except (BackupError, psycopg.Error) as exc:
        tail = logfile.read_text()[-3000:] if logfile.exists() else ""
        stop(data)
        raise BackupError(f"Pemulihan cluster gagal: {exc}\n{tail}") from exc
    result = Pemulihan(
        data=data,
        port=port,
        waktu=waktu,
        basis=source,
        villages=int(villages[0] if villages else 0),
        schemas=int(schemas[0] if schemas else 0),
        seconds=time.perf_counter() - t0,
    )
    logger.warning("cluster dipulihkan ke %s di %s (port %s)", waktu.isoformat(), data, port)
    return result


def stop(data: Path) -> None:
    """Stop a restored cluster (pg_ctl stop -m fast); nothing happens if it is not running."""
    pg_ctl = pg_binary("pg_ctl")
    try:
        run([pg_ctl, "-D", str(data), "status"], as_server_user=True)
    except BackupError:
        return
    run([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], as_server_user=True)
