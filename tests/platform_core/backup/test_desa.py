"""One village back to its dump's state, without touching any other schema; a failed restore changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from platform_core.backup import desa
from platform_core.backup.pg import BackupError
from tests.conftest import Villages
from tests.platform_core.backup.conftest import (
    FACTS_REFRESHED,
    PREFIX,
    names,
    other_schemas,
    resident,
    schema_exists,
    table_checksums,
)
from tests.workers.test_tenant_tasks import committed

# Data is committed from another thread (`committed`); the marker makes sure the test database exists.
pytestmark = pytest.mark.django_db


def test_restore_one_village_leaves_every_other_village_untouched(live: Villages) -> None:
    def body() -> None:
        a, b = live.a, live.b
        # given village A with one resident, dumped, and village B with its own resident
        resident(a, "Sebelum", 1)
        resident(b, "Tetangga", 2)
        dumped = desa.dump(a)
        assert dumped.path.is_file() and dumped.path.parent == desa.folder_desa(a)
        # and later changes in A: a new resident, the first one renamed
        resident(a, "Sesudah", 3)
        from platform_core.tenancy.schemas import village_context
        from tenants.penduduk.models import Penduduk

        with village_context(a):
            Penduduk.objects.filter(nama=f"{PREFIX} Sebelum").update(nama=f"{PREFIX} Diubah")
        assert names(a) == {f"{PREFIX} Diubah", f"{PREFIX} Sesudah"}
        others = {s: table_checksums(s) for s in other_schemas(a.schema_name)}
        assert b.schema_name in others and len(others[b.schema_name]) > 10

        # when A is restored from the dump
        result = desa.restore(a, dumped.path)

        # then A is as it was at the dump
        assert names(a) == {f"{PREFIX} Sebelum"}
        assert [a.kode] == FACTS_REFRESHED  # the province's facts about A are recomputed
        # and every other schema (village B, the template) has the same tables, same oids, same rows
        assert {s: table_checksums(s) for s in other_schemas(a.schema_name)} == others
        assert names(b) == {f"{PREFIX} Tetangga"}
        # and nothing is left aside; the state before the restore was kept as a dump of its own
        assert not schema_exists(f"{a.schema_name}__pulih")
        assert result.safety_dump is not None and result.safety_dump.is_file()
        # which restores the changes again (undo)
        desa.restore(a, result.safety_dump, safety_dump=False)
        assert names(a) == {f"{PREFIX} Diubah", f"{PREFIX} Sesudah"}

    committed(body)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "fails_in_transaction", "other_village"])
def test_failed_restore_leaves_the_village_as_it_was(
    live: Villages, damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def body() -> None:
        a, b = live.a, live.b
        resident(a, "Lama", 4)
        good = desa.dump(a).path
        resident(a, "Baru", 5)
        if damage == "garbage":
            bad = tmp_path / "rusak.dump"
            bad.write_bytes(b"PGDMP" + bytes(range(256)) * 50)
        elif damage == "truncated":
            bad = tmp_path / "terpotong.dump"
            bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
        elif damage == "other_village":
            bad = desa.dump(b).path
        else:
            # a dump that loads completely, then fails before the commit (after the old schema was renamed aside)
            bad = good
            original = desa._epilogue
            monkeypatch.setattr(desa, "_epilogue", lambda schema, aside: f"{original(schema, aside)}SELECT 1/0;\n")
        before = table_checksums(a.schema_name)
        others = {s: table_checksums(s) for s in other_schemas(a.schema_name)}

        with pytest.raises(BackupError) as err:
            desa.restore(a, bad, safety_dump=False)

        # then the message says nothing changed / what went wrong, and nothing did change
        assert "desa" in str(err.value).lower() or "berkas" in str(err.value).lower()
        assert table_checksums(a.schema_name) == before
        assert names(a) == {f"{PREFIX} Lama", f"{PREFIX} Baru"}
        assert {s: table_checksums(s) for s in other_schemas(a.schema_name)} == others
        assert not schema_exists(f"{a.schema_name}__pulih")

    committed(body)


def test_restore_refuses_a_dump_of_another_schema_version(live: Villages, monkeypatch: pytest.MonkeyPatch) -> None:
    def body() -> None:
        a = live.a
        dumped = desa.dump(a).path
        current = desa.applied_migrations(a.schema_name)
        monkeypatch.setattr(desa, "applied_migrations", lambda schema: current | {("penduduk", "9999_baru")})
        with pytest.raises(BackupError, match="Versi skema"):
            desa.restore(a, dumped, safety_dump=False)

    committed(body)


def test_nightly_dumps_changed_villages_and_prunes_old_ones(live: Villages) -> None:
    def body() -> None:
        import datetime as dt
        import os
        import time

        from django.utils import timezone

        a = live.a
        folder = desa.folder_desa(a)
        folder.mkdir(parents=True)
        old = folder / "2000-01-01.dump"
        old.write_bytes(b"x")
        os.utime(old, (946684800, 946684800))
        # first night: no recent dump -> dumped; the 2000 dump is beyond retention -> deleted
        first = desa.nightly(a, changed_since=None)
        assert first is not None and first.path.name == f"{timezone.localdate().isoformat()}.dump"
        assert not old.exists()
        # unchanged since -> skipped
        assert desa.nightly(a, changed_since=timezone.now() - dt.timedelta(days=1)) is None
        # changed after the dump -> dumped again
        os.utime(first.path, (time.time() - 3600, time.time() - 3600))
        assert desa.nightly(a, changed_since=timezone.now()) is not None

    committed(body)


def test_one_village_restored_out_of_a_whole_database_dump(live: Villages, tmp_path: Path) -> None:
    from platform_core.backup.pg import pg_binary, run, target

    def body() -> None:
        a, b = live.a, live.b
        resident(a, "Utuh", 6)
        whole = tmp_path / "semua.dump"
        db = target()
        run([pg_binary("pg_dump"), *db.args(), "-Fc", "-f", str(whole)], env=db.env())
        resident(a, "Kemudian", 7)
        others = {s: table_checksums(s) for s in other_schemas(a.schema_name)}

        desa.restore(a, whole, safety_dump=False)

        assert names(a) == {f"{PREFIX} Utuh"}
        assert {s: table_checksums(s) for s in other_schemas(a.schema_name)} == others
        assert names(b) == set()

    committed(body)
