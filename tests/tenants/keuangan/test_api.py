"""REST API (operators) and the public open-data API (no sign-in, aggregates only)."""

from __future__ import annotations

import csv
import io

from django.test import Client

from platform_core.tenancy.schemas import village_context
from tenants.keuangan.demo import isi_demo
from tenants.keuangan.models import Transaksi
from tests.conftest import host_of, signed_in


def test_operator_api_flow(client_a):
    r = client_a.post("/api/keuangan/apbdes/", {"tahun": 2026}, content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    baris = client_a.post(
        f"/api/keuangan/apbdes/{pk}/baris/",
        {"kode_rekening": "4.2.1.01", "sumber_dana": "DDS", "jumlah": "500000000"},
        content_type="application/json",
    )
    assert baris.status_code == 201, baris.content
    bad = client_a.post(
        f"/api/keuangan/apbdes/{pk}/baris/",
        {"kode_rekening": "5.2.1.01", "sumber_dana": "DDS", "jumlah": "5"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "kode_kegiatan" in bad.json()["errors"]
    client_a.post(
        f"/api/keuangan/apbdes/{pk}/baris/",
        {"kode_rekening": "5.2.1.01", "kode_kegiatan": "01.01.04", "sumber_dana": "DDS", "jumlah": "500000000"},
        content_type="application/json",
    )
    r = client_a.post(
        f"/api/keuangan/apbdes/{pk}/tetapkan/",
        {"nomor_perdes": "1/2025", "tanggal_penetapan": "2025-12-20"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "ditetapkan"
    detail = client_a.get(f"/api/keuangan/apbdes/{pk}/").json()
    assert detail["total"]["pendapatan"] == "500000000.00" and detail["total"]["silpa"] == "0.00"
    t = client_a.post(
        "/api/keuangan/transaksi/",
        {
            "tanggal": "2026-02-01",
            "kode_rekening": "5.2.1.01",
            "kode_kegiatan": "01.01.04",
            "sumber_dana": "DDS",
            "jumlah": "125000000",
        },
        content_type="application/json",
    )
    assert t.status_code == 201, t.content
    assert client_a.get("/api/keuangan/transaksi/?tahun=2026").json()["count"] == 1
    lap = client_a.get("/api/keuangan/laporan/2026/?per=rekening").json()
    row = next(r for r in lap["baris"] if r["kode"] == "5.2.1.01")
    assert row["persen"] == "25.00" and row["lebih_kurang"] == "-375000000.00"
    years = client_a.get("/api/keuangan/tahun/").json()
    assert years[0]["tahun"] == 2026 and years[0]["realisasi"]["belanja"] == "125000000.00"


def test_api_refuses_kelurahan_with_reason(villages, db):
    client = signed_in("operator_b", host_of(villages.b))
    r = client.get("/api/keuangan/tahun/")
    assert r.status_code == 404 and "Kelurahan tidak memiliki APBDes" in r.json()["detail"]
    r = Client(HTTP_HOST=host_of(villages.b)).get("/api/keuangan/terbuka/")
    assert r.status_code == 404 and "Kelurahan" in r.json()["detail"]


def test_open_data_is_public_and_aggregate(villages, db):
    with village_context(villages.a):
        isi_demo(2024, 2024, 200, 400)
        Transaksi.objects.filter(pk=Transaksi.objects.first().pk).update(uraian="Honor Siti Rahasia 1801171506900003")
    anon = Client(HTTP_HOST=host_of(villages.a))
    index = anon.get("/api/keuangan/terbuka/").json()
    assert index["tahun"] == [2024]
    data = anon.get("/api/keuangan/terbuka/2024/")
    assert data.status_code == 200 and data["Cache-Control"].startswith("public")
    body = data.json()
    assert body["versi"] == "Perubahan" and len(body["per_bidang"]) == 5 and len(body["realisasi_bulanan"]) == 12
    assert "Siti" not in data.content.decode() and "1801171506900003" not in data.content.decode()
    csv_r = anon.get("/api/keuangan/terbuka/2024/csv/")
    rows = list(csv.DictReader(io.StringIO(csv_r.content.decode())))
    assert {r["bagian"] for r in rows} >= {"total", "per_bidang", "per_sumber", "kumulatif_belanja"}
    assert "Siti" not in csv_r.content.decode()
    assert anon.get("/api/keuangan/terbuka/2019/").status_code == 404
    assert anon.get("/api/keuangan/tahun/").status_code in {401, 403}
