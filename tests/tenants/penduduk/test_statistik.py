"""Statistics of the population register: numbers on a small known data set, query counts, downloads, isolation."""

from __future__ import annotations

import csv
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
from tenants.penduduk.models import Dusun, Keluarga, Penduduk, Rt, RumahTangga, Rw
from tenants.penduduk.statistik import (
    BELUM_MENGISI,
    DEFINISI,
    Rincian,
    SaringanStatus,
    statistik_rincian,
    statistik_semua,
)
from tests.conftest import Villages, host_of, signed_in

TODAY = dt.date(2025, 6, 10)
_serial = itertools.count(1)


def warga(**fields: Any) -> Penduduk:
    """A resident written straight through the ORM: statistics need exact shapes, not validation."""
    n = next(_serial)
    data: dict[str, Any] = {
        "nik": f"180117{n:010d}",
        "nama": f"Warga {n}",
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


def row(rincian: Rincian, label: str) -> tuple[int, int, int]:
    found = next(b for b in rincian.baris if b.label == label)
    return found.laki_laki, found.perempuan, found.jumlah


@pytest.fixture
def desa(in_village_a: Village) -> dict[str, Any]:
    """Two dusun (one with an empty RW), three families, one household, residents with edge values."""
    d1 = Dusun.objects.create(nama="Dusun I")
    d2 = Dusun.objects.create(nama="Dusun II")
    rw1 = Rw.objects.create(dusun=d1, nomor="001")
    Rw.objects.create(dusun=d2, nomor="002")  # no RT, no one lives there
    rt1 = Rt.objects.create(rw=rw1, nomor="001")
    rt2 = Rt.objects.create(rw=rw1, nomor="002")
    k1 = Keluarga.objects.create(no_kk="1801170101200001", rt=rt1)
    k2 = Keluarga.objects.create(no_kk="1801170101200002", rt=rt2)
    k3 = Keluarga.objects.create(no_kk="1801170101200003")  # no RT: counted as "Belum mengisi"
    P = ref.JenisKelamin.PEREMPUAN
    kk = ref.Hubungan.KEPALA_KELUARGA
    # ages on TODAY: 4 (born a day too late for 5), 5 exactly, 74, 75, 90
    a = warga(keluarga=k1, hubungan=kk, rt=rt1, tanggal_lahir=dt.date(1950, 6, 10), agama=ref.Agama.KRISTEN)  # 75
    warga(keluarga=k1, rt=rt1, jenis_kelamin=P, tanggal_lahir=dt.date(2020, 6, 11), pendidikan_sedang=4)  # 4
    warga(keluarga=k1, rt=rt1, jenis_kelamin=P, tanggal_lahir=dt.date(2020, 6, 10))  # 5
    warga(keluarga=k2, hubungan=kk, rt=rt2, jenis_kelamin=P, tanggal_lahir=dt.date(1950, 6, 11))  # 74
    warga(keluarga=k3, hubungan=kk, jenis_kelamin=P, tanggal_lahir=dt.date(1935, 1, 1), warganegara=2)  # 90, no RT
    warga(keluarga=k2, rt=rt2, pekerjaan=999)  # a code outside the list
    warga(rt=rt2, status_dasar=ref.StatusDasar.MATI)  # dead: not counted by default
    warga(rt=rt2, status_dasar=ref.StatusDasar.PINDAH, jenis_kelamin=P)
    rtm = RumahTangga.objects.create(no_rtm="RTM-1", rt=rt1)
    Penduduk.objects.filter(pk=a.pk).update(rumah_tangga=rtm, hubungan_rtm=ref.HubunganRumahTangga.KEPALA)
    return {"rt1": rt1, "rt2": rt2, "d1": d1, "d2": d2}


def test_sex_counts_living_residents_by_default(desa: dict[str, Any]) -> None:
    r = statistik_rincian(kunci="jenis-kelamin", today=TODAY)
    assert row(r, "Laki-laki") == (2, 0, 2)
    assert row(r, "Perempuan") == (0, 4, 4)
    assert r.total.jumlah == 6 and r.total.persen == 100.0
    assert next(b for b in r.baris if b.label == "Laki-laki").persen == 33.33


def test_status_filter_includes_the_others(desa: dict[str, Any]) -> None:
    r = statistik_rincian(kunci="jenis-kelamin", status=SaringanStatus.dari("semua"), today=TODAY)
    assert r.total.jumlah == 8
    mati = statistik_rincian(kunci="jenis-kelamin", status=SaringanStatus.dari("2"), today=TODAY)
    assert mati.total.jumlah == 1


def test_age_groups_at_their_boundaries(desa: dict[str, Any]) -> None:
    r = statistik_rincian(kunci="kelompok-umur", today=TODAY)
    assert row(r, "0-4 tahun") == (0, 1, 1)
    assert row(r, "5-9 tahun") == (0, 1, 1)
    assert row(r, "70-74 tahun") == (0, 1, 1)
    assert row(r, "75 tahun ke atas") == (1, 1, 2)
    assert row(r, "10-14 tahun") == (0, 0, 0)  # zeros are shown
    assert len(r.baris) == 16  # no "Belum mengisi": every resident has a birth date


def test_birth_date_after_today_is_an_unknown_age(desa: dict[str, Any]) -> None:
    warga(tanggal_lahir=TODAY + dt.timedelta(days=1))
    r = statistik_rincian(kunci="kelompok-umur", today=TODAY)
    assert row(r, "Tidak diketahui") == (1, 0, 1)
    assert r.total.jumlah == 7


def test_zeros_unknown_and_empty_values(desa: dict[str, Any]) -> None:
    agama = statistik_rincian(kunci="agama", today=TODAY)
    assert [b.label for b in agama.baris][:7] == [str(label) for _, label in ref.Agama.choices]
    assert row(agama, "Hindu") == (0, 0, 0)
    assert row(agama, "Kristen") == (1, 0, 1)
    pekerjaan = statistik_rincian(kunci="pekerjaan", today=TODAY)
    assert row(pekerjaan, "Tidak diketahui") == (1, 0, 1)
    assert row(pekerjaan, "Petani/Pekebun") == (1, 4, 5)
    sedang = statistik_rincian(kunci="pendidikan-sedang", today=TODAY)
    assert row(sedang, BELUM_MENGISI) == (2, 3, 5)
    assert row(sedang, "Sedang SD/Sederajat") == (0, 1, 1)
    assert sum(b.jumlah for b in sedang.baris) == sedang.total.jumlah == 6


def test_territory_rolls_up_with_zeros(desa: dict[str, Any]) -> None:
    dusun = statistik_rincian(kunci="dusun", today=TODAY)
    assert row(dusun, "Dusun I") == (2, 3, 5)
    assert row(dusun, "Dusun II") == (0, 0, 0)
    assert row(dusun, BELUM_MENGISI) == (0, 1, 1)
    rw = statistik_rincian(kunci="rw", today=TODAY)
    assert row(rw, "Dusun II / RW 002") == (0, 0, 0)
    rt = statistik_rincian(kunci="rt", today=TODAY)
    assert row(rt, "Dusun I / RW 001 / RT 002") == (1, 1, 2)


def test_families_and_households_by_sex_of_the_head(desa: dict[str, Any]) -> None:
    keluarga = statistik_rincian(kunci="keluarga", today=TODAY)
    assert keluarga.total.jumlah == 3
    assert keluarga.total.perempuan == 2  # KK berkepala perempuan
    assert row(keluarga, "Dusun I") == (1, 1, 2)
    assert row(keluarga, BELUM_MENGISI) == (0, 1, 1)
    rtm = statistik_rincian(kunci="rumah-tangga", today=TODAY)
    assert rtm.total.jumlah == 1 and row(rtm, "Dusun I") == (1, 0, 1)


def test_status_dasar_counts_every_status(desa: dict[str, Any]) -> None:
    r = statistik_rincian(kunci="status-dasar", today=TODAY)
    assert row(r, "Mati") == (1, 0, 1)
    assert row(r, "Hidup") == (2, 4, 6)
    assert row(r, "Pindah") == (0, 1, 1)


def test_whole_page_matches_single_breakdowns(desa: dict[str, Any]) -> None:
    semua = {r.kunci: r for r in statistik_semua(today=TODAY)}
    assert set(semua) == set(DEFINISI)
    for kunci in DEFINISI:
        assert semua[kunci].baris == statistik_rincian(kunci=kunci, today=TODAY).baris, kunci


def test_query_counts_are_constant(desa: dict[str, Any]) -> None:
    for kunci, definisi in DEFINISI.items():
        with CaptureQueriesContext(connection) as q:
            statistik_rincian(kunci=kunci, today=TODAY)
        assert len(q) == (2 if definisi.dimensi in {"dusun", "rw", "rt"} else 1), kunci
    with CaptureQueriesContext(connection) as q:
        statistik_semua(today=TODAY)
    assert len(q) == 4


# --- pages, downloads, API ------------------------------------------------------------------------

PAGE = "/operator/statistik/"


def test_whole_page_shows_every_breakdown_with_a_chart_and_a_constant_number_of_queries(
    client_a: Client, desa: dict[str, Any]
) -> None:
    client_a.get(PAGE)  # warm the session and routing caches
    with CaptureQueriesContext(connection) as q:
        r = client_a.get(PAGE)
    assert r.status_code == 200
    html = r.content.decode()
    for definisi in DEFINISI.values():
        assert f'id="{definisi.kunci}"' in html
        assert f'data-chart="#grafik-{definisi.kunci}"' in html
    assert "penduduk berstatus hidup" in html
    assert "<script>" not in html  # CSP: no inline scripts (json_script uses type="application/json")
    baseline = len(q)
    # more residents do not mean more queries
    for _ in range(5):
        warga(rt=desa["rt1"], pekerjaan=ref.Pekerjaan.GURU)
    with CaptureQueriesContext(connection) as q:
        client_a.get(PAGE)
    assert len(q) == baseline


def test_breakdown_page_and_unknown_key(client_a: Client, desa: dict[str, Any]) -> None:
    r = client_a.get(f"{PAGE}rincian/kelompok-umur/?status=semua")
    assert r.status_code == 200
    assert "75 tahun ke atas" in r.content.decode()
    assert "semua penduduk yang pernah tercatat" in r.content.decode()
    assert client_a.get(f"{PAGE}rincian/tidak-ada/").status_code == 404


def test_download_xlsx_is_a_real_workbook(client_a: Client, desa: dict[str, Any]) -> None:
    r = client_a.get(f"{PAGE}unduh/", {"kunci": "agama", "format": "xlsx"})
    assert r.status_code == 200
    assert "attachment" in r["Content-Disposition"] and r["Content-Disposition"].endswith('.xlsx"')
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb["agama"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[4] == ("Kode", "Kategori", "Laki-laki", "Perempuan", "Jumlah", "Persentase (%)")
    assert rows[6][:5] == ("2", "Kristen", 1, 0, 1)
    assert rows[-1][1:5] == ("Jumlah", 2, 4, 6)
    semua = openpyxl.load_workbook(io.BytesIO(client_a.get(f"{PAGE}unduh/", {"format": "xlsx"}).content))
    assert set(semua.sheetnames) == set(DEFINISI)


def test_download_csv_has_indonesian_headers(client_a: Client, desa: dict[str, Any]) -> None:
    r = client_a.get(f"{PAGE}unduh/", {"kunci": "jenis-kelamin", "format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["Kode", "Kategori", "Laki-laki", "Perempuan", "Jumlah", "Persentase (%)"]
    assert rows[1] == ["1", "Laki-laki", "2", "0", "2", "33.33"]
    assert rows[-1] == ["", "Jumlah", "2", "4", "6", "100.00"]
    assert client_a.get(f"{PAGE}unduh/", {"kunci": "semua", "format": "csv"}).status_code == 404
    assert client_a.get(f"{PAGE}unduh/", {"kunci": "agama", "format": "pdf"}).status_code == 404


def test_api_lists_breakdowns_and_returns_rows(client_a: Client, desa: dict[str, Any]) -> None:
    r = client_a.get("/api/penduduk/statistik/")
    assert r.status_code == 200
    assert [x["kunci"] for x in r.json()] == list(DEFINISI)
    r = client_a.get("/api/penduduk/statistik/jenis-kelamin/", {"status": "semua"})
    assert r.status_code == 200
    body = r.json()
    assert body["total"]["jumlah"] == 8
    assert body["baris"][0] == {
        "kode": "1",
        "label": "Laki-laki",
        "laki_laki": 3,
        "perempuan": 0,
        "jumlah": 3,
        "persen": 37.5,
    }
    assert client_a.get("/api/penduduk/statistik/tidak-ada/").status_code == 404


def test_village_b_operator_gets_404_for_village_a_statistics(villages: Villages, desa: dict[str, Any]) -> None:
    operator_b = signed_in("operator_b", host_of(villages.b))
    for path in (
        PAGE,
        f"{PAGE}rincian/agama/",
        f"{PAGE}unduh/?kunci=agama&format=csv",
        f"{PAGE}buku/",
        f"{PAGE}buku/induk/?format=xlsx",
        "/api/penduduk/statistik/agama/",
        "/api/penduduk/statistik/rekap/",
    ):
        r = operator_b.get(path, HTTP_HOST=host_of(villages.a))
        assert r.status_code == 404, path
