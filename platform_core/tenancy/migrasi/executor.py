"""Bring every village schema to the template's migration state, without Django per village.

The plan is the template's: its django_migrations rows are the target, the `MigrasiUnit`
rows (captured by plan.py) are the SQL that gets a village there. Villages are processed
in batches by a small pool of threads, each batch on its own short-lived connection; each
village in its own transaction:

    SET LOCAL search_path TO "<village>", public
    SELECT app, name FROM "<village>".django_migrations     -- what it has
    <the captured SQL of every unit it lacks>                -- what it needs
    INSERT INTO "<village>".django_migrations ...            -- the rows stock would write
    INSERT/UPDATE public.operasi_migrasidesa ...             -- its state, same transaction

so the state in `public` never disagrees with the schema, a failure rolls back that village
only (and is recorded with its error), and a killed run leaves whole villages or none: the
next run picks up the villages not at the target. Units that are not plain SQL go through
Django's stock migrate for that migration, per village, and are listed in the report.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

import psycopg
from django.core.management import call_command
from django.core.management.commands.migrate import Command as StockMigrate
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from platform_core.tenancy import schemas
from platform_core.tenancy.migrasi.plan import TEMPLATE, Row, rows_of, sidik_sql

log = logging.getLogger("balai.migrasi")

STATE_TABLE = "public.operasi_migrasidesa"
LOCK_KEY = 0x62616C6D  # 'balm': one `balai migrate` at a time
APPLICATION_NAME = "balai-migrate"
LOCK_TIMEOUT = "5s"
LOCK_TIMEOUT_MARK = "lock timeout"


@dataclass(frozen=True)
class Unit:
    app: str
    nama: str
    cara: str
    sql: str
    baris: tuple[Row, ...]
    alasan: str = ""

    @property
    def key(self) -> str:
        return f"{self.app}.{self.nama}"


@dataclass(frozen=True)
class Target:
    sidik: str
    rows: frozenset[Row]


@dataclass
class VillageResult:
    village_id: int
    schema_name: str
    ok: bool
    applied: list[str] = field(default_factory=list)
    error: str = ""
    at_target: bool = False


def load_units() -> list[Unit]:
    from platform_core.operasi.models import MigrasiUnit

    return [
        Unit(
            app=u.app,
            nama=u.nama,
            cara=u.cara,
            sql=u.sql,
            baris=tuple((a, n) for a, n in u.baris),
            alasan=u.alasan,
        )
        for u in MigrasiUnit.objects.order_by("urutan")
    ]


def target() -> Target:
    with connection.cursor() as cur:
        cur.execute(sidik_sql(TEMPLATE))
        row = cur.fetchone()
    assert row is not None
    return Target(sidik=str(row[0]), rows=frozenset(rows_of(TEMPLATE)))


def villages_behind(target_sidik: str, *, only: Sequence[str] | None = None) -> list[tuple[int, str, str]]:
    """(id, schema, kode) of villages whose recorded state is not the target: one query."""
    sql = (
        "SELECT v.id, v.schema_name, v.kode FROM tenancy_village v "
        f"LEFT JOIN {STATE_TABLE} s ON s.village_id = v.id "
        "WHERE (s.village_id IS NULL OR s.sidik <> %s OR s.status <> 'ok' OR s.schema_name <> v.schema_name)"
    )
    params: list[str | list[str]] = [target_sidik]
    if only:
        sql += " AND (v.kode = ANY(%s) OR v.schema_name = ANY(%s))"
        params += [list(only), list(only)]
    with connection.cursor() as cur:
        cur.execute(sql + " ORDER BY v.kode", params)
        return [(int(i), str(s), str(k)) for i, s, k in cur.fetchall()]


def conninfo() -> str:
    db = connection.settings_dict  # the test database during a test session
    return psycopg.conninfo.make_conninfo(
        dbname=str(db["NAME"]),
        user=str(db.get("USER") or "") or None,
        password=str(db.get("PASSWORD") or "") or None,
        host=str(db.get("HOST") or "") or None,
        port=str(db.get("PORT") or "") or None,
        application_name=APPLICATION_NAME,
    )


@contextlib.contextmanager
def province_lock() -> Iterator[None]:
    """One `balai migrate` at a time, held on a connection of its own for the whole run."""
    with psycopg.connect(conninfo(), autocommit=True) as conn:
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY]).fetchone()
        if not row or not row[0]:
            raise RuntimeError("Migrasi lain sedang berjalan (kunci advisory dipegang proses lain).")
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


# --- one village -----------------------------------------------------------------------------

STATE_UPSERT = (
    f"INSERT INTO {STATE_TABLE} (village_id, schema_name, sidik, jumlah, terakhir, status, galat, mulai, selesai) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, now()) "
    "ON CONFLICT (village_id) DO UPDATE SET schema_name = EXCLUDED.schema_name, sidik = EXCLUDED.sidik, "
    "jumlah = EXCLUDED.jumlah, terakhir = CASE WHEN EXCLUDED.terakhir = '' THEN "
    f"{STATE_TABLE.split('.')[1]}.terakhir ELSE EXCLUDED.terakhir END, "
    "status = EXCLUDED.status, galat = EXCLUDED.galat, mulai = EXCLUDED.mulai, selesai = now()"
)
FAIL_UPSERT = (
    f"INSERT INTO {STATE_TABLE} (village_id, schema_name, sidik, jumlah, terakhir, status, galat, mulai, selesai) "
    "VALUES (%s, %s, '', 0, '', 'gagal', %s, %s, now()) "
    "ON CONFLICT (village_id) DO UPDATE SET status = 'gagal', galat = EXCLUDED.galat, mulai = EXCLUDED.mulai, "
    "selesai = now()"
)


def record_state(
    cur: psycopg.Cursor[tuple[object, ...]], village_id: int, schema_name: str, terakhir: str, started: float
) -> str:
    """Upsert the village's state from its own django_migrations (caller's transaction)."""
    row = cur.execute(sidik_sql(schema_name)).fetchone()
    assert row is not None
    cur.execute(STATE_UPSERT, [village_id, schema_name, row[0], row[1], terakhir, "ok", "", _ts(started)])
    return str(row[0])


def apply_village(
    conn: psycopg.Connection[tuple[object, ...]],
    village_id: int,
    schema_name: str,
    units: Sequence[Unit],
    tgt: Target,
) -> VillageResult:
    if not schemas.SCHEMA_RE.match(schema_name):
        return VillageResult(village_id, schema_name, ok=False, error=f"nama skema tidak sah: {schema_name!r}")
    result = VillageResult(village_id, schema_name, ok=True)
    started = time.time()
    try:
        with conn.transaction(), conn.cursor() as cur:
            cur.execute(f'SET LOCAL search_path TO "{schema_name}", public')
            cur.execute(f'SELECT app, name FROM "{schema_name}".django_migrations')
            have: set[Row] = {(str(a), str(n)) for a, n in cur.fetchall()}
            new_rows: list[Row] = []
            for unit in units:
                if unit.cara != "sql" or set(unit.baris) <= have:
                    continue
                if unit.sql:
                    sql = unit.sql
                    if TEMPLATE in sql:
                        sql = schemas.retarget_ddl(sql, TEMPLATE, schema_name)
                    cur.execute(sql.encode())  # captured statements, no parameters
                fresh = [r for r in unit.baris if r not in have]
                new_rows += fresh
                have.update(fresh)
                result.applied.append(unit.key)
            if new_rows:
                cur.executemany(
                    f'INSERT INTO "{schema_name}".django_migrations (app, name, applied) VALUES (%s, %s, now())',
                    new_rows,
                )
            record_state(cur, village_id, schema_name, result.applied[-1] if result.applied else "", started)
            result.at_target = tgt.rows <= have
    except Exception as exc:  # the village's own transaction is rolled back; the others go on
        result.ok = False
        result.error = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        try:
            with conn.cursor() as cur:
                cur.execute(FAIL_UPSERT, [village_id, schema_name, result.error, _ts(started)])
        except psycopg.Error:
            log.exception("status gagal untuk %s tidak tercatat", schema_name)
    return result


def _ts(epoch: float) -> object:
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)


def run_batch(batch: Sequence[tuple[int, str]], units: Sequence[Unit], tgt: Target) -> list[VillageResult]:
    """One short-lived connection per batch: its catalog cache never walks the province."""
    out = []
    with psycopg.connect(conninfo(), autocommit=True) as conn:
        conn.execute("SET statement_timeout = '5min'")
        # Never queue long behind a busy village's requests (a waiting ALTER blocks its readers).
        conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        for village_id, schema_name in batch:
            out.append(apply_village(conn, village_id, schema_name, units, tgt))
    return out


# --- stock fallback ---------------------------------------------------------------------------


def stock_migrate_village(village_id: int, schema_name: str, target_key: Row | None, tgt: Target) -> VillageResult:
    """Django's own migrate in one village schema (per-schema catalog scan: slow, loud)."""
    result = VillageResult(village_id, schema_name, ok=True)
    started = time.time()
    try:
        schemas.set_schema_raw(schema_name)
        MigrationRecorder(connection).ensure_schema()
        schemas.set_schema_raw(schema_name, include_public=True)
        args = list(target_key) if target_key else []
        call_command(StockMigrate(), *args, interactive=False, verbosity=0, skip_checks=True)
        result.applied.append(".".join(target_key) if target_key else "(semua)")
    except Exception as exc:
        result.ok = False
        result.error = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    finally:
        schemas.activate(None)
    with psycopg.connect(conninfo(), autocommit=True) as conn, conn.cursor() as cur:
        if result.ok:
            with conn.transaction():
                cur.execute(f'SELECT app, name FROM "{schema_name}".django_migrations')
                have = {(str(a), str(n)) for a, n in cur.fetchall()}
                record_state(cur, village_id, schema_name, result.applied[-1], started)
            result.at_target = tgt.rows <= have
        else:
            cur.execute(FAIL_UPSERT, [village_id, schema_name, result.error, _ts(started)])
    return result


# --- the province ------------------------------------------------------------------------------


@dataclass
class Report:
    villages: int = 0
    behind_before: int = 0
    applied: int = 0
    at_target: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # schema -> error
    stock: list[str] = field(default_factory=list)  # "app.name: reason"
    stock_villages: int = 0
    seconds: float = 0.0


def segments(units: Sequence[Unit]) -> list[list[Unit]]:
    """Runs of SQL units, each stock unit alone: [[sql, sql], [stok], [sql]]."""
    out: list[list[Unit]] = []
    for unit in units:
        if unit.cara == "stok":
            out.append([unit])
        elif out and out[-1][0].cara == "sql":
            out[-1].append(unit)
        else:
            out.append([unit])
    return out


class _Run:
    def __init__(
        self,
        report: Report,
        tgt: Target,
        *,
        jobs: int,
        batch_size: int,
        progress: Callable[[int], object] | None,
        warn: Callable[[str], object],
    ) -> None:
        self.report, self.tgt, self.jobs, self.batch_size = report, tgt, jobs, batch_size
        self.progress, self.warn = progress, warn
        self.failed: set[int] = set()
        self.counted: set[int] = set()

    def tick(self, results: Sequence[VillageResult]) -> None:
        for r in results:
            if not r.ok:
                self.failed.add(r.village_id)
                self.report.failed[r.schema_name] = r.error
            else:
                self.report.failed.pop(r.schema_name, None)
            if self.progress and r.village_id not in self.counted and (not r.ok or r.at_target):
                self.counted.add(r.village_id)
                self.progress(1)

    def sql_segment(self, live: list[tuple[int, str]], seg: list[Unit]) -> None:
        batches = [live[i : i + self.batch_size] for i in range(0, len(live), self.batch_size)]
        if self.jobs <= 1:
            for b in batches:
                self.tick(run_batch(b, seg, self.tgt))
            return
        with ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="migrasi") as pool:
            futures = [pool.submit(run_batch, b, seg, self.tgt) for b in batches]
            for fut in as_completed(futures):
                self.tick(fut.result())

    def one_pass(self, todo: list[tuple[int, str]], units: Sequence[Unit]) -> None:
        for seg in segments(units):
            live = [(vid, s) for vid, s in todo if vid not in self.failed]
            if seg[0].cara == "stok":
                self.stock_unit(live, seg[0])
            elif live:
                self.sql_segment(live, seg)

    def stock_unit(self, live: list[tuple[int, str]], unit: Unit) -> None:
        lacking = [(vid, schema) for vid, schema in live if _lacks(schema, unit.baris)]
        if not lacking:
            return
        self.report.stock.append(f"{unit.key}: {unit.alasan} ({len(lacking)} desa)")
        self.warn(
            f"PERHATIAN: migrasi {unit.key} lewat jalur stok Django per desa ({unit.alasan}); "
            f"{len(lacking)} desa, ~0,4 s per desa."
        )
        for vid, schema in lacking:
            self.stock_village(vid, schema, (unit.app, unit.nama))

    def stock_village(self, vid: int, schema: str, key: Row | None) -> None:
        self.report.stock_villages += 1
        self.tick([stock_migrate_village(vid, schema, key, self.tgt)])
        if self.report.stock_villages % 25 == 0:
            connection.close()  # short-lived: the stock path caches the catalog of every schema


def migrate_villages(
    *,
    jobs: int = 2,
    batch_size: int = 50,
    only: Sequence[str] | None = None,
    progress: Callable[[int], object] | None = None,
    warn: Callable[[str], object] = log.warning,
) -> Report:
    """Bring every village (or `only` these kode/schema names) to the template's migration state."""
    from platform_core.tenancy.models import Village

    t0 = time.perf_counter()
    report = Report(villages=Village.objects.count())
    tgt = target()
    with connection.cursor() as cur:  # state of villages removed by hand (no FK on purpose)
        cur.execute(f"DELETE FROM {STATE_TABLE} WHERE village_id NOT IN (SELECT id FROM tenancy_village)")
    behind = villages_behind(tgt.sidik, only=only)
    report.behind_before = len(behind)
    if behind:
        run = _Run(report, tgt, jobs=jobs, batch_size=batch_size, progress=progress, warn=warn)
        units = load_units()
        run.one_pass([(vid, schema) for vid, schema, _ in behind], units)
        # A village busy with a long request (its lock not granted within LOCK_TIMEOUT) gets one
        # more try at the end, when the rest is done.
        busy = [(vid, s) for vid, s, _ in behind if LOCK_TIMEOUT_MARK in report.failed.get(s, "")]
        if busy:
            warn(f"{len(busy)} desa sibuk (kunci tabel tidak didapat); dicoba sekali lagi.")
            run.failed -= {vid for vid, _ in busy}
            run.one_pass(busy, units)
        # Villages still short of the target: rows no captured unit covers (a template migrated
        # before this executor existed, or by hand). Django's stock migrate, loudly.
        still = [(vid, s) for vid, s, _ in villages_behind(tgt.sidik, only=only) if vid not in run.failed]
        if still:
            warn(
                f"PERHATIAN: {len(still)} desa tertinggal tanpa SQL tersimpan untuk migrasinya; "
                "memakai migrate stok Django per desa."
            )
            report.stock.append(f"(tanpa SQL tersimpan): {len(still)} desa")
            for vid, schema in still:
                run.stock_village(vid, schema, None)
    report.at_target = report.villages - len(villages_behind(tgt.sidik))
    report.seconds = time.perf_counter() - t0
    return report


def _lacks(schema_name: str, baris: Sequence[Row]) -> bool:
    have = set(rows_of(schema_name))
    return not set(baris) <= have


def record_provisioned(schema_names: Sequence[str]) -> None:
    """State rows for freshly cloned villages (provisioning's transaction, Django connection)."""
    with connection.cursor() as cur:
        for name in schema_names:
            cur.execute(
                f"INSERT INTO {STATE_TABLE} (village_id, schema_name, sidik, jumlah, terakhir, status, galat, "
                "mulai, selesai) "
                f"SELECT v.id, v.schema_name, f.md5, f.count, '', 'ok', '', now(), now() "
                f"FROM tenancy_village v, ({sidik_sql(name)}) AS f(md5, count) WHERE v.schema_name = %s "
                "ON CONFLICT (village_id) DO UPDATE SET schema_name = EXCLUDED.schema_name, sidik = EXCLUDED.sidik, "
                "jumlah = EXCLUDED.jumlah, status = 'ok', galat = '', selesai = now()",
                [name],
            )
