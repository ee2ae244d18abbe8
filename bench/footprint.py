"""Footprint: what an empty province costs PostgreSQL before a single resident exists.

Fresh database ``bench_footprint``: shared apps migrated, regions loaded and the
template schema made (the "before" state), then all villages of the region
provisioned (the "after" state). Reported for both and per village
((after - before) / villages): database size, rows of the catalogs that grow
with every table (pg_class, pg_attribute, pg_depend, pg_type, ...), and files
under the database's directory in the cluster (``$BALAI_VAR/pg/data/base/<oid>``).

There is no stock alternative to measure: django-tenants' migrate-per-tenant
creates the very same tables. The baseline is context from
docs/performance.md: the measured footprint of a realistic 40-table village
schema at 2,651 villages.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from bench.common import data_dir, log, machine, migrate_shared, scalar, setup_django, write_result

NAME = "footprint"
REGION = os.environ.get("BALAI_BENCH_REGION", "18")
CATALOGS = ["pg_class", "pg_attribute", "pg_depend", "pg_type", "pg_index", "pg_constraint"]

# docs/performance.md, "What we know about the ground": 40-table village schema, 2,651 villages.
CONTEXT_40_TABLES = {"villages": 2651, "pg_class_rows": 687_000, "database_size_mb": 5.9 * 1024, "files": 687_000}


def files_under(path: Path) -> dict[str, int]:
    count = size = blocks = 0
    for root, _dirs, names in os.walk(path):
        for name in names:
            st = os.lstat(os.path.join(root, name))
            count += 1
            size += st.st_size
            blocks += st.st_blocks * 512
    return {"files": count, "file_bytes": size, "disk_bytes": blocks}


def measure() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("CHECKPOINT")
    oid = scalar("SELECT oid FROM pg_database WHERE datname = current_database()")
    state: dict[str, Any] = {
        "database_size_bytes": int(scalar("SELECT pg_database_size(current_database())")),
        "catalog_size_bytes": int(
            scalar(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pg_catalog'"
            )
        ),
        "schemas": int(scalar("SELECT count(*) FROM pg_namespace")),
    }
    for cat in CATALOGS:
        state[f"{cat}_rows"] = int(scalar(f"SELECT count(*) FROM pg_catalog.{cat}"))
    state.update(files_under(data_dir() / "base" / str(oid)))
    return state


def main() -> None:
    started = time.time()
    setup_django("bench_footprint")
    from django.conf import settings
    from django.db import connection

    from platform_core.tenancy.provisioning import ensure_template, provision, village_specs
    from platform_core.wilayah.reference import ensure_wilayah

    mach = machine()
    migrate_shared()
    specs = village_specs([REGION])
    n = len(specs)
    ensure_wilayah(REGION[:2])
    ensure_template()
    before = measure()
    log(f"before: {before['database_size_bytes'] / 2**20:.0f} MB, {before['pg_class_rows']} pg_class rows")
    t0 = time.perf_counter()
    provision(specs)
    provision_s = time.perf_counter() - t0
    log(f"{n} villages provisioned in {provision_s:.1f}s")
    after = measure()
    log(f"after: {after['database_size_bytes'] / 2**20:.0f} MB, {after['pg_class_rows']} pg_class rows")

    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relkind, count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s GROUP BY 1 ORDER BY 1",
            [specs[0].schema_name],
        )
        kinds = {str(k): int(v) for k, v in cur.fetchall()}
        cur.execute(
            "SELECT count(*) FILTER (WHERE c.relkind IN ('r', 'p')), sum(pg_total_relation_size(c.oid))"
            " FILTER (WHERE c.relkind IN ('r', 'p'))"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s",
            [specs[0].schema_name],
        )
        row = cur.fetchone()
        assert row is not None
        tables, one_schema_bytes = int(row[0]), int(row[1] or 0)

    def per_village(key: str) -> float:
        return (after[key] - before[key]) / n

    mb = 2**20
    metrics: dict[str, Any] = {
        "villages": n,
        "database_size_mb": round(after["database_size_bytes"] / mb, 1),
        "database_size_before_mb": round(before["database_size_bytes"] / mb, 1),
        "per_village_kb": round(per_village("database_size_bytes") / 1024, 1),
        "pg_class_rows": after["pg_class_rows"],
        "pg_class_rows_before": before["pg_class_rows"],
        "pg_class_rows_per_village": round(per_village("pg_class_rows"), 2),
        "files": after["files"],
        "files_before": before["files"],
        "files_per_village": round(per_village("files"), 2),
        "disk_mb": round(after["disk_bytes"] / mb, 1),
        "disk_per_village_kb": round(per_village("disk_bytes") / 1024, 1),
        "catalog_size_mb": round(after["catalog_size_bytes"] / mb, 1),
        "catalog_size_before_mb": round(before["catalog_size_bytes"] / mb, 1),
        "catalog_per_village_kb": round(per_village("catalog_size_bytes") / 1024, 1),
        "tables_per_village": tables,
        "relations_per_village": sum(kinds.values()),
        "one_village_relations_size_kb": round(one_schema_bytes / 1024, 1),
        "provision_s": round(provision_s, 1),
    }
    for cat in CATALOGS:
        metrics[f"{cat}_rows_per_village"] = round(per_village(f"{cat}_rows"), 1)
    ctx = CONTEXT_40_TABLES
    baseline = {
        "villages": ctx["villages"],
        "database_size_mb": round(ctx["database_size_mb"], 1),
        "per_village_kb": round(ctx["database_size_mb"] * 1024 / ctx["villages"], 1),
        "pg_class_rows": ctx["pg_class_rows"],
        "pg_class_rows_per_village": round(ctx["pg_class_rows"] / ctx["villages"], 1),
        "files": ctx["files"],
        "files_per_village": round(ctx["files"] / ctx["villages"], 1),
        "tables_per_village": 40,
    }
    ratio = baseline["database_size_mb"] / metrics["database_size_mb"]
    notes = [
        "baseline is context, not a like-for-like measurement: docs/performance.md's footprint of a realistic"
        f" 40-table village schema at 2,651 villages. Our village schemas hold {tables} tables today"
        f" (TENANT_APPS = {list(settings.TENANT_APPS)} + django_migrations); the ratio shrinks as village apps"
        " grow, which is the point of watching it.",
        "per-village figures = (after - before) / villages; 'before' already holds the public schema, the"
        " regions and the template schema. files = every file under base/<oid> of the bench cluster"
        " (main forks; empty tables have no _fsm/_vm yet). database_size = pg_database_size after CHECKPOINT.",
        "pg_class_rows_per_village counts every relation of a village schema: tables, indexes, sequences,"
        " TOAST tables and their indexes; relkinds of one village in params.relkinds_one_village.",
    ]
    write_result(
        NAME,
        machine_info=mach,
        params={
            "region": REGION,
            "villages": n,
            "tenant_apps": list(settings.TENANT_APPS),
            "relkinds_one_village": kinds,
            "data_dir": str(data_dir()),
        },
        metrics=metrics,
        baseline=baseline,
        headline="database_size_mb",
        ratio=ratio,
        samples={"before": before, "after": after},
        table={
            "headline": f"empty province ({n} villages): size, pg_class rows, files",
            "ours": f"{metrics['database_size_mb']:.0f} MB, {metrics['pg_class_rows']:,} pg_class rows,"
            f" {metrics['files']:,} files ({metrics['pg_class_rows_per_village']:g} relations,"
            f" {metrics['per_village_kb']:.0f} KB per village)",
            "baseline": "context: 40-table schema 5.9 GB, 687,000 pg_class rows, 687,000 files",
            "target": "keep village schemas lean (report)",
        },
        notes=notes,
        started=started,
    )
