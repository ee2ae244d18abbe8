"""Backups run against committed data: the tools (pg_dump, psql, pg_basebackup) use their own connections."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import village_context
from tests.conftest import Villages, resident_create
from tests.workers.test_tenant_tasks import committed

PREFIX = "Uji Backup"


@pytest.fixture
def live(villages: Villages, db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Villages]:
    """A private backup directory; the rows of these tests wiped before and after.

    Test bodies run through `committed(...)`: another thread, its own connection, autocommit,
    outside the test transaction (the tools read committed data with their own connections).
    """
    monkeypatch.setenv("BALAI_BACKUP_DIR", str(tmp_path / "backup"))
    # The province facts a restore recomputes are other tests' business: record the call instead.
    from platform_core.backup import desa

    monkeypatch.setattr(desa, "_refresh_facts", lambda village: FACTS_REFRESHED.append(village.kode))
    FACTS_REFRESHED.clear()
    committed(lambda: wipe(villages))
    yield villages
    committed(lambda: wipe(villages))


FACTS_REFRESHED: list[str] = []


def wipe(villages: Villages) -> None:
    from platform_core.facts.models import Aktivitas
    from tenants.penduduk.models import Keluarga, Penduduk

    Aktivitas.objects.filter(jenis="desa.arsip_data").delete()
    for village in (villages.a, villages.b):
        with village_context(village):
            Penduduk.objects.filter(nama__startswith=PREFIX).delete()
            Keluarga.objects.filter(no_kk__startswith="77").delete()


def resident(village: Village, nama: str, n: int) -> Any:
    with village_context(village):
        return resident_create(nama=f"{PREFIX} {nama}", nik=f"18011741069{n:05d}", no_kk=f"77011700000{n:05d}")


def names(village: Village) -> set[str]:
    from tenants.penduduk.models import Penduduk

    with village_context(village):
        return set(Penduduk.objects.filter(nama__startswith=PREFIX).values_list("nama", flat=True))


def table_checksums(schema: str) -> dict[str, tuple[int, str]]:
    """(oid, md5 of every row in a fixed order) of every table of a schema."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY c.relname",
            [schema],
        )
        tables = cur.fetchall()
        result = {}
        for oid, name in tables:
            cur.execute(
                f"SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{schema}\".\"{name}\" t"
            )
            row = cur.fetchone()
            assert row is not None
            result[name] = (int(oid), str(row[0]))
        return result


def other_schemas(except_schema: str) -> list[str]:
    """Every village schema and the template, except the one being restored."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT nspname FROM pg_namespace WHERE (nspname LIKE 'v\\_%%' OR nspname = 'balai_template') "
            "AND nspname <> %s ORDER BY 1",
            [except_schema],
        )
        return [r[0] for r in cur.fetchall()]


def schema_exists(name: str) -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cur.fetchone() is not None
