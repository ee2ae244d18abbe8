"""The template schema and the plan: migrate `balai_template`, capturing each migration's SQL once.

Django's MigrationExecutor runs on the template only (one catalog introspection per deploy,
not one per village). Before each migration is applied there, its SQL is collected exactly
as `sqlmigrate` would (schema editor with collect_sql, the template at the pre-state, so any
introspection the operation does sees the real schema) and stored in `public` as a
`MigrasiUnit`, together with the django_migrations rows the migration records. The village
executor (executor.py) replays those units in every village schema.

A migration whose effect is not plain SQL (RunPython, non-atomic, an operation that cannot
be written as SQL) is stored with cara = stok: the villages get it through Django's own
per-schema path, loudly.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.core.management.commands.migrate import Command as StockMigrate
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration
from django.db.migrations.operations.base import Operation
from django.db.migrations.operations.special import SeparateDatabaseAndState
from django.db.migrations.recorder import MigrationRecorder

from platform_core.tenancy import schemas

log = logging.getLogger("balai.migrasi")

TEMPLATE: str = settings.TEMPLATE_SCHEMA_NAME
NOT_SQL_MARK = "CANNOT BE WRITTEN AS SQL"

Row = tuple[str, str]


def tenant_labels() -> set[str]:
    from django.apps import apps

    return {cfg.label for cfg in apps.get_app_configs() if cfg.name in settings.TENANT_APPS}


# --- reading django_migrations without Django's introspection ----------------------------


def schema_exists(name: str) -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cur.fetchone() is not None


def rows_of(schema_name: str) -> list[Row]:
    """(app, name) rows of a schema's django_migrations in the order they were applied."""
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)", [f'"{schema_name}".django_migrations'])
        row = cur.fetchone()
        if row is None or row[0] is None:
            return []
        cur.execute(f'SELECT app, name FROM "{schema_name}".django_migrations ORDER BY id')
        return [(a, n) for a, n in cur.fetchall()]


def sidik_sql(schema_name: str) -> str:
    """SQL for the fingerprint of a schema's django_migrations (same as `sidik()` in Python)."""
    return (
        "SELECT md5(coalesce(string_agg(app || '.' || name, E'\\n' "
        'ORDER BY app COLLATE "C", name COLLATE "C"), \'\')), count(*) '
        f'FROM "{schema_name}".django_migrations'
    )


def sidik(rows: Iterable[Row]) -> str:
    import hashlib

    text = "\n".join(sorted(f"{a}.{n}" for a, n in set(rows)))
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324  # a fingerprint, not security


def pending_nodes(applied: set[Row], *, apps: set[str] | None = None) -> list[Row]:
    """Migrations on disk (optionally of some apps) not recorded in `applied` (squashes honoured)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    out = []
    for key, migration in loader.graph.nodes.items():
        if apps is not None and key[0] not in apps:
            continue
        replaced = getattr(migration, "replaces", None) or []
        if key in applied or (replaced and all(tuple(r) in applied for r in replaced)):
            continue
        out.append(key)
    return sorted(out)


# --- classification ------------------------------------------------------------------


def _flat_ops(ops: Sequence[Operation]) -> Iterable[Operation]:
    for op in ops:
        if isinstance(op, SeparateDatabaseAndState):
            yield from _flat_ops(op.database_operations)
        else:
            yield op


def stock_reason(migration: Migration, tenant_apps: set[str]) -> str:
    """Why this migration must take the stock per-village path ('' when its SQL can be replayed)."""
    if migration.app_label not in tenant_apps:
        return ""  # the tenant router makes it a no-op in village schemas: rows only
    if not migration.atomic:
        return "migrasi non-atomik (atomic = False)"
    for op in _flat_ops(migration.operations):
        if not op.reduces_to_sql:
            return f"operasi {type(op).__name__} tidak bisa ditulis sebagai SQL"
    return ""


@dataclass
class Captured:
    app: str
    nama: str
    cara: str  # "sql" | "stok"
    sql: str = ""
    baris: list[Row] = field(default_factory=list)
    alasan: str = ""


def collect_sql(migration: Migration, state: object) -> list[str]:
    """The migration's SQL against the schema the connection points at (sqlmigrate's way)."""
    with connection.schema_editor(collect_sql=True, atomic=migration.atomic) as editor:
        migration.apply(state.clone(), editor, collect_sql=True)  # type: ignore[attr-defined]
    return list(editor.collected_sql)


def _statements(collected: list[str]) -> str:
    return "\n".join(line for line in collected if line.strip() and not line.lstrip().startswith("--"))


# --- the template ------------------------------------------------------------------------


def migrate_template(*, verbosity: int = 0, capture: bool | None = None) -> list[Captured]:
    """Bring the template schema to the code's migrations. Returns what was applied.

    A new template is made by Django's migrate in one go (no village to replay it in). An
    existing one is migrated one migration at a time with the SQL of each captured first
    (when villages exist), so that villages can be brought to the same state without Django.
    """
    from platform_core.operasi.models import MigrasiUnit
    from platform_core.tenancy.models import Village
    from platform_core.tenancy.provisioning import Template

    before = rows_of(TEMPLATE)
    if not pending_nodes(set(before)):
        return []
    fresh = not before
    if capture is None:
        capture = not fresh and Village.objects.exists()
    with connection.cursor() as cur:
        cur.execute(f'CREATE SCHEMA IF NOT EXISTS "{TEMPLATE}"')
    # As django-tenants' executor does: the schema's own django_migrations first (public hidden),
    # then migrate with public on the path (extensions such as pg_trgm live there).
    schemas.set_schema_raw(TEMPLATE)
    MigrationRecorder(connection).ensure_schema()
    schemas.set_schema_raw(TEMPLATE, include_public=True)
    captured: list[Captured] = []
    try:
        if not capture:
            # Django's own migrate (django-tenants replaces the `migrate` command); the
            # TenantSyncRouter limits it to TENANT_APPS since we are off public.
            call_command(StockMigrate(), interactive=False, verbosity=verbosity, skip_checks=True)
        else:
            captured = _migrate_template_capturing(verbosity=verbosity)
    finally:
        schemas.activate(None)
        Template.invalidate()
    if captured:
        start = (MigrasiUnit.objects.order_by("-urutan").values_list("urutan", flat=True).first() or 0) + 1
        with transaction.atomic():
            for i, c in enumerate(captured):
                MigrasiUnit.objects.update_or_create(
                    app=c.app,
                    nama=c.nama,
                    defaults={
                        "urutan": start + i,
                        "cara": c.cara,
                        "sql": c.sql,
                        "baris": [list(r) for r in c.baris],
                        "alasan": c.alasan,
                    },
                )
    return captured


def _migrate_template_capturing(*, verbosity: int) -> list[Captured]:
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    plan = executor.migration_plan(targets)
    if any(backwards for _, backwards in plan):
        raise RuntimeError("Rencana migrasi templat berisi langkah mundur; jalankan manual.")
    tenant_apps = tenant_labels()
    state = executor._create_project_state(with_applied_migrations=True)  # type: ignore[attr-defined]  # Django's own, as migrate() uses it
    have = set(rows_of(TEMPLATE))
    out: list[Captured] = []
    for migration, _ in plan:
        reason = stock_reason(migration, tenant_apps)
        sql = ""
        if not reason and migration.app_label in tenant_apps:
            collected = collect_sql(migration, state)
            if any(NOT_SQL_MARK in line for line in collected):
                reason = "operasi yang tidak bisa ditulis sebagai SQL"
            else:
                sql = _statements(collected)
        if verbosity:
            print(f"  templat: {migration.app_label}.{migration.name}" + (f" [stok: {reason}]" if reason else ""))
        state = executor.apply_migration(state, migration)
        now = set(rows_of(TEMPLATE))
        new_rows = [r for r in rows_of(TEMPLATE) if r not in have]
        have = now
        out.append(
            Captured(
                app=migration.app_label,
                nama=migration.name,
                cara="stok" if reason else "sql",
                sql=sql,
                baris=new_rows,
                alasan=reason,
            )
        )
    executor.check_replacements()
    extra = [r for r in rows_of(TEMPLATE) if r not in have]
    if extra and out:
        out[-1].baris.extend(extra)
    return out
