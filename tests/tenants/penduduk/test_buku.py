"""Buku administrasi desa B: each book renders and downloads; the monthly recap adds up."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from platform_core.tenancy.models import Village
from tenants.penduduk import reference as ref
from tenants.penduduk.buku import DAFTAR_BUKU, KATEGORI, Periode, rekap_bulanan
from tenants.penduduk.models import Dusun, Keluarga, Penduduk, Peristiwa, Rt, Rw

BOOKS = "/operator/statistik/buku/"
_serial = itertools.count(1)
J = ref.JenisPeristiwa
S = ref.StatusDasar


def warga(**fields: Any) -> Penduduk:
    n = next(_serial)
    data: dict[str, Any] = {
        "nik": f"180117{n:010d}",
        "nama": f"Warga Buku {n}",
        "hubungan": ref.Hubungan.ANAK,
        "jenis_kelamin": ref.JenisKelamin.LAKI_LAKI,
        "tanggal_lahir": dt.date(1990, 1, 1),
        "agama": ref.Agama.ISLAM,
        "pendidikan_kk": ref.PendidikanKK.TAMAT_SD_SEDERAJAT,
        "pekerjaan": ref.Pekerjaan.PETANI_PEKEBUN,
        "status_kawin": ref.StatusKawin.BELUM_KAWIN,
    }
    data.update(fields)
    return Penduduk.objects.create(**data)


def peristiwa(p: Penduduk, jenis: int, tanggal: dt.date, sebelum: int, sesudah: int, **extra: Any) -> Peristiwa:
    """An event as the register services leave it: the resident's status already follows it."""
    return Peristiwa.objects.create(
        penduduk=p,
        jenis=jenis,
        tanggal_peristiwa=tanggal,
        tanggal_lapor=tanggal,
        status_sebelumnya=sebelum,
        status_sesudahnya=sesudah,
        **extra,
    )


@pytest.fixture
def desa(in_village_a: Village) -> dict[str, Any]:
    """Dusun I (RT 001) and Dusun II (RT 001); events in April, May and June 2025."""
    d1, d2 = Dusun.objects.create(nama="Dusun I"), Dusun.objects.create(nama="Dusun II")
    rt1 = Rt.objects.create(rw=Rw.objects.create(dusun=d1, nomor="001"), nomor="001")
    rt2 = Rt.objects.create(rw=Rw.objects.create(dusun=d2, nomor="001"), nomor="001")
    kk = Keluarga.objects.create(no_kk="1801170101300001", rt=rt1, alamat="Jl. Melati 3")
    P = ref.JenisKelamin.PEREMPUAN
    kepala = warga(nama="Ahmad Kepala", keluarga=kk, hubungan=ref.Hubungan.KEPALA_KELUARGA, rt=rt1, ktp_el=2)
    warga(nama="Siti Istri", keluarga=kk, hubungan=ref.Hubungan.ISTRI, rt=rt1, jenis_kelamin=P)
    warga(rt=rt2)  # lives in Dusun II, no events
    warga(rt=rt2, warganegara=ref.Warganegara.WNA, jenis_kelamin=P)
    bayi = warga(nama="Bayi Mei", keluarga=kk, rt=rt1, jenis_kelamin=P, tanggal_lahir=dt.date(2025, 5, 3))
    peristiwa(bayi, J.LAHIR, dt.date(2025, 5, 3), S.HIDUP, S.HIDUP)
    almarhum = warga(nama="Almarhum Mei", rt=rt1, status_dasar=S.MATI)
    peristiwa(almarhum, J.MATI, dt.date(2025, 5, 20), S.HIDUP, S.MATI)
    pendatang = warga(
        nama="Pendatang Sementara",
        rt=rt2,
        status_penduduk=ref.StatusPenduduk.TIDAK_TETAP,
        alamat_sebelumnya="Metro",
    )
    peristiwa(pendatang, J.DATANG, dt.date(2025, 5, 10), S.HIDUP, S.HIDUP, alamat_asal="Kota Metro", keterangan="Kerja")
    pindah = warga(nama="Pindah Juni", rt=rt2, status_dasar=S.PINDAH)
    peristiwa(
        pindah,
        J.PINDAH_KELUAR,
        dt.date(2025, 6, 2),
        S.HIDUP,
        S.PINDAH,
        tingkat_pindah=3,
        alamat_tujuan="Bandar Lampung",
    )
    lahir_april = warga(rt=rt2, tanggal_lahir=dt.date(2025, 4, 1))
    peristiwa(lahir_april, J.LAHIR, dt.date(2025, 4, 1), S.HIDUP, S.HIDUP)
    return {"kepala": kepala, "kk": kk}


def test_rekap_adds_up_and_months_chain(desa: dict[str, Any]) -> None:
    mei = rekap_bulanan(periode=Periode(tahun=2025, bulan=5))
    dusun = {r.dusun: r for r in mei.baris}
    d1, d2 = dusun["Dusun I"], dusun["Dusun II"]
    # Dusun I: kepala, istri, bayi (lahir Mei) alive now; almarhum died in May.
    assert d1.angka["lahir"]["wni_p"] == 1
    assert d1.angka["mati"]["wni_l"] == 1
    assert d1.angka["awal"] == {"wni_l": 2, "wni_p": 1, "wna_l": 0, "wna_p": 0}
    assert d1.angka["akhir"] == {"wni_l": 1, "wni_p": 2, "wna_l": 0, "wna_p": 0}
    # Dusun II: the one who moved in May arrived; the one who leaves in June is still here at the end of May.
    assert d2.angka["datang"]["wni_l"] == 1
    assert d2.angka["akhir"] == {"wni_l": 4, "wni_p": 0, "wna_l": 0, "wna_p": 1}
    for row in [*mei.baris, mei.total]:
        for k in KATEGORI:
            a = row.angka
            assert a["awal"][k] + a["lahir"][k] + a["datang"][k] - a["mati"][k] - a["pindah"][k] == a["akhir"][k]
    juni = rekap_bulanan(periode=Periode(tahun=2025, bulan=6))
    assert juni.total.angka["awal"] == mei.total.angka["akhir"]
    assert juni.total.angka["pindah"]["wni_l"] == 1
    april = rekap_bulanan(periode=Periode(tahun=2025, bulan=4))
    assert april.total.angka["akhir"] == mei.total.angka["awal"]
    assert mei.total.kk == 1


def test_rekap_uses_a_constant_number_of_queries(desa: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as q:
        rekap_bulanan(periode=Periode(tahun=2025, bulan=5))
    assert len(q) == 4


@pytest.mark.parametrize("kode", list(DAFTAR_BUKU))
def test_each_book_renders_and_downloads(client_a: Client, desa: dict[str, Any], kode: str) -> None:
    query = {"bulan": "5", "tahun": "2025"}
    r = client_a.get(f"{BOOKS}{kode}/", query)
    assert r.status_code == 200
    html = r.content.decode()
    assert DAFTAR_BUKU[kode].judul in html
    assert "size: A4 landscape" in html and "table-header-group" in html
    x = client_a.get(f"{BOOKS}{kode}/", {**query, "format": "xlsx"})
    assert x.status_code == 200
    assert x["Content-Disposition"].startswith("attachment") and ".xlsx" in x["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(x.streaming_content)), read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    assert DAFTAR_BUKU[kode].judul.upper() in str(rows[0][0])
    heading = {str(v) for row in rows[4:6] for v in row if v}
    assert {c.judul for c in DAFTAR_BUKU[kode].kolom} <= heading


def test_book_contents(client_a: Client, desa: dict[str, Any]) -> None:
    induk = client_a.get(f"{BOOKS}induk/").content.decode()
    assert "Ahmad Kepala" in induk and "Almarhum Mei" not in induk  # living residents by default
    assert "Almarhum Mei" in client_a.get(f"{BOOKS}induk/", {"status": "semua"}).content.decode()
    mutasi = client_a.get(f"{BOOKS}mutasi/", {"bulan": "5", "tahun": "2025"}).content.decode()
    assert "Bayi Mei" in mutasi and "Almarhum Mei" in mutasi and "Kota Metro" in mutasi
    assert "Pindah Juni" not in mutasi
    setahun = client_a.get(f"{BOOKS}mutasi/", {"tahun": "2025"}).content.decode()
    assert "Pindah Juni" in setahun and "Bandar Lampung" in setahun
    sementara = client_a.get(f"{BOOKS}sementara/").content.decode()
    assert "Pendatang Sementara" in sementara and "10-05-2025" in sementara and "Kerja" in sementara
    assert "Ahmad Kepala" not in sementara
    ktp = client_a.get(f"{BOOKS}ktp-kk/").content.decode()
    assert ktp.count("1801170101300001") == 1  # the KK number once, on its family's first row
    assert ktp.index("Ahmad Kepala") < ktp.index("Siti Istri")


def test_induk_xlsx_has_one_row_per_resident(client_a: Client, desa: dict[str, Any]) -> None:
    x = client_a.get(f"{BOOKS}induk/", {"format": "xlsx"})
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(x.streaming_content)), read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    data = [r for r in rows[6:] if r and isinstance(r[0], int)]
    assert len(data) == Penduduk.objects.filter(status_dasar=S.HIDUP).count()
    kepala = next(r for r in data if r[1] == "Ahmad Kepala")
    assert kepala[13] == desa["kepala"].nik and kepala[14] == "1801170101300001"


def test_book_index_and_unknown_book(client_a: Client, desa: dict[str, Any]) -> None:
    r = client_a.get(BOOKS)
    assert r.status_code == 200
    for b in DAFTAR_BUKU.values():
        assert f'data-testid="buku-{b.kode}"' in r.content.decode()
    assert client_a.get(f"{BOOKS}tidak-ada/").status_code == 404


def test_rekap_api(client_a: Client, desa: dict[str, Any]) -> None:
    r = client_a.get("/api/penduduk/statistik/rekap/", {"bulan": 5, "tahun": 2025})
    assert r.status_code == 200
    body = r.json()
    assert body["periode"] == "Mei 2025"
    t = body["total"]
    assert (
        t["awal"]["jumlah"] + t["lahir"]["jumlah"] + t["datang"]["jumlah"] - t["mati"]["jumlah"] - t["pindah"]["jumlah"]
        == t["akhir"]["jumlah"]
    )
    bad = client_a.get("/api/penduduk/statistik/rekap/", {"bulan": 13})
    assert bad.status_code == 400
