"""Rollups, composite score, freshness: hand-built facts against hand-computed numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from provinsi import selectors as sel
from tests.conftest import Villages
from tests.provinsi.fakta import PERIODE, aktif, desa_buat, fakta

CANDIPURO = "18.01.17"
LAMSEL = "18.01"


@pytest.fixture
def tiga(villages: Villages, db: None) -> list:  # type: ignore[type-arg]
    return desa_buat(CANDIPURO, 3)


def test_jumlah_rolls_up_to_the_sum_of_its_parts(tiga: list, villages: Villages) -> None:  # type: ignore[type-arg]
    a, b, c = tiga
    fakta(a, "penduduk_jumlah", 100)
    fakta(b, "penduduk_jumlah", 250)
    fakta(c, "penduduk_jumlah", None)  # belum ada data: left out, not zero
    fakta(villages.b, "penduduk_jumlah", 1000)  # another kabupaten
    kec = sel.rollup(periode=PERIODE, tingkat="kecamatan", wilayah=LAMSEL)[CANDIPURO]["penduduk_jumlah"]
    assert kec.nilai == Decimal(350)
    assert kec.desa_berdata == 2
    kab = sel.rollup(periode=PERIODE, tingkat="kabupaten", wilayah="18")
    assert kab[LAMSEL]["penduduk_jumlah"].nilai == Decimal(350)
    assert kab["18.71"]["penduduk_jumlah"].nilai == Decimal(1000)
    prov = sel.rollup(periode=PERIODE, tingkat="provinsi", wilayah="18")["18"]["penduduk_jumlah"]
    assert prov.nilai == sum(r["penduduk_jumlah"].nilai for r in kab.values())
    desa = sel.rollup(periode=PERIODE, tingkat="desa", wilayah=CANDIPURO)
    assert desa[a.kode]["penduduk_jumlah"].nilai == Decimal(100)
    assert desa[c.kode]["penduduk_jumlah"].nilai is None


def test_rasio_is_sum_of_numerators_over_sum_of_denominators(tiga: list) -> None:  # type: ignore[type-arg]
    a, b, c = tiga
    # Village ratios 0.5 and 0.9: a mean of ratios would say 0.7; the region's ratio is 95/150.
    fakta(a, "rasio_ktp_el", 0.5, pembilang=50, penyebut=100)
    fakta(b, "rasio_ktp_el", 0.9, pembilang=45, penyebut=50)
    fakta(c, "rasio_ktp_el", None, pembilang=None, penyebut=None)
    angka = sel.rollup(periode=PERIODE, tingkat="kecamatan", wilayah=LAMSEL)[CANDIPURO]["rasio_ktp_el"]
    assert angka.pembilang == Decimal(95)
    assert angka.penyebut == Decimal(150)
    assert angka.nilai is not None
    assert abs(angka.nilai - Decimal(95) / Decimal(150)) < Decimal("0.0001")
    # A scaled ratio stays in its unit (L per 100 P).
    fakta(a, "rasio_jenis_kelamin", 110, pembilang=11000, penyebut=100)
    fakta(b, "rasio_jenis_kelamin", 90, pembilang=9000, penyebut=100)
    jk = sel.rollup(periode=PERIODE, tingkat="kecamatan", wilayah=LAMSEL)[CANDIPURO]["rasio_jenis_kelamin"]
    assert jk.nilai == Decimal(100)


def test_null_stays_belum_ada_data(tiga: list) -> None:  # type: ignore[type-arg]
    for v in tiga:
        fakta(v, "bumdes_jumlah", None)
        fakta(v, "rasio_dd_bidang04", None)
        fakta(v, "surat_median_jam", None)
    per = sel.rollup(periode=PERIODE, tingkat="kecamatan", wilayah=LAMSEL)[CANDIPURO]
    assert per["bumdes_jumlah"].nilai is None
    assert per["rasio_dd_bidang04"].nilai is None
    assert per["surat_median_jam"].nilai is None
    assert per["bumdes_jumlah"].desa_berdata == 0


def test_rata_median_and_terbaru(tiga: list) -> None:  # type: ignore[type-arg]
    a = tiga[0]
    for v, hari in zip(tiga, (1, 2, 9), strict=True):
        fakta(v, "kesegaran_hari", hari)
    for v, jam in zip(tiga, (2, 10, 4), strict=True):
        fakta(v, "surat_median_jam", jam)
    fakta(a, "piramida_umur", 10, rincian={"0-4": {"L": 5, "P": 5}})
    per = sel.rollup(periode=PERIODE, tingkat="kecamatan", wilayah=LAMSEL)[CANDIPURO]
    assert per["kesegaran_hari"].nilai == Decimal(4)
    assert per["surat_median_jam"].nilai == Decimal(4)
    assert per["piramida_umur"].nilai is None  # terbaru: not rolled up
    assert sel.rollup(periode=PERIODE, tingkat="desa", wilayah=a.kode)[a.kode]["piramida_umur"].nilai == 10


@override_settings(
    BALAI_SKOR_BOBOT={
        "pemerintahan": {"kesegaran_hari": 1.0, "operator_aktif_minggu": 3.0},
        "masyarakat": {"rasio_ktp_el": 1.0},
    },
    BALAI_SKOR_PILAR_BOBOT={"pemerintahan": 2.0, "ekonomi": 1.0, "masyarakat": 1.0},
)
def test_composite_score_arithmetic(tiga: list) -> None:  # type: ignore[type-arg]
    a, b, c = tiga
    fakta(a, "kesegaran_hari", 15)  # 0..30, less is better: 1 - 0.5 = 0.5
    fakta(a, "operator_aktif_minggu", 6)  # 0..3, clipped: 1.0
    fakta(a, "rasio_ktp_el", 0.8, pembilang=80, penyebut=100)  # 0.8
    fakta(b, "kesegaran_hari", 0)  # one of the pillar's two: "belum ada data", not a score of one number
    fakta(c, "kesegaran_hari", None)  # nothing to score
    skor = {s.kode: s for s in sel.skor_desa(periode=PERIODE, wilayah=CANDIPURO)}
    assert set(skor) == {a.kode, b.kode}
    sa = skor[a.kode]
    assert sa.pilar["pemerintahan"] == pytest.approx((1 * 0.5 + 3 * 1.0) / 4)
    assert sa.pilar["masyarakat"] == pytest.approx(0.8)
    assert sa.pilar["ekonomi"] is None
    assert sa.total == pytest.approx((2 * 0.875 + 1 * 0.8) / 3)
    assert sa.berdata == {"pemerintahan": 2, "ekonomi": 0, "masyarakat": 1}
    sb = skor[b.kode]
    assert sb.pilar["pemerintahan"] is None
    assert sb.berdata["pemerintahan"] == 1
    assert sb.total is None
    wilayah = sel.skor_wilayah(skor.values(), "kecamatan")[CANDIPURO]
    assert wilayah["total"] == pytest.approx(sa.total)  # villages without a score are left out
    top = sel.peringkat(list(skor.values()))
    assert [r.village.kode for r in top["total"]["atas"]] == [a.kode]
    assert [r.village.kode for r in top["total"]["bawah"]] == [a.kode]


def test_freshness_buckets_and_quiet_villages(villages: Villages, db: None) -> None:
    vs = desa_buat(CANDIPURO, 5)
    for v, hari in zip(vs, (0, 3, 20, 45, None), strict=True):
        aktif(v, hari_lalu=hari)
    per = sel.kesegaran(wilayah=CANDIPURO, tingkat="desa")
    assert [next(b for b, n in per[v.kode].items() if n) for v in vs] == [
        "hari_ini",
        "minggu",
        "bulan",
        "lama",
        "belum",
    ]
    sepi, jumlah = sel.desa_sepi(wilayah=CANDIPURO, batas=None)
    assert vs[4] in sepi and vs[3] in sepi and vs[2] not in sepi
    assert sepi.index(vs[4]) < sepi.index(vs[3])  # never active first
    assert jumlah == len(sepi)


def test_time_zone_from_the_province_code() -> None:
    assert sel.zona_waktu("18.01")[0] == "WIB"
    assert sel.zona_waktu("51.71")[0] == "WITA"
    assert sel.zona_waktu("94.01")[0] == "WIT"
    senin_pagi_wib = dt.datetime(2026, 5, 4, 1, 30, tzinfo=dt.UTC)  # 08:30 WIB, 10:30 WIT
    assert sel.jam_kerja("18.01", sekarang=senin_pagi_wib)
    senin_sore = dt.datetime(2026, 5, 4, 6, 30, tzinfo=dt.UTC)  # 13:30 WIB, 15:30 WIT
    assert sel.jam_kerja("18.01", sekarang=senin_sore)
    assert not sel.jam_kerja("94.01", sekarang=senin_sore)
    minggu = dt.datetime(2026, 5, 3, 3, 0, tzinfo=dt.UTC)
    assert not sel.jam_kerja("18.01", sekarang=minggu)


def test_idm_status_thresholds() -> None:
    assert sel.idm_status_dari_skor(Decimal("0.4907")) == "Sangat Tertinggal"
    assert sel.idm_status_dari_skor(Decimal("0.5")) == "Tertinggal"
    assert sel.idm_status_dari_skor(Decimal("0.7")) == "Berkembang"
    assert sel.idm_status_dari_skor(Decimal("0.8")) == "Maju"
    assert sel.idm_status_dari_skor(Decimal("0.9")) == "Mandiri"


def test_suspended_and_retired_villages_raise_no_quiet_alarm(villages: Villages, db: None) -> None:
    from platform_core.tenancy.models import Village

    sepi, tangguh, pensiun = desa_buat(CANDIPURO, 3, nama="Desa Status")
    for v in (sepi, tangguh, pensiun):
        aktif(v, hari_lalu=40)
    Village.objects.filter(pk=tangguh.pk).update(status=Village.Status.SUSPENDED)
    Village.objects.filter(pk=pensiun.pk).update(status=Village.Status.RETIRED)
    daftar, _n = sel.desa_sepi(wilayah=CANDIPURO, batas=None)
    assert sepi in daftar and tangguh not in daftar and pensiun not in daftar
    assert sel.kesegaran(wilayah=CANDIPURO, tingkat="kecamatan")[CANDIPURO]["lama"] >= 1
