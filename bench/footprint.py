"""Footprint: what an empty province costs PostgreSQL before a single resident exists.

Fresh database ``bench_footprint``: shared apps migrated, regions loaded and the
template schema made (the "before" state), then all villages of the region
provisioned (the "after" state). Reported for both and per village
((after - before) / villages): database size, rows of the catalogs that grow
with every table (pg_class, pg_attribute, pg_depend, pg_type, ...), and files
under the database's directory in the cluster (``$BALAI_VAR/pg/data/base/<oid>``).

There is no stock alternative to measure: django-tenants' migrate-per-tenant
creates the very same tables. The baseline is therefore the footprint of a
realistic village schema of 40 tables (docs/performance.md's yardstick),
measured here the same way: all villages dropped, the template widened by
synthetic tables (bench.provisioning.add_synthetic_tables), all provisioned
again. performance.md's own figures are kept in params for comparison.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from bench.common import data_dir, log, machine, migrate_shared, scalar, setup_django, write_result
from bench.provisioning import SYNTH_TABLES, add_synthetic_tables, drop_villages

NAME = "footprint"
REGION = os.environ.get("BALAI_BENCH_REGION", "18")
CATALOGS = ["pg_class", "pg_attribute", "pg_depend", "pg_type", "pg_index", "pg_constraint"]

# docs/performance.md, "What we know about the ground": 40-table village schema, 2,651 villages.
CONTEXT_40_TABLES = {"villages": 2651, "pg_class_rows": 687_000, "database_size_gb": 5.9, "files": 687_000}
MB = 2**20
BLOATED_CATALOGS = [*CATALOGS, "pg_attrdef", "pg_sequence", "pg_namespace", "pg_statistic", "pg_inherits"]


def files_under(path: Path) -> dict[str, int]:
    count = size = blocks = 0
    for root, _dirs, names in os.walk(path):
        for name in names:
            try:
                st = os.lstat(os.path.join(root, name))
            except FileNotFoundError:  # e.g. pg_internal.init rewritten meanwhile
                continue
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


def province(specs: list[Any], label: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Measure, provision every village, measure again. Returns (figures, samples)."""
    from django.db import connection

    from platform_core.tenancy.provisioning import provision

    n = len(specs)
    before = measure()
    log(f"{label} before: {before['database_size_bytes'] / MB:.0f} MB, {before['pg_class_rows']} pg_class rows")
    t0 = time.perf_counter()
    provision(specs)
    provision_s = time.perf_counter() - t0
    log(f"{label}: {n} villages provisioned in {provision_s:.1f}s")
    after = measure()
    log(f"{label} after: {after['database_size_bytes'] / MB:.0f} MB, {after['pg_class_rows']} pg_class rows")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relkind, count(*), sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relkind IN ('r', 'p'))"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s GROUP BY 1",
            [specs[0].schema_name],
        )
        rows = cur.fetchall()
    kinds = {str(k): int(c) for k, c, _ in rows}
    one_schema_bytes = sum(int(b or 0) for _, _, b in rows)

    def per_village(key: str) -> float:
        return (after[key] - before[key]) / n

    figures: dict[str, Any] = {
        "villages": n,
        "database_size_mb": round(after["database_size_bytes"] / MB, 1),
        "database_size_before_mb": round(before["database_size_bytes"] / MB, 1),
        "per_village_kb": round(per_village("database_size_bytes") / 1024, 1),
        "pg_class_rows": after["pg_class_rows"],
        "pg_class_rows_before": before["pg_class_rows"],
        "pg_class_rows_per_village": round(per_village("pg_class_rows"), 2),
        "files": after["files"],
        "files_before": before["files"],
        "files_per_village": round(per_village("files"), 2),
        "disk_mb": round(after["disk_bytes"] / MB, 1),
        "disk_per_village_kb": round(per_village("disk_bytes") / 1024, 1),
        "catalog_size_mb": round(after["catalog_size_bytes"] / MB, 1),
        "catalog_size_before_mb": round(before["catalog_size_bytes"] / MB, 1),
        "catalog_per_village_kb": round(per_village("catalog_size_bytes") / 1024, 1),
        "tables_per_village": kinds.get("r", 0) + kinds.get("p", 0),
        "relations_per_village_schema": sum(kinds.values()),
        "one_village_tables_size_kb": round(one_schema_bytes / 1024, 1),
        "provision_s": round(provision_s, 1),
    }
    for cat in CATALOGS:
        figures[f"{cat}_rows_per_village"] = round(per_village(f"{cat}_rows"), 1)
    return figures, {"before": before, "after": after, "relkinds_one_village": kinds}


def main() -> None:
    started = time.time()
    setup_django("bench_footprint")
    from django.conf import settings
    from django.db import connection

    from platform_core.tenancy.models import Village
    from platform_core.tenancy.provisioning import Template, ensure_template, village_specs
    from platform_core.wilayah.reference import ensure_wilayah

    mach = machine()
    migrate_shared()
    specs = village_specs([REGION])
    n = len(specs)
    ensure_wilayah(REGION[:2])
    ensure_template()
    metrics, ours_samples = province(specs, "ours")

    # Baseline: the same province with a 40-table village schema.
    kodes = list(Village.objects.values_list("kode", flat=True))
    t0 = time.perf_counter()
    for start in range(0, len(kodes), 200):
        drop_villages(kodes[start : start + 200])
    with connection.cursor() as cur:  # no dead catalog rows of the dropped schemas in "before"
        cur.execute("VACUUM FULL " + ", ".join(f"pg_catalog.{c}" for c in BLOATED_CATALOGS))
    log(f"{len(kodes)} villages dropped, catalogs vacuumed in {time.perf_counter() - t0:.1f}s")
    add_synthetic_tables(settings.TEMPLATE_SCHEMA_NAME, SYNTH_TABLES)
    Template.invalidate()
    baseline, wide_samples = province(specs, "40 tables")

    ratio = baseline["database_size_mb"] / metrics["database_size_mb"]
    ctx = CONTEXT_40_TABLES
    notes = [
        f"ours: the village schema of today's TENANT_APPS ({list(settings.TENANT_APPS)} + django_migrations):"
        f" {metrics['tables_per_village']} tables, {metrics['relations_per_village_schema']} relations in the schema.",
        f"baseline: the same province, same provisioning, with the template widened by {SYNTH_TABLES} synthetic"
        f" tables (PK, FK, 2 indexes, a TOASTable column) to {baseline['tables_per_village']} tables, the"
        " 'realistic 40-table village schema' of docs/performance.md, whose published figures are in"
        " params.performance_md_40_tables. It is a yardstick, not a competing implementation: the ratio says how"
        " much larger the province gets when village apps grow to that size.",
        "per-village figures = (after - before) / villages; 'before' already holds the public schema, the regions"
        " and the template schema. files = every file under base/<oid> of the bench cluster (empty tables have"
        " only their main fork). database_size = pg_database_size after CHECKPOINT. pg_class rows per village"
        " include TOAST tables and their indexes (in pg_toast), which relations_per_village_schema does not.",
    ]
    write_result(
        NAME,
        machine_info=mach,
        params={
            "region": REGION,
            "villages": n,
            "tenant_apps": list(settings.TENANT_APPS),
            "synthetic_tables_added_for_baseline": SYNTH_TABLES,
            "performance_md_40_tables": ctx,
            "data_dir": str(data_dir()),
        },
        metrics=metrics,
        baseline=baseline,
        headline="database_size_mb",
        ratio=ratio,
        samples={"ours": ours_samples, "baseline_40_tables": wide_samples},
        table={
            "headline": f"empty province ({n} villages): size, pg_class rows, files",
            "ours": f"{metrics['database_size_mb']:,.0f} MB, {metrics['pg_class_rows']:,} pg_class rows,"
            f" {metrics['files']:,} files ({metrics['tables_per_village']} tables,"
            f" {metrics['pg_class_rows_per_village']:g} relations, {metrics['per_village_kb']:.0f} KB per village)",
            "baseline": f"40-table village schema, measured: {baseline['database_size_mb']:,.0f} MB,"
            f" {baseline['pg_class_rows']:,} pg_class rows, {baseline['files']:,} files"
            f" ({baseline['pg_class_rows_per_village']:g} relations, {baseline['per_village_kb']:.0f} KB per village)",
            "target": "lean village schemas (report)",
        },
        notes=notes,
        started=started,
    )
