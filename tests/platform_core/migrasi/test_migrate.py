"""`balai migrate` over village schemas: resume after SIGKILL, a broken village, noop, stock fallback.

Everything here is committed (subprocesses and the executor's own connections must see it): the
migrations run on a fresh connection in another thread, the test reads what they committed. On
the session's villages A and B plus the 13 other villages of kecamatan Candipuro. The rehearsal
migrations live in a temporary package seen through MIGRATION_MODULES, never in tenants/penduduk;
the `province` fixture undoes them everywhere (template, villages, public, state) afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from platform_core.operasi.models import MigrasiDesa, MigrasiUnit
from platform_core.tenancy import routing
from platform_core.tenancy.migrasi import executor, rehearsal
from platform_core.tenancy.migrasi.plan import TEMPLATE, rows_of
from platform_core.tenancy.migrasi.province import ProvinceReport, migrate_province
from platform_core.tenancy.models import Village
from platform_core.tenancy.provisioning import Template, provision, village_specs
from tests.conftest import Villages
from tests.platform_core.tenancy.test_provisioning import (
    KECAMATAN,
    conninfo,
    database_url,
    remove_kecamatan_extras,
)
from tests.workers.test_tenant_tasks import committed as in_thread

BALAI = Path(sys.executable).with_name("balai")
PACKAGE = "uji_rehearsal_penduduk"
COLUMNS = ("uji_kolom", "uji_dua")


@dataclass
class Province:
    folder: Path  # on sys.path: holds PACKAGE
    previous: str  # the app's real latest migration
    extra: list[str] = field(default_factory=list)  # kode of villages a test provisioned: removed afterwards

    def write(self, **extra: str) -> None:
        rehearsal.write_package(self.folder, "penduduk", PACKAGE, extra)
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]

    def add_column(self) -> None:
        self.write(**{"0900_uji_kolom": rehearsal.ADD_COLUMN.format(previous=self.previous, column="uji_kolom")})

    def settings(self) -> AbstractContextManager[None]:
        return override_settings(MIGRATION_MODULES={"penduduk": PACKAGE})

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": database_url(),
            "PYTHONPATH": str(self.folder) + os.pathsep + os.environ.get("PYTHONPATH", ""),
            "DJANGO_SETTINGS_MODULE": "platform_core.tenancy.migrasi.rehearsal_settings",
            "BALAI_REHEARSAL_MIGRATIONS": f"penduduk={PACKAGE}",
            "BALAI_PROCESS": "balai-migrate-test",
        }


def village_schemas() -> list[str]:
    return list(Village.objects.order_by("kode").values_list("schema_name", flat=True))


def has_column(schema: str, column: str) -> bool:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relname = 'penduduk_penduduk' AND a.attname = %s AND NOT a.attisdropped",
            [schema, column],
        )
        return cur.fetchone() is not None


def undo_rehearsal() -> None:
    """Template, villages and public back to the repo's migrations; the migration state emptied."""
    with psycopg.connect(conninfo(), autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SELECT schema_name FROM tenancy_village")
        for (schema,) in [(TEMPLATE,), *cur.fetchall()]:
            cur.execute("SELECT to_regclass(%s)", [f'"{schema}".penduduk_penduduk'])
            row = cur.fetchone()
            if row and row[0]:
                for column in COLUMNS:
                    cur.execute(f'ALTER TABLE "{schema}".penduduk_penduduk DROP COLUMN IF EXISTS {column}')
            cur.execute(f"DELETE FROM \"{schema}\".django_migrations WHERE app = 'penduduk' AND name LIKE '09%%'")
        cur.execute("DELETE FROM public.django_migrations WHERE app = 'penduduk' AND name LIKE '09%%'")
        cur.execute("DELETE FROM operasi_migrasiunit")
        cur.execute("DELETE FROM operasi_migrasidesa")
    Template.invalidate()


@pytest.fixture
def province(villages: Villages, django_db_blocker: Any, tmp_path: Path) -> Iterator[Province]:
    """Kecamatan Candipuro provisioned (15 villages with B), committed; everything undone afterwards."""
    with django_db_blocker.unblock():
        remove_kecamatan_extras()
        in_thread(lambda: provision(village_specs([KECAMATAN])))
        routing.invalidate()
        sys.path.insert(0, str(tmp_path))
        try:
            p = Province(folder=tmp_path, previous=rehearsal.latest("penduduk"))
            p.write()  # the app's own migrations only, until a test adds one
            yield p
        finally:
            sys.path.remove(str(tmp_path))
            # After the test's own transaction is gone (it holds share locks on what it read).
            remove_villages(p.extra)
            undo_rehearsal()
            remove_kecamatan_extras()


def remove_villages(kodes: list[str]) -> None:
    with psycopg.connect(conninfo(), autocommit=True) as conn:
        for kode in kodes:
            ids = "SELECT id FROM tenancy_village WHERE kode = %s"
            conn.execute(f"DELETE FROM tenancy_domain WHERE tenant_id IN ({ids})", [kode])
            conn.execute("DELETE FROM tenancy_village WHERE kode = %s", [kode])
            conn.execute(f'DROP SCHEMA IF EXISTS "v_{kode.replace(".", "")}" CASCADE')


def run(p: Province) -> ProvinceReport:
    """`balai migrate` in process, on its own connection (autocommit), with the rehearsal migrations."""
    said: list[str] = []
    with p.settings():
        report: ProvinceReport = in_thread(
            lambda: migrate_province(verbosity=0, jobs=2, batch_size=4, say=said.append, warn=said.append)
        )
    return report


def raw(sql: str) -> None:
    with psycopg.connect(conninfo(), autocommit=True) as conn:
        conn.execute(sql.encode())


def assert_all_at_target(column: str) -> None:
    target = executor.target()
    assert ("penduduk", "0900_uji_kolom") in target.rows
    for schema in village_schemas():
        assert has_column(schema, column), schema
        assert set(rows_of(schema)) == set(target.rows), schema  # django_migrations as stock leaves it
    states = list(MigrasiDesa.objects.values_list("schema_name", "status", "sidik"))
    assert sorted(s for s, _, _ in states) == sorted(village_schemas())
    assert {(status, sidik) for _, status, sidik in states} == {("ok", target.sidik)}


# --- provisioning and the state table -------------------------------------------------------------------


def test_provisioned_villages_are_recorded_at_the_template_state(province: Province, db: None) -> None:
    target = executor.target()
    kecamatan = Village.objects.filter(kode__startswith=KECAMATAN + ".").exclude(kode="18.01.17.2011")
    recorded = MigrasiDesa.objects.filter(village__in=kecamatan)
    assert recorded.count() == kecamatan.count() == 13
    assert set(recorded.values_list("sidik", flat=True)) == {target.sidik}


# --- resume after a kill ------------------------------------------------------------------------------------


def test_migrate_resumes_after_sigkill(province: Province, db: None) -> None:
    """SIGKILL `balai migrate` while it waits inside the 6th village's transaction; rerun; all at target.

    A second connection holds a lock on the 6th village's resident table, so the subprocess (one
    connection, one village per batch) commits five villages and then waits there, mid-transaction.
    """
    province.add_column()
    schemas = village_schemas()
    blocked = schemas[5]
    with psycopg.connect(conninfo()) as blocker:
        blocker.execute(f'LOCK TABLE "{blocked}".penduduk_penduduk IN ACCESS EXCLUSIVE MODE')
        proc = subprocess.Popen(
            [str(BALAI), "migrate", "--jobs", "1", "--batch", "1", "--no-progress"],
            env=province.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            with psycopg.connect(conninfo(), autocommit=True) as watcher:
                deadline = time.monotonic() + 90
                while True:
                    row = watcher.execute(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE application_name = %s AND wait_event_type = 'Lock'",
                        [executor.APPLICATION_NAME],
                    ).fetchone()
                    if row and row[0]:
                        break
                    assert proc.poll() is None, proc.communicate()
                    assert time.monotonic() < deadline, "migrate never reached the blocked village"
                    time.sleep(0.05)
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=10)
                assert proc.returncode == -signal.SIGKILL
                # The dead client's backends: gone as a server restart would make them.
                watcher.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name IN (%s, %s)",
                    [executor.APPLICATION_NAME, "balai-migrate-test"],
                )
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        blocker.rollback()

    # Half-way: the template and five villages migrated, whole; the 6th rolled back; the rest untouched.
    assert has_column(TEMPLATE, "uji_kolom")
    done = [s for s in schemas if has_column(s, "uji_kolom")]
    assert done == schemas[:5]
    for schema in schemas:
        migrated = ("penduduk", "0900_uji_kolom") in set(rows_of(schema))
        assert migrated == (schema in done), schema
    target = executor.target()
    at_target = set(MigrasiDesa.objects.filter(sidik=target.sidik).values_list("schema_name", flat=True))
    assert at_target == set(done)  # the state in public agrees with the schemas
    assert [s for _, s, _ in executor.villages_behind(target.sidik)] == schemas[5:]

    rerun = subprocess.run(
        [str(BALAI), "migrate", "--no-progress"],
        check=False,
        env=province.env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"Desa: {len(schemas) - 5} diproses, {len(schemas) - 5} berhasil, 0 gagal" in rerun.stdout
    assert_all_at_target("uji_kolom")


# --- a broken village, the stock fallback ----------------------------------------------------------------


def test_broken_village_is_reported_and_the_rest_complete(province: Province, db: None) -> None:
    province.write(
        **{
            "0900_uji_kolom": rehearsal.ADD_COLUMN.format(previous=province.previous, column="uji_kolom"),
            "0901_uji_python": rehearsal.RUN_PYTHON.format(previous="0900_uji_kolom", column="uji_kolom"),
            "0902_uji_dua": rehearsal.ADD_COLUMN.format(previous="0901_uji_python", column="uji_dua"),
        }
    )
    schemas = village_schemas()
    broken = schemas[3]
    raw(f'ALTER TABLE "{broken}".penduduk_penduduk RENAME TO penduduk_rusak')
    try:
        report = run(province)
    finally:
        raw(f'ALTER TABLE "{broken}".penduduk_rusak RENAME TO penduduk_penduduk')
    v = report.villages
    assert list(v.failed) == [broken]
    assert 'relation "penduduk_penduduk" does not exist' in v.failed[broken]
    state = MigrasiDesa.objects.get(schema_name=broken)
    assert state.status == "gagal" and "does not exist" in state.galat
    assert v.at_target == len(schemas) - 1
    # The RunPython migration went the stock way, and says so.
    assert MigrasiUnit.objects.get(nama="0901_uji_python").cara == "stok"
    assert MigrasiUnit.objects.get(nama="0902_uji_dua").cara == "sql"
    assert any(item.startswith("penduduk.0901_uji_python: operasi RunPython") for item in v.stock), v.stock
    for schema in schemas:
        if schema != broken:
            assert has_column(schema, "uji_kolom") and has_column(schema, "uji_dua"), schema
    assert not has_column(broken, "uji_kolom")  # its transaction rolled back whole

    # Repaired: the rerun takes only that village, through SQL, the stock step and SQL again.
    again = run(province)
    assert again.villages.behind_before == 1
    assert again.villages.failed == {}
    assert again.villages.at_target == len(schemas)
    assert_all_at_target("uji_dua")


# --- nothing to apply -----------------------------------------------------------------------------------------


def test_noop_is_fast_and_touches_nothing(province: Province, db: None) -> None:
    run(province)  # every village gets its state row
    before_state = list(MigrasiDesa.objects.order_by("pk").values_list("pk", "sidik", "selesai"))
    before_rows = {s: rows_of(s) for s in village_schemas()}
    said: list[str] = []

    def counted() -> tuple[ProvinceReport, int]:
        with province.settings(), CaptureQueriesContext(connection) as queries:
            report = migrate_province(verbosity=0, say=said.append, warn=said.append)
        return report, len(queries)

    t0 = time.perf_counter()
    report, n_queries = in_thread(counted)
    took = time.perf_counter() - t0
    assert report.villages.behind_before == 0
    assert report.shared_applied == [] and report.template_applied == []
    assert took < 5, took
    # A handful of queries whatever the number of villages: none per village.
    assert n_queries < 30, n_queries
    assert list(MigrasiDesa.objects.order_by("pk").values_list("pk", "sidik", "selesai")) == before_state
    assert {s: rows_of(s) for s in village_schemas()} == before_rows


def test_a_village_provisioned_after_a_migration_is_at_the_target(province: Province, db: None) -> None:
    province.add_column()
    run(province)
    extra = village_specs(["18.01.16"])[:1]  # a village of another kecamatan
    province.extra.append(extra[0].kode)
    with province.settings():
        assert in_thread(lambda: provision(extra)) == 1
    schema = extra[0].schema_name
    assert has_column(schema, "uji_kolom")
    assert set(rows_of(schema)) == set(executor.target().rows)
    state = MigrasiDesa.objects.get(schema_name=schema)
    assert (state.status, state.sidik) == ("ok", executor.target().sidik)
    assert executor.villages_behind(executor.target().sidik) == []


def test_a_busy_village_is_tried_again_at_the_end(province: Province, db: None) -> None:
    """A village whose table stays locked past the lock timeout fails, then succeeds on the retry."""
    import threading

    province.add_column()
    busy = village_schemas()[2]
    with psycopg.connect(conninfo()) as holder:
        holder.execute(f'LOCK TABLE "{busy}".penduduk_penduduk IN ACCESS SHARE MODE')  # a long read

        def release_after_first_failure() -> None:
            with psycopg.connect(conninfo(), autocommit=True) as watcher:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    row = watcher.execute(
                        "SELECT galat FROM operasi_migrasidesa WHERE schema_name = %s AND status = 'gagal'", [busy]
                    ).fetchone()
                    if row:
                        break
                    time.sleep(0.05)
            holder.rollback()

        releaser = threading.Thread(target=release_after_first_failure)
        releaser.start()
        report = run(province)
        releaser.join()
    assert report.villages.failed == {}
    assert_all_at_target("uji_kolom")
