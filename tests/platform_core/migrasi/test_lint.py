"""The unsafe-migration check: each listed case is caught; the repo's own migrations pass."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import migrations, models
from django.db.migrations.migration import Migration
from django.db.migrations.state import ModelState, ProjectState

from platform_core.tenancy.migrasi import lint

TENANT = {"penduduk", "outbox"}


def mig(app: str, *ops: object, **attrs: object) -> Migration:
    m = Migration("0999_uji", app)
    m.operations = list(ops)
    for name, value in attrs.items():
        setattr(m, name, value)
    return m


def errors(m: Migration, state: ProjectState | None = None, state_after: ProjectState | None = None) -> list[str]:
    found = lint.check_migration(m, tenant_apps=TENANT, state=state, state_after=state_after)
    return [f.message for f in found if f.level == "galat"]


def notes(m: Migration) -> list[str]:
    return [f.message for f in lint.check_migration(m, tenant_apps=TENANT, state=None) if f.level == "catatan"]


def states(before_field: models.Field, after_field: models.Field) -> tuple[ProjectState, ProjectState]:  # type: ignore[type-arg]
    before = ProjectState()
    before.add_model(
        ModelState("penduduk", "Uji", [("id", models.BigAutoField(primary_key=True)), ("x", before_field)])
    )
    after = before.clone()
    migrations.AlterField("uji", "x", after_field).state_forwards("penduduk", after)
    return before, after


def test_the_repos_migrations_pass() -> None:
    assert [str(f) for f in lint.check_all() if f.level == "galat"] == []
    call_command("lint_migrations")  # what `make lint` runs


def test_dropping_a_column_the_models_still_declare() -> None:
    (msg,) = errors(mig("penduduk", migrations.RemoveField("penduduk", "nama")))
    assert "masih dideklarasikan" in msg


def test_dropping_a_column_is_a_contract_step_only() -> None:
    (msg,) = errors(mig("penduduk", migrations.RemoveField("penduduk", "kolom_lama")))
    assert "kontraksi" in msg
    reason = "Tidak dibaca sejak rilis 2026.11."
    ok = mig("penduduk", migrations.RemoveField("penduduk", "kolom_lama"), balai_aman=reason)
    assert errors(ok) == []
    assert any("dilewati: Tidak dibaca sejak rilis 2026.11." in n for n in notes(ok))


def test_dropping_a_table_still_used() -> None:
    (msg,) = errors(mig("penduduk", migrations.DeleteModel("Penduduk")))
    assert "masih dipakai" in msg


@pytest.mark.parametrize(
    "op",
    [
        migrations.RenameField("penduduk", "nama", "nama_lengkap"),
        migrations.RenameModel("Penduduk", "Warga"),
        migrations.AlterModelTable("penduduk", "warga"),
    ],
)
def test_renames_are_refused(op: object) -> None:
    (msg,) = errors(mig("penduduk", op))
    assert "ganti nama" in msg


def test_add_not_null_without_db_default_on_a_tenant_model() -> None:
    bad = migrations.AddField("penduduk", "baru", models.CharField(max_length=5, default="x"))
    (msg,) = errors(mig("penduduk", bad))
    assert "NOT NULL tanpa db_default" in msg
    good = migrations.AddField("penduduk", "baru", models.CharField(max_length=5, default="x", db_default="x"))
    assert errors(mig("penduduk", good)) == []
    nullable = migrations.AddField("penduduk", "baru", models.CharField(max_length=5, null=True))
    assert errors(mig("penduduk", nullable)) == []
    # A shared (public) model is one table, not 2,651: not this rule's business.
    assert errors(mig("wilayah", bad)) == []


def test_create_model_is_safe() -> None:
    op = migrations.CreateModel(
        "Baru",
        [("id", models.BigAutoField(primary_key=True)), ("kode", models.CharField(max_length=5, db_index=True))],
    )
    extra = migrations.AddField("baru", "lain", models.IntegerField(default=0))
    m = mig("penduduk", op, extra, migrations.AddIndex("baru", models.Index(fields=["kode"], name="baru_kode")))
    assert lint.check_migration(m, tenant_apps=TENANT, state=None) == []


def test_alter_field_changing_type() -> None:
    before, after = states(models.CharField(max_length=10), models.IntegerField())
    m = mig("penduduk", migrations.AlterField("uji", "x", models.IntegerField()))
    (msg,) = errors(m, before, after)
    assert "tipe kolom berubah" in msg
    # blank is a form matter: the column stays varchar(10).
    before, after = states(models.CharField(max_length=10), models.CharField(max_length=10, blank=True))
    same = mig("penduduk", migrations.AlterField("uji", "x", models.CharField(max_length=10, blank=True)))
    assert errors(same, before, after) == []


def test_alter_field_to_not_null_without_db_default() -> None:
    before, after = states(models.IntegerField(null=True), models.IntegerField())
    (msg,) = errors(mig("penduduk", migrations.AlterField("uji", "x", models.IntegerField())), before, after)
    assert "NOT NULL" in msg


def test_index_on_a_village_table_is_allowed_and_said() -> None:
    m = mig("penduduk", migrations.AddIndex("penduduk", models.Index(fields=["nama"], name="uji_idx")))
    assert errors(m) == []
    (msg,) = notes(m)
    assert "aman" in msg and "CONCURRENTLY" in msg
    (shared,) = notes(mig("wilayah", migrations.AddIndex("desa", models.Index(fields=["nama"], name="uji_idx"))))
    assert "AddIndexConcurrently" in shared


def test_irreversible_run_sql_and_run_python() -> None:
    (msg,) = errors(mig("penduduk", migrations.RunSQL("SELECT 1")))
    assert "reverse_sql" in msg
    assert errors(mig("penduduk", migrations.RunSQL("SELECT 1", reverse_sql="SELECT 1"))) == []
    code = migrations.RunPython(lambda apps, editor: None)
    assert any("reverse_code" in e for e in errors(mig("penduduk", code)))
    reversible = mig("penduduk", migrations.RunPython(lambda apps, editor: None, migrations.RunPython.noop))
    assert errors(reversible) == []
    assert any("jalur stok" in n for n in notes(reversible))


def test_opt_out_needs_a_reason() -> None:
    (msg,) = errors(mig("penduduk", migrations.RenameField("penduduk", "nama", "x"), balai_aman="ok"))
    assert "alasan" in msg
