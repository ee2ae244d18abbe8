"""Physical backup + point-in-time restore of the whole cluster, exercised against the embedded server.

A base backup is taken, rows are written, the time is noted, more rows are written; the cluster is
restored to the noted time into a new data directory on another port: the first rows are there, the
later ones are not. The archive directory is this test's own (removed after: archiving stops again).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from platform_core.backup import cluster
from platform_core.backup.pg import backup_root, pg_binary
from platform_core.runtime.servers import wal_archive_dir
from tests.conftest import Villages
from tests.workers.test_tenant_tasks import committed

pytestmark = pytest.mark.django_db

TABLE = "public.balai_uji_pitr"


def _has_basebackup() -> bool:
    try:
        pg_binary("pg_basebackup")
        pg_binary("pg_verifybackup")
    except Exception:
        return False
    return True


@pytest.fixture
def archiving(villages: Villages, db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    if not _has_basebackup():
        pytest.skip("pg_basebackup/pg_verifybackup are not shipped with this PostgreSQL (pgserver wheel)")
    # The server archives into var/.../backup/wal (its archive_command, written at start) only while
    # that directory exists; the test's base backups and restored cluster go into its own directory.
    archive = wal_archive_dir()
    existed = archive.exists()
    root = backup_root() / "uji-pitr"
    monkeypatch.setenv("BALAI_BACKUP_DIR", str(root))
    committed(lambda: connection.cursor().execute(f"DROP TABLE IF EXISTS {TABLE}"))
    yield archive
    committed(lambda: connection.cursor().execute(f"DROP TABLE IF EXISTS {TABLE}"))
    shutil.rmtree(root, ignore_errors=True)
    if not existed:
        shutil.rmtree(archive, ignore_errors=True)


def _write(*labels: str) -> None:
    def run() -> None:
        with connection.cursor() as cur:
            for label in labels:
                cur.execute(f"INSERT INTO {TABLE} (label) VALUES (%s)", [label])

    committed(run)


def _server_now() -> Any:
    def run() -> Any:
        with connection.cursor() as cur:
            cur.execute("SELECT clock_timestamp()")
            row = cur.fetchone()
            assert row is not None
            return row[0]

    return committed(run)


def _wait_archived(archive: Path, timeout: float = 60) -> None:
    """Switch to a new WAL segment and wait until the finished one is in the archive."""

    def switch() -> str:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_walfile_name(pg_switch_wal())")
            row = cur.fetchone()
            assert row is not None
            return str(row[0])

    segment = committed(switch)
    deadline = time.monotonic() + timeout
    while not (archive / segment).exists():
        assert time.monotonic() < deadline, f"WAL segment {segment} was not archived into {archive}"
        time.sleep(0.2)


def test_point_in_time_restore_of_the_whole_cluster(archiving: Path) -> None:
    # given a table with rows from before the base backup
    committed(lambda: connection.cursor().execute(f"CREATE TABLE {TABLE} (id serial PRIMARY KEY, label text)"))
    _write("sebelum-basis")
    # when a base backup is taken (the server starts archiving into its directory)
    basis = committed(cluster.basis)
    assert (basis.path / "PG_VERSION").is_file() and (basis.path / "backup_manifest").is_file()
    assert archiving.is_dir()
    # and rows are written, the time is noted, and more rows are written
    _write("sesudah-basis-1", "sesudah-basis-2")
    time.sleep(1.1)
    noted = _server_now()
    time.sleep(1.1)
    _write("terlambat-1")
    committed(lambda: connection.cursor().execute(f"DELETE FROM {TABLE} WHERE label = 'sebelum-basis'"))
    _wait_archived(archiving)

    # then the cluster restored to the noted time, on another port, has the first rows and not the later ones
    restored = committed(lambda: cluster.pulihkan(noted))
    try:
        assert restored.port != connection.settings_dict["PORT"]
        assert restored.data.is_dir() and restored.basis == basis.path
        with psycopg.connect(restored.dsn) as conn:
            labels = {r[0] for r in conn.execute(f"SELECT label FROM {TABLE}").fetchall()}
            recovering = conn.execute("SELECT pg_is_in_recovery()").fetchone()
        assert labels == {"sebelum-basis", "sesudah-basis-1", "sesudah-basis-2"}
        assert recovering == (False,)  # promoted: a usable server
        assert restored.villages >= 2 and restored.schemas >= 2  # the province's registry and schemas came back
    finally:
        cluster.stop(restored.data)
    # and the running server was never touched
    live_labels = committed(_labels_live)
    assert live_labels == {"sesudah-basis-1", "sesudah-basis-2", "terlambat-1"}


def _labels_live() -> set[str]:
    with connection.cursor() as cur:
        cur.execute(f"SELECT label FROM {TABLE}")
        return {r[0] for r in cur.fetchall()}


def test_restore_before_any_base_backup_is_refused(archiving: Path) -> None:
    import datetime as dt

    from platform_core.backup.pg import BackupError

    with pytest.raises(BackupError, match="Tidak ada backup basis"):
        cluster.pulihkan(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
