"""A village's data archive: every table as CSV, a manifest that says exactly what is inside; operators only."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.db import connection

from platform_core.backup import arsip
from platform_core.facts.models import Aktivitas
from tests.conftest import Villages, host_of, signed_in
from tests.platform_core.backup.conftest import PREFIX, resident
from tests.workers.test_tenant_tasks import committed

pytestmark = pytest.mark.django_db


def _db_tables(schema: str) -> dict[str, int]:
    with connection.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        names = [r[0] for r in cur.fetchall()]
        counts = {}
        for name in names:
            cur.execute(f'SELECT count(*) FROM "{schema}"."{name}"')
            row = cur.fetchone()
            counts[name] = int(row[0]) if row else 0
        return counts


def test_archive_contains_what_its_manifest_says(live: Villages) -> None:
    a = live.a

    def body() -> tuple[bytes, dict[str, int], set[str]]:
        resident(a, "Arsip Satu", 11)
        resident(a, 'Arsip, "Dua"\nbaris', 12)  # commas, quotes and a newline inside a value
        data = arsip.to_bytes(a, oleh="uji")
        with connection.cursor() as cur:
            cur.execute(f"SELECT app || '.' || name FROM \"{a.schema_name}\".django_migrations")
            migrations = {r[0] for r in cur.fetchall()}
        return data, _db_tables(a.schema_name), migrations

    data, tables, migrations = committed(body)
    zf = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(zf.read("manifest.json"))
    # the village, its schema version, every table of its schema
    assert manifest["desa"]["kode"] == a.kode and manifest["desa"]["nama"] == a.nama
    assert set(manifest["skema"]["migrasi"]) == migrations and migrations
    assert {t["nama"] for t in manifest["tabel"]} == set(tables)
    assert set(zf.namelist()) == {"manifest.json", "BACA-SAYA.txt", *(t["berkas"] for t in manifest["tabel"])}
    for entry in manifest["tabel"]:
        raw = zf.read(entry["berkas"])
        # each file's checksum and row count are what the manifest says, and what the database had
        assert hashlib.sha256(raw).hexdigest() == entry["sha256"]
        rows = list(csv.reader(io.StringIO(raw.decode())))
        assert len(rows) - 1 == entry["baris"] == tables[entry["nama"]], entry["nama"]
    assert manifest["jumlah_baris"] == sum(tables.values())
    overall = "".join(f"{t['berkas']}:{t['sha256']}\n" for t in manifest["tabel"])
    assert hashlib.sha256(overall.encode()).hexdigest() == manifest["checksum"]
    assert arsip.verify(io.BytesIO(data)) == manifest
    # personal data is included: it is the village's own data
    penduduk = zf.read("tabel/penduduk_penduduk.csv").decode()
    assert "1801174106900011" in penduduk
    assert f'"{PREFIX} Arsip, ""Dua""\nbaris"' in penduduk
    # and the export was logged for the province, without personal data
    assert committed(lambda: Aktivitas.objects.filter(village=a, jenis="desa.arsip_data").exists())


def test_archive_page_downloads_for_the_village_operator_only(live: Villages) -> None:
    a = live.a
    url = "/operator/arsip-data/"
    operator = signed_in("operator_a", host_of(a))
    assert operator.get(url).status_code == 200
    response = operator.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(f'attachment; filename="arsip-data-{a.kode}-')
    manifest = arsip.verify(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    assert manifest["desa"]["kode"] == a.kode
    assert manifest["dibuat_oleh"].startswith("operator_a")
    # another village's operator and province staff get the same answer as for a page that does not exist
    for username, home in (("operator_b", host_of(live.b)), ("pmd", "localhost")):
        other = signed_in(username, home)
        assert other.get(url, HTTP_HOST=host_of(a)).status_code == 404
        assert other.post(url, HTTP_HOST=host_of(a)).status_code == 404
