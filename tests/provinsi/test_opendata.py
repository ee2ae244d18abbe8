"""Open data: documented, no sign-in, aggregates only, by period and level, cacheable."""

from __future__ import annotations

import csv
import io
import re

from django.test import Client

from provinsi.opendata import KOLOM
from tests.conftest import Villages, resident_create
from tests.provinsi.fakta import PERIODE, desa_buat, fakta

NIK = "1801171506900011"
KK = "1801170101100011"
NAMA = "Warga Rahasia Bumijaya"


def _csv(response: object) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))  # type: ignore[attr-defined]


def test_data_page_documents_columns_and_indicators(villages: Villages, db: None) -> None:
    html = Client(HTTP_HOST="localhost").get("/data/").content.decode()
    for kolom, _d in KOLOM:
        assert f"<code>{kolom}</code>" in html
    assert "<code>penduduk_jumlah</code>" in html and "<code>rasio_ktp_el</code>" in html
    assert "/data/indikator.csv" in html


def test_csv_and_json_by_level_and_period(villages: Villages, db: None) -> None:
    a, b = desa_buat("18.01.17", 2)
    fakta(a, "penduduk_jumlah", 100)
    fakta(b, "penduduk_jumlah", 50)
    fakta(a, "rasio_ktp_el", 0.5, pembilang=40, penyebut=80)
    fakta(b, "rasio_ktp_el", None)
    client = Client(HTTP_HOST="localhost")
    response = client.get("/data/indikator.csv", {"periode": "2031-01", "tingkat": "kecamatan"})
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"] and "max-age=" in response.headers["Cache-Control"]
    rows = _csv(response)
    assert list(rows[0].keys()) == [k for k, _d in KOLOM]
    candipuro = {r["indikator"]: r for r in rows if r["kode_wilayah"] == "18.01.17"}
    assert candipuro["penduduk_jumlah"]["nilai"] == "150"
    assert candipuro["rasio_ktp_el"]["pembilang"] == "40" and candipuro["rasio_ktp_el"]["penyebut"] == "80"
    assert candipuro["bumdes_jumlah"]["nilai"] == ""  # belum ada data, not 0
    data = client.get("/data/indikator.json", {"periode": "2031-01", "tingkat": "desa"}).json()
    assert data["periode"] == "2031-01" and data["tingkat"] == "desa"
    per_desa = {(r["kode_wilayah"], r["indikator"]): r["nilai"] for r in data["data"]}
    assert per_desa[(a.kode, "penduduk_jumlah")] == 100
    assert per_desa[(b.kode, "rasio_ktp_el")] is None
    # Default period: the latest.
    assert client.get("/data/indikator.json").json()["periode"] == PERIODE.strftime("%Y-%m")
    assert client.get("/data/indikator.csv", {"periode": "2031-13"}).status_code == 400
    assert client.get("/data/indikator.csv", {"periode": "1999-01"}).status_code == 400
    assert client.get("/data/indikator.json", {"tingkat": "rt"}).status_code == 400


def test_open_data_holds_no_personal_data(villages: Villages, in_village_a: object) -> None:
    resident_create(nama=NAMA, nik=NIK, no_kk=KK)
    from platform_core.tenancy import schemas

    schemas.activate(None)
    fakta(villages.a, "penduduk_jumlah", 1)
    client = Client(HTTP_HOST="localhost")
    for tingkat in ("desa", "kecamatan", "kabupaten", "provinsi"):
        for fmt in ("csv", "json"):
            body = client.get(f"/data/indikator.{fmt}", {"tingkat": tingkat}).content.decode()
            assert NAMA not in body and NIK not in body and KK not in body
            assert not re.search(r"\b\d{16}\b", body), (tingkat, fmt)
    cols = {k for k, _d in KOLOM}
    assert not cols & {"nik", "nama", "no_kk", "alamat", "tanggal_lahir"}
