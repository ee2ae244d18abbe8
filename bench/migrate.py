"""`balai migrate` over the whole province vs django-tenants' stock `migrate_schemas`.

One process against the database ``bench_migrate`` (recreated): ``balai migrate`` on the empty
database, then ``balai provision --provinsi 18`` (2,651 village schemas, no residents). Then:

1. noop: ``balai migrate --no-progress`` as a subprocess, NOOP_RUNS times (wall time, Django start
   included: what an operator waits for). Nothing to apply.
2. apply: a real migration, the issue's yardstick: add a column with a default and an index to the
   resident table (``penduduk.Penduduk``: CharField(default, db_default, db_index) -> ALTER TABLE ADD
   COLUMN ... DEFAULT ... NOT NULL + two CREATE INDEX). It lives in a temporary migration package
   (a copy of tenants/penduduk/migrations plus the new file, under var/bench, never in the app),
   seen through MIGRATION_MODULES (platform_core.tenancy.migrasi.rehearsal_settings). ``balai migrate``
   as a subprocess: public, the template, then all 2,651 villages. apply_s = its wall time.
3. stock: the same migration by ``migrate_schemas --tenant --schema=<village>`` (django-tenants'
   standard executor, in process, Django start not counted) on STOCK_SAMPLE villages spread over the
   province, each first put back to the pre-migration state (column dropped, its django_migrations row
   deleted) -- inside the full province, since the stock cost grows with the relations in the
   database. stock_per_village_s = the median; stock_extrapolated_s = that x 2,651 (an extrapolation
   from a sample: stock over all 2,651 would take ~20 min and is not run). The same for a stock noop.
4. noop again after the apply.

ratio = stock_extrapolated_s / apply_s. The villages hold no residents (provisioned only): ADD COLUMN
with a constant default is catalog-only in PostgreSQL >= 11, and the indexes are built over empty
tables; with ~3,400 residents per village the index builds add a little per village.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import BENCH_DIR, SEED, VILLAGES_LAMPUNG, log, machine, scalar, setup_django, write_result

NAME = "migrate"
DB_NAME = "bench_migrate"
REGION = os.environ.get("BALAI_BENCH_REGION", "18")
NOOP_RUNS = 3
STOCK_SAMPLE = int(os.environ.get("BALAI_BENCH_STOCK_SAMPLE", "12"))
COLUMN = "bench_kolom"
MIGRATION = "0900_bench_kolom"
PACKAGE = "bench_rehearsal_penduduk"
TARGET_NOOP_S = 10.0
TARGET_APPLY_S = 60.0
BALAI = str(Path(sys.executable).with_name("balai"))


def run_balai(args: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    t0 = time.perf_counter()
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run([BALAI, *args], check=False, env=full_env, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        log(proc.stdout[-3000:])
        log(proc.stderr[-3000:])
        raise SystemExit(f"balai {' '.join(args)} failed ({proc.returncode})")
    return took, proc.stdout + proc.stderr


def columns_present() -> int:
    return int(
        scalar(
            "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            r"WHERE c.relname = 'penduduk_penduduk' AND a.attname = %s AND n.nspname LIKE 'v\_%%' "
            "AND NOT a.attisdropped",
            [COLUMN],
        )
    )


def rows_present() -> int:
    """Villages whose recorded state (same transaction as their DDL) equals the template's."""
    from platform_core.tenancy.migrasi import executor

    return int(
        scalar(
            f"SELECT count(*) FROM {executor.STATE_TABLE} WHERE sidik = %s AND status = 'ok'",
            [executor.target().sidik],
        )
    )


def undo_in(schema: str) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f'ALTER TABLE "{schema}".penduduk_penduduk DROP COLUMN {COLUMN}')
        cur.execute(f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s', ["penduduk", MIGRATION])


def stock_one(schema: str) -> float:
    from django.core.management import call_command
    from django.db import connection

    connection.close()  # each stock run starts like a fresh process would
    t0 = time.perf_counter()
    call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=0)
    took = time.perf_counter() - t0
    connection.close()
    return took


def main() -> None:  # noqa: PLR0915  # one linear script
    started = time.time()
    setup_django(DB_NAME)
    from django.db import connection
    from django.test.utils import override_settings

    from platform_core.tenancy.migrasi import rehearsal

    var = Path(os.environ.get("BALAI_VAR", BENCH_DIR.parent / "var" / "bench")).resolve()
    first_s, _ = run_balai(["migrate", "--no-progress"])
    log(f"balai migrate on an empty database: {first_s:.1f}s")
    provision_s, out = run_balai(["provision", "--provinsi", REGION, "--no-progress"])
    villages = int(scalar("SELECT count(*) FROM tenancy_village"))
    log(f"provisioned {villages} villages in {provision_s:.1f}s")
    mach = machine()

    # 1. noop
    noop = []
    noop_command = []  # the command's own time, printed in its last line: "... (1.3 s)."
    for _ in range(NOOP_RUNS):
        took, out = run_balai(["migrate", "--no-progress"])
        noop.append(took)
        found = re.search(r"\(([0-9.]+) s\)", out.strip().splitlines()[-1])
        if found:
            noop_command.append(float(found.group(1)))
        log(f"noop balai migrate: {took:.2f}s ({out.strip().splitlines()[-1]})")

    # 2. apply, through the rehearsal package
    rehearsal_dir = var / "rehearsal"
    rehearsal_dir.mkdir(parents=True, exist_ok=True)
    previous = rehearsal.latest("penduduk")
    rehearsal.write_package(
        rehearsal_dir, "penduduk", PACKAGE, {MIGRATION: rehearsal.ADD_COLUMN.format(previous=previous, column=COLUMN)}
    )
    env = {
        "PYTHONPATH": str(rehearsal_dir) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "DJANGO_SETTINGS_MODULE": "platform_core.tenancy.migrasi.rehearsal_settings",
        "BALAI_REHEARSAL_MIGRATIONS": f"penduduk={PACKAGE}",
    }
    apply_s, out = run_balai(["migrate", "--no-progress"], env)
    log(f"apply balai migrate: {apply_s:.2f}s\n{out.strip()}")
    connection.close()
    cols = columns_present()
    at_target = rows_present()
    log(f"column present in {cols} village schemas; {at_target} villages at the template's migration state")
    noop_after, _ = run_balai(["migrate", "--no-progress"], env)

    # 3. stock, on a sample spread over the province (each put back to the pre-migration state first)
    sys.path.insert(0, str(rehearsal_dir))
    with connection.cursor() as cur:
        cur.execute("SELECT schema_name FROM tenancy_village ORDER BY kode")
        names = [str(r[0]) for r in cur.fetchall()]
    step = max(1, len(names) // STOCK_SAMPLE)
    sample = names[step // 2 :: step][:STOCK_SAMPLE]
    stock_apply: list[float] = []
    stock_noop: list[float] = []
    with override_settings(MIGRATION_MODULES={"penduduk": PACKAGE}):
        for schema in sample:
            undo_in(schema)
            took = stock_one(schema)
            stock_apply.append(took)
            stock_noop.append(stock_one(schema))
            log(f"stock migrate_schemas --schema={schema}: apply {took:.2f}s, noop {stock_noop[-1]:.2f}s")
    sys.path.remove(str(rehearsal_dir))
    shutil.rmtree(rehearsal_dir, ignore_errors=True)

    stock_per = statistics.median(stock_apply)
    stock_noop_per = statistics.median(stock_noop)
    noop_s = statistics.median(noop)
    metrics: dict[str, Any] = {
        "villages": villages,
        "noop_s": round(noop_s, 2),
        "noop_max_s": round(max(noop), 2),
        "noop_command_s": round(statistics.median(noop_command), 2) if noop_command else None,
        "noop_after_apply_s": round(noop_after, 2),
        "apply_s": round(apply_s, 2),
        "apply_per_village_ms": round(apply_s / villages * 1000, 2),
        "villages_with_column": cols,
        "villages_at_target": at_target,
        "provision_s": round(provision_s, 1),
    }
    baseline: dict[str, Any] = {
        "stock_per_village_s": round(stock_per, 3),
        "stock_extrapolated_s": round(stock_per * villages, 1),
        "stock_noop_per_village_s": round(stock_noop_per, 3),
        "stock_noop_extrapolated_s": round(stock_noop_per * villages, 1),
        "apply_s": round(stock_per * villages, 1),
        "noop_s": round(stock_noop_per * villages, 1),
    }
    metrics["stock_per_village_s"] = baseline["stock_per_village_s"]
    metrics["stock_extrapolated_s"] = baseline["stock_extrapolated_s"]
    ratio = stock_per * villages / apply_s
    metrics["ratio"] = round(ratio, 1)
    write_result(
        NAME,
        machine_info=mach,
        params={
            "region": REGION,
            "villages": villages,
            "expected_villages": VILLAGES_LAMPUNG,
            "seed": SEED,
            "migration": f"penduduk.{MIGRATION}: AddField CharField(max_length=16, default, db_default, db_index)",
            "jobs": 2,
            "batch_size": 50,
            "noop_runs": NOOP_RUNS,
            "stock_sample": sample,
            "residents": 0,
        },
        metrics=metrics,
        baseline=baseline,
        headline="apply_s",
        ratio=ratio,
        samples={
            "noop_s": noop,
            "noop_command_s": noop_command,
            "stock_apply_s": stock_apply,
            "stock_noop_s": stock_noop,
        },
        table={
            "headline": f"one real migration over {villages} village schemas (noop in brackets)",
            "ours": f"{apply_s:.1f} s ({noop_s:.1f} s)",
            "baseline": f"stock migrate_schemas ~{stock_per * villages / 60:.0f} min "
            f"({stock_noop_per * villages / 60:.0f} min), extrapolated from {len(sample)} villages",
            "target": f"<= {TARGET_APPLY_S:.0f} s ({TARGET_NOOP_S:.0f} s)",
        },
        notes=[
            "noop_s and apply_s are wall times of `balai migrate` subprocesses (Python and Django start "
            "included); noop_command_s is the command's own time (public + template + villages) it prints.",
            f"Stock migrate_schemas was timed on {len(sample)} villages inside the full province (each put back "
            "to the pre-migration state first) and EXTRAPOLATED x villages; it was not run over all villages.",
            "Villages are provisioned without residents: the index builds run over empty tables.",
            f"first balai migrate on an empty database: {first_s:.1f} s",
        ],
        started=started,
    )


if __name__ == "__main__":
    main()
