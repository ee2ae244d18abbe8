"""Backups at province scale: one village's export, restore and archive with all 2,651 schemas present.

In one process against a fresh database ``bench_backup``:

1. provision the whole province (``balai provision --provinsi 18``: 2,651 village schemas);
2. fill the bench village (Bumi Jaya, 18.01.17.2011) with 15,000 residents
   (``balai demo-data --village 18.01.17.2011 --residents 15000``);
3. ROUNDS rounds, alternating: ``balai backup desa`` (pg_dump -n of that schema, custom format),
   ``balai backup pulihkan-desa`` (the one-transaction restore, without the safety dump), and
   ``balai backup arsip-desa`` (zip of CSVs + manifest); plus the dump of an empty village (the fixed
   cost of pg_dump's catalog reads with 2,651 schemas present);
4. baseline, the stock way without per-village tooling: ``pg_dump -Fc`` of the whole database, and getting
   one village back out of it (``balai backup pulihkan-desa`` accepts a whole dump: ``pg_restore --schema``).

Ratio: whole-database pg_dump time / one village's pg_dump time (headline: export).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import log, machine, migrate_shared, quiet_gc, setup_django, summary, write_result

NAME = "backup"
REGION = os.environ.get("BALAI_BENCH_REGION", "18")
VILLAGE = "18.01.17.2011"
EMPTY_VILLAGE = "18.71.01.1003"
RESIDENTS = int(os.environ.get("BALAI_BENCH_BACKUP_RESIDENTS", "15000"))
ROUNDS = int(os.environ.get("BALAI_BENCH_ROUNDS", "5"))
BASELINE_ROUNDS = int(os.environ.get("BALAI_BENCH_BASELINE_ROUNDS", "2"))
ANALYZED_ROUNDS = int(os.environ.get("BALAI_BENCH_ANALYZED_ROUNDS", "3"))


def main() -> None:  # noqa: PLR0915  # one linear script
    started = time.time()
    setup_django("bench_backup")
    from django.core.management import call_command

    from platform_core.backup import arsip, desa
    from platform_core.backup.pg import pg_binary, run, target
    from platform_core.tenancy import routing
    from platform_core.tenancy.models import Village
    from platform_core.tenancy.provisioning import provision, village_specs

    mach = machine()
    migrate_shared()
    specs = village_specs([REGION])
    t0 = time.perf_counter()
    provision(specs)
    routing.invalidate()
    n_villages = Village.objects.count()
    log(f"provisioned {len(specs)} villages in {time.perf_counter() - t0:.0f}s")
    t0 = time.perf_counter()
    call_command("demo_data", village=VILLAGE, residents=RESIDENTS, no_progress=True)
    log(f"filled {VILLAGE} with {RESIDENTS:,} residents in {time.perf_counter() - t0:.0f}s")
    village = Village.objects.get(kode=VILLAGE)
    empty = Village.objects.filter(kode=EMPTY_VILLAGE).first() or Village.objects.exclude(pk=village.pk).first()
    assert empty is not None

    work = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    samples: dict[str, list[float]] = {
        "export_s": [],
        "restore_s": [],
        "archive_s": [],
        "export_empty_s": [],
        "export_analyzed_s": [],
        "export_analyzed_stock_pg_dump_s": [],
    }
    dump_mb = archive_mb = 0.0
    for i in range(ROUNDS):
        with quiet_gc():
            d = desa.dump(village, path=work / f"desa-{i}.dump")
        samples["export_s"].append(d.seconds)
        dump_mb = d.size_bytes / 1e6
        with quiet_gc():
            r = desa.restore(village, d.path, safety_dump=False)
        samples["restore_s"].append(r.seconds)
        t0 = time.perf_counter()
        with quiet_gc():
            a = arsip.to_file(village, work / f"arsip-{i}.zip", oleh="bench")
        samples["archive_s"].append(time.perf_counter() - t0)
        archive_mb = a.size_bytes / 1e6
        e = desa.dump(empty, path=work / f"kosong-{i}.dump")
        samples["export_empty_s"].append(e.seconds)
        log(
            f"round {i + 1}/{ROUNDS}: export {d.seconds:.2f}s restore {r.seconds:.2f}s "
            f"archive {samples['archive_s'][-1]:.2f}s empty-village export {e.seconds:.2f}s"
        )
    rows = a.manifest["jumlah_baris"]

    # Catalog statistics taken after provisioning (forced here): stock pg_dump -n beside ours (which runs
    # without merge joins, desa.PG_DUMP_OPTIONS; statistics taken mid-provisioning made stock take 30-50 s).
    from django.db import connection

    with connection.cursor() as cur:
        for table in ("pg_depend", "pg_class", "pg_rewrite", "pg_attribute", "pg_type", "pg_constraint", "pg_index"):
            cur.execute(f"ANALYZE pg_catalog.{table}")
    db = target()
    for i in range(ANALYZED_ROUNDS):
        d = desa.dump(village, path=work / f"analyzed-{i}.dump")
        samples["export_analyzed_s"].append(d.seconds)
        t0 = time.perf_counter()
        run([pg_binary("pg_dump"), *db.args(), "-Fc", "-Z", "6", f"--schema={village.schema_name}",
             "-f", str(work / f"stock-{i}.dump")], env=db.env())  # fmt: skip
        samples["export_analyzed_stock_pg_dump_s"].append(time.perf_counter() - t0)
        log(
            f"analyzed catalogs, round {i + 1}/{ANALYZED_ROUNDS}: export {d.seconds:.2f}s, "
            f"stock pg_dump -n {samples['export_analyzed_stock_pg_dump_s'][-1]:.2f}s"
        )

    # Baseline: the whole database, then one village out of it.
    base: dict[str, list[float]] = {"whole_dump_s": [], "one_from_whole_s": []}
    whole = work / "whole.dump"
    whole_mb = 0.0
    for i in range(BASELINE_ROUNDS):
        t0 = time.perf_counter()
        run([pg_binary("pg_dump"), *db.args(), "-Fc", "-Z", "6", "-f", str(whole)], env=db.env())
        base["whole_dump_s"].append(time.perf_counter() - t0)
        whole_mb = whole.stat().st_size / 1e6
        # One village back out of the whole dump (pg_restore --schema, same one-transaction swap).
        r = desa.restore(village, whole, safety_dump=False)
        base["one_from_whole_s"].append(r.seconds)
        log(f"baseline round {i + 1}: whole pg_dump {base['whole_dump_s'][-1]:.1f}s ({whole_mb:.0f} MB)")

    med = {k: statistics.median(v) for k, v in samples.items()}
    bmed = {k: statistics.median(v) for k, v in base.items()}
    metrics = {
        "villages": n_villages,
        "residents": RESIDENTS,
        "rows": rows,
        "export_s": round(med["export_s"], 2),
        "restore_s": round(med["restore_s"], 2),
        "archive_s": round(med["archive_s"], 2),
        "dump_mb": round(dump_mb, 2),
        "archive_mb": round(archive_mb, 2),
        "export_empty_village_s": round(med["export_empty_s"], 2),
        "export_analyzed_catalog_s": round(med["export_analyzed_s"], 2),
        "export_analyzed_catalog_stock_pg_dump_s": round(med["export_analyzed_stock_pg_dump_s"], 2),
        "nightly_all_villages_estimate_s": round(med["export_empty_s"] * (n_villages - 1) + med["export_s"], 0),
        **summary(samples["export_s"], "export", "s", 2),
        **summary(samples["restore_s"], "restore", "s", 2),
        **summary(samples["archive_s"], "archive", "s", 2),
    }
    baseline = {
        "export_s": round(bmed["whole_dump_s"], 2),
        "whole_dump_s": round(bmed["whole_dump_s"], 2),
        "whole_dump_mb": round(whole_mb, 1),
        "restore_s": round(bmed["one_from_whole_s"], 2),
        "one_village_from_whole_dump_s": round(bmed["one_from_whole_s"], 2),
    }
    ratio = bmed["whole_dump_s"] / med["export_s"]
    notes = [
        "pg_dump's fixed cost depends on the catalog statistics. In an earlier run of this benchmark, "
        "autovacuum had analyzed pg_depend part-way through provisioning; stock pg_dump 15 then planned its "
        "matview-dependency query (a recursive join over ~800k pg_depend rows, run even with no materialized "
        "view) as a merge join under a nested loop: 29-55 s per one-village dump (5 rounds, 42.8 s median for"
        " an empty village), the query alone ~40 s. In that database, checked by hand: the query 15 ms with "
        "enable_mergejoin=off, pg_dump -n 4.8 s. Ours therefore runs pg_dump with PGOPTIONS=-c "
        "enable_mergejoin=off. With statistics taken after provisioning (this run: "
        "export_analyzed_catalog_*), stock and ours are the same (~2.5 s). The whole-database baseline runs "
        "stock pg_dump.",
        f"{n_villages} village schemas present; the bench village has {RESIDENTS:,} demo residents "
        f"({rows:,} rows over all its tables), every other village is empty (schemas only).",
        "export = `balai backup desa` (pg_dump -Fc -Z6 -n <schema>); restore = `balai backup pulihkan-desa "
        "--tanpa-cadangan-awal` (pg_restore to SQL, then rename aside + recreate + drop in one psql transaction, "
        "then the village's facts recomputed); archive = `balai backup arsip-desa` (zip of CSV per table + "
        "manifest, one REPEATABLE READ snapshot). The default restore also dumps the current state first "
        "(+ one export time).",
        "baseline = pg_dump -Fc of the whole database (what a team without per-village tooling runs; it fails "
        "outright with the default max_locks_per_transaction=64), and getting one village back out of it with "
        "`balai backup pulihkan-desa --berkas <whole dump>` "
        "(pg_restore --schema out of it, same swap). With 9.1 M residents loaded the whole dump grows with the data "
        "(~7 GB of tables) while the per-village export stays at one village's size.",
        "export_empty_village_s is pg_dump's fixed cost with 2,651 schemas present (it reads the whole catalog "
        "even for one schema); nightly_all_villages_estimate_s = that x every village: why the nightly task "
        "dumps only villages that changed (StatusDesa.terakhir_aktif) and the rest weekly.",
    ]
    write_result(
        NAME,
        machine_info=mach,
        params={
            "region": REGION,
            "villages": n_villages,
            "village": VILLAGE,
            "residents": RESIDENTS,
            "rounds": ROUNDS,
            "baseline_rounds": BASELINE_ROUNDS,
        },
        metrics=metrics,
        baseline=baseline,
        headline="export_s",
        ratio=ratio,
        samples={
            **{k: [round(x, 3) for x in v] for k, v in samples.items()},
            **{k: [round(x, 3) for x in v] for k, v in base.items()},
        },
        table={
            "headline": f"one village ({RESIDENTS:,} residents): export / restore / archive, "
            f"{n_villages} villages present",
            "ours": f"export {metrics['export_s']} s ({metrics['dump_mb']} MB), restore {metrics['restore_s']} s, "
            f"archive {metrics['archive_s']} s ({metrics['archive_mb']} MB)",
            "baseline": f"whole-database pg_dump {baseline['whole_dump_s']} s ({baseline['whole_dump_mb']} MB); "
            f"one village out of it {baseline['one_village_from_whole_dump_s']} s",
            "target": "works with 2,651 schemas present (report)",
        },
        notes=notes,
        started=started,
    )
    for p in work.iterdir():
        p.unlink()
    work.rmdir()
