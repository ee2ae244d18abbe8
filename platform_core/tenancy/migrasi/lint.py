"""Refuse migrations that are unsafe for a rolling deploy over thousands of village schemas.

During a deploy the previous release keeps serving while `balai migrate` walks 2,651 schemas,
and a village can fail and stay behind until the rerun: for minutes, old code runs against
new schemas and new code against old ones. A migration must therefore be *expand* (old code
keeps working) or *contract* (nothing running reads what it removes). See docs/migrations.md.

Errors (refused):
- RemoveField / DeleteModel of a column or table the running code's models still declare;
  any other drop needs the explicit opt-out (contract step of expand/contract);
- RenameField / RenameModel / AlterModelTable / a changed db_column (old code reads the old name);
- AddField NOT NULL without a db_default on a tenant model (old code inserts rows without it:
  Django's `default` lives in Python only and is dropped from the table after the ALTER);
- AlterField changing the column type, or making a column NOT NULL without a db_default;
- RunSQL without reverse_sql, RunPython without reverse_code (no way back).
Notes (allowed, said aloud): an index built without CONCURRENTLY (fine per village: tables are
small; on a large shared table use AddIndexConcurrently), RunPython in a tenant app (the
migration takes Django's stock per-village path: ~0.4 s per village).

Opt-out, per migration, with a reason that says why it is safe (at least 15 characters):

    class Migration(migrations.Migration):
        balai_aman = "Kolom lama tidak dibaca kode sejak rilis 2026.11 (kontraksi)."
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.conf import settings
from django.db import connection, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration
from django.db.migrations.operations import (
    AddField,
    AddIndex,
    AlterField,
    AlterModelTable,
    CreateModel,
    DeleteModel,
    RemoveField,
    RenameField,
    RenameModel,
    RunPython,
    RunSQL,
)
from django.db.migrations.operations.base import Operation
from django.db.migrations.operations.special import SeparateDatabaseAndState
from django.db.migrations.state import ProjectState
from django.db.models.fields import NOT_PROVIDED

OPT_OUT = "balai_aman"
MIN_REASON = 15
LOCAL_PREFIXES = ("platform_core.", "tenants.", "provinsi")


@dataclass(frozen=True)
class Finding:
    level: str  # "galat" | "catatan"
    migration: str  # app.name
    operation: str
    message: str

    def __str__(self) -> str:
        return f"{self.level.upper()} {self.migration}: {self.operation}: {self.message}"


def _ops(ops: Sequence[Operation]) -> Iterable[Operation]:
    for op in ops:
        if isinstance(op, SeparateDatabaseAndState):
            yield from _ops(op.database_operations)
        else:
            yield op


def _current_model(app_label: str, model_name: str) -> type[models.Model] | None:
    try:
        return global_apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _current_has_field(app_label: str, model_name: str, field_name: str) -> bool:
    model = _current_model(app_label, model_name)
    if model is None:
        return False
    try:
        field = model._meta.get_field(field_name)
    except Exception:
        return False
    return bool(getattr(field, "concrete", False))


def _state_field(state: ProjectState | None, app_label: str, model_name: str, name: str) -> models.Field | None:  # type: ignore[type-arg]
    if state is None:
        return None
    model_state = state.models.get((app_label, model_name.lower()))
    if model_state is None:
        return None
    field: models.Field | None = model_state.fields.get(name)  # type: ignore[type-arg]
    return field


def _db_type(state: ProjectState, app_label: str, model_name: str, name: str) -> str | None:
    try:
        model = state.apps.get_model(app_label, model_name)
        db_type = model._meta.get_field(name).db_type(connection)
        return None if db_type is None else str(db_type)
    except Exception:
        return None


def _has_db_default(field: models.Field) -> bool:  # type: ignore[type-arg]
    return getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED


INDEX_TENANT = "indeks tanpa CONCURRENTLY di tabel desa: aman (tabel per desa kecil, kunci singkat per desa)"
INDEX_SHARED = "indeks tanpa CONCURRENTLY di tabel public: bila tabelnya besar, pakai AddIndexConcurrently"

Said = list[tuple[str, str]]  # (level, message)


def _add_field(op: AddField, *, tenant: bool, new_table: bool) -> Said:
    field = op.field
    out: Said = []
    if new_table:
        return out  # a table made in this migration: no old code uses it yet
    if (
        tenant
        and not field.null
        and not field.many_to_many
        and not _has_db_default(field)
        and getattr(field, "concrete", True)
    ):
        out.append(("galat", f"{op.model_name}.{op.name} NOT NULL tanpa db_default: kode lama menyisipkan tanpanya"))
    if getattr(field, "db_index", False) or field.unique:
        out.append(("catatan", INDEX_TENANT if tenant else INDEX_SHARED))
    return out


def _alter_field(op: AlterField, app_label: str, state: ProjectState | None, state_after: ProjectState | None) -> Said:
    old = _state_field(state, app_label, op.model_name, op.name)
    out: Said = []
    if old is None:
        return out
    if getattr(old, "db_column", None) != getattr(op.field, "db_column", None):
        out.append(("galat", f"{op.model_name}.{op.name}: db_column berubah (ganti nama kolom)"))
    if state is not None and state_after is not None:
        before = _db_type(state, app_label, op.model_name, op.name)
        after = _db_type(state_after, app_label, op.model_name, op.name)
        if before and after and before != after:
            out.append(("galat", f"{op.model_name}.{op.name}: tipe kolom berubah {before} -> {after}"))
    if old.null and not op.field.null and not _has_db_default(op.field):
        out.append(("galat", f"{op.model_name}.{op.name}: dijadikan NOT NULL tanpa db_default"))
    return out


def _operation(  # noqa: PLR0911  # one answer per operation kind
    op: Operation,
    app_label: str,
    *,
    tenant: bool,
    created: set[str],
    state: ProjectState | None,
    state_after: ProjectState | None,
) -> Said:
    if isinstance(op, RemoveField):
        if _current_has_field(app_label, op.model_name, op.name):
            return [("galat", f"{op.model_name}.{op.name} masih dideklarasikan model kode yang berjalan")]
        return [("galat", f"menghapus kolom {op.model_name}.{op.name}: hanya di langkah kontraksi ({OPT_OUT})")]
    if isinstance(op, DeleteModel):
        if _current_model(app_label, op.name) is not None:
            return [("galat", f"tabel {op.name} masih dipakai model kode yang berjalan")]
        return [("galat", f"menghapus tabel {op.name}: hanya di langkah kontraksi ({OPT_OUT})")]
    if isinstance(op, RenameField | RenameModel | AlterModelTable):
        return [("galat", "ganti nama kolom/tabel memutus kode lama: tambah yang baru, salin, pindahkan bacaan, hapus")]
    if isinstance(op, AddField):
        return _add_field(op, tenant=tenant, new_table=op.model_name.lower() in created)
    if isinstance(op, AlterField):
        return _alter_field(op, app_label, state, state_after)
    if isinstance(op, AddIndex):
        return [] if op.model_name.lower() in created else [("catatan", INDEX_TENANT if tenant else INDEX_SHARED)]
    if isinstance(op, RunSQL):
        return [("galat", "RunSQL tanpa reverse_sql: tidak bisa dibatalkan")] if op.reverse_sql is None else []
    if isinstance(op, RunPython):
        out: Said = []
        if op.reverse_code is None:
            out.append(("galat", "RunPython tanpa reverse_code: tidak bisa dibatalkan (RunPython.noop bila perlu)"))
        if tenant:
            out.append(("catatan", "RunPython di app desa: lewat jalur stok Django per desa (~0,4 s per desa)"))
        return out
    return []


def check_migration(
    migration: Migration,
    *,
    state: ProjectState | None,
    tenant_apps: set[str],
    state_after: ProjectState | None = None,
) -> list[Finding]:
    """Findings for one migration; `state`/`state_after` are the project states around it (AlterField)."""
    key = f"{migration.app_label}.{migration.name}"
    tenant = migration.app_label in tenant_apps
    created = {op.name.lower() for op in _ops(migration.operations) if isinstance(op, CreateModel)}
    out = [
        Finding(level, key, type(op).__name__, message)
        for op in _ops(migration.operations)
        for level, message in _operation(
            op, migration.app_label, tenant=tenant, created=created, state=state, state_after=state_after
        )
    ]
    reason = getattr(migration, OPT_OUT, None)
    if reason is not None:
        if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON:
            return [Finding("galat", key, OPT_OUT, f"alasan opt-out wajib diisi (min. {MIN_REASON} karakter)")]
        return [
            Finding("catatan", key, f.operation, f"{f.message} [dilewati: {reason.strip()}]")
            if f.level == "galat"
            else f
            for f in out
        ]
    return out


def local_app_labels() -> set[str]:
    return {cfg.label for cfg in global_apps.get_app_configs() if cfg.name.startswith(LOCAL_PREFIXES)}


def tenant_app_labels() -> set[str]:
    return {cfg.label for cfg in global_apps.get_app_configs() if cfg.name in settings.TENANT_APPS}


def check_all(labels: set[str] | None = None) -> list[Finding]:
    """Every migration on disk of the project's own apps."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    labels = labels or local_app_labels()
    tenant_apps = tenant_app_labels()
    out: list[Finding] = []
    for key in sorted(loader.disk_migrations):
        if key[0] not in labels:
            continue
        migration = loader.disk_migrations[key]
        needs_state = any(isinstance(op, AlterField) for op in _ops(migration.operations))
        state = loader.project_state(key, at_end=False) if needs_state else None
        after = loader.project_state(key, at_end=True) if needs_state else None
        out += check_migration(migration, state=state, tenant_apps=tenant_apps, state_after=after)
    return out


def main(verbose: bool = False) -> int:
    findings = check_all()
    errors = [f for f in findings if f.level == "galat"]
    for f in findings:
        if f.level == "galat" or verbose:
            print(f, file=sys.stderr if f.level == "galat" else sys.stdout)
    notes = len(findings) - len(errors)
    print(f"Migrasi: {len(errors)} tidak aman untuk deploy bergulir, {notes} catatan.")
    return 1 if errors else 0
