"""Budget arithmetic, amendments and the realisation report against hand-computed figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tenants.keuangan import selectors, services
from tenants.keuangan.models import Apbdes
from tenants.outbox.models import OutboxEvent

D = Decimal
TAHUN = 2025


def _apbdes_kecil() -> Apbdes:
    """A hand-made APBDes 2025:
    pendapatan 4.2.1.01 DDS 800,000,000 + 4.2.3.01 ADD 300,000,000 + 4.1.2.01 PAD 20,000,000 = 1,120,000,000
    belanja   5.1.1.01 01.01.01 ADD 60,000,000 + 5.3.5.02 02.03.06 DDS 500,000,000
              + 5.2.1.07 04.02.01 DDS 250,000,000 + 5.2.2.01 04.02.01 PAD 30,000,000   = 840,000,000
              (+ 5.2.2.01 03.04.03 ADD 240,000,000 in the original, 200,000,000 after amendment)
    pembiayaan 6.1.1.01 SILPA 10,000,000 in, 6.2.2.01 DDS 50,000,000 out.
    """
    a = services.apbdes_buat(tahun=TAHUN)
    lines = [
        ("4.2.1.01", "", "DDS", "800000000"),
        ("4.2.3.01", "", "ADD", "300.000.000"),
        ("4.1.2.01", "", "PAD", "20000000,00"),
        ("5.1.1.01", "01.01.01", "ADD", "60000000"),
        ("5.3.5.02", "02.03.06", "DDS", "500000000"),
        ("5.2.1.07", "04.02.01", "DDS", "250000000"),
        ("5.2.2.01", "04.02.01", "PAD", "30000000"),
        ("5.2.2.01", "03.04.03", "ADD", "240000000"),
        ("6.1.1.01", "", "SILPA", "10000000"),
        ("6.2.2.01", "", "DDS", "50000000"),
    ]
    for rek, keg, sumber, jumlah in lines:
        services.baris_simpan(apbdes=a, kode_rekening=rek, kode_kegiatan=keg, sumber_dana=sumber, jumlah=jumlah)
    return a


def test_totals_are_computed(in_village_a):
    a = _apbdes_kecil()
    t = selectors.total_apbdes(a)
    assert t["pendapatan"] == D("1120000000")
    assert t["belanja"] == D("1080000000")
    assert t["surplus_defisit"] == D("40000000")
    assert t["pembiayaan_penerimaan"] == D("10000000")
    assert t["pembiayaan_pengeluaran"] == D("50000000")
    assert t["pembiayaan_netto"] == D("-40000000")
    assert t["silpa"] == D("0")


def test_draft_is_not_in_force_and_ditetapkan_is_frozen(in_village_a):
    a = _apbdes_kecil()
    assert selectors.apbdes_berlaku(TAHUN) is None
    assert selectors.ringkasan_apbdes(TAHUN) is None
    with pytest.raises(ValidationError, match="Belum ada APBDes 2025 yang ditetapkan"):
        services.transaksi_simpan(
            tahun=TAHUN,
            tanggal=dt.date(TAHUN, 3, 1),
            kode_rekening="4.2.1.01",
            kode_kegiatan="",
            sumber_dana="DDS",
            jumlah=1,
        )
    services.apbdes_tetapkan(apbdes=a, nomor_perdes="1/2024", tanggal_penetapan=dt.date(2024, 12, 20))
    assert selectors.apbdes_berlaku(TAHUN) == a
    assert selectors.tahun_tersedia() == [TAHUN]
    with pytest.raises(ValidationError, match="sudah ditetapkan"):
        services.baris_simpan(apbdes=a, kode_rekening="5.4.1.01", kode_kegiatan="05.01.01", sumber_dana="DDS", jumlah=1)
    assert OutboxEvent.objects.filter(topic="keuangan.apbdes", payload__aksi="ditetapkan").count() == 1


def test_bad_lines_are_refused_with_clear_messages(in_village_a):
    a = services.apbdes_buat(tahun=TAHUN)
    cases = [
        (("5.2", "02.03.06", "DDS", "1"), "bukan tingkat obyek"),
        (("5.9.9.99", "02.03.06", "DDS", "1"), "tidak ada dalam daftar kode rekening"),
        (("5.2.1.01", "", "DDS", "1"), "wajib memiliki kode bidang"),
        (("5.2.1.01", "09.09.09", "DDS", "1"), "tidak ada dalam daftar kegiatan"),
        (("4.2.1.01", "02.03.06", "DDS", "1"), "tidak memakai kode kegiatan"),
        (("4.2.1.01", "", "XYZ", "1"), "Sumber dana 'XYZ' tidak dikenal"),
        (("4.2.1.01", "", "DDS", "satu juta"), "bukan angka rupiah"),
        (("4.2.1.01", "", "DDS", "0"), "lebih dari nol"),
    ]
    for (rek, keg, sumber, jumlah), message in cases:
        with pytest.raises(ValidationError, match=message):
            services.baris_simpan(apbdes=a, kode_rekening=rek, kode_kegiatan=keg, sumber_dana=sumber, jumlah=jumlah)
    assert not a.baris.exists()
    with pytest.raises(ValidationError, match="sudah ada"):
        services.apbdes_buat(tahun=TAHUN)


def _catat(tanggal: dt.date, rek: str, keg: str, sumber: str, jumlah: str) -> None:
    services.transaksi_simpan(
        tahun=TAHUN, tanggal=tanggal, kode_rekening=rek, kode_kegiatan=keg, sumber_dana=sumber, jumlah=jumlah
    )


def _realisasi() -> None:
    """Semester I: DDS 320m + 160m (May), ADD 75m, PAD 5m; belanja 5.1.1.01 30m, 5.3.5.02 200m (June).
    Semester II: DDS 320m (Aug), belanja 5.3.5.02 250m, 5.2.1.07 100m, 5.2.2.01/03.04.03 150m; SiLPA 10m (Jan)."""
    _catat(dt.date(TAHUN, 4, 10), "4.2.1.01", "", "DDS", "320000000")
    _catat(dt.date(TAHUN, 5, 2), "4.2.1.01", "", "DDS", "160000000")
    _catat(dt.date(TAHUN, 3, 1), "4.2.3.01", "", "ADD", "75000000")
    _catat(dt.date(TAHUN, 6, 30), "4.1.2.01", "", "PAD", "5000000")
    _catat(dt.date(TAHUN, 1, 15), "6.1.1.01", "", "SILPA", "10000000")
    _catat(dt.date(TAHUN, 2, 28), "5.1.1.01", "01.01.01", "ADD", "30000000")
    _catat(dt.date(TAHUN, 6, 15), "5.3.5.02", "02.03.06", "DDS", "200000000")
    _catat(dt.date(TAHUN, 8, 20), "4.2.1.01", "", "DDS", "320000000")
    _catat(dt.date(TAHUN, 9, 1), "5.3.5.02", "02.03.06", "DDS", "250000000")
    _catat(dt.date(TAHUN, 10, 1), "5.2.1.07", "04.02.01", "DDS", "100000000")
    _catat(dt.date(TAHUN, 11, 1), "5.2.2.01", "03.04.03", "ADD", "150000000")


def _row(laporan: selectors.Laporan, kode_or_label: str) -> selectors.BarisLaporan:
    return next(r for r in laporan.baris if kode_or_label in (r.kode, r.uraian))


def test_realisation_report_per_account_semester_and_year(in_village_a):
    a = _apbdes_kecil()
    services.apbdes_tetapkan(apbdes=a, nomor_perdes="1/2024", tanggal_penetapan=dt.date(2024, 12, 20))
    _realisasi()

    s1 = selectors.laporan_realisasi(TAHUN, periode="semester1")
    assert _row(s1, "4").realisasi == D("560000000")  # 320 + 160 + 75 + 5
    assert _row(s1, "4.2").realisasi == D("555000000")
    assert _row(s1, "4.2.1.01").anggaran == D("800000000")
    assert _row(s1, "4.2.1.01").realisasi == D("480000000")
    assert _row(s1, "4.2.1.01").selisih == D("-320000000")
    assert _row(s1, "4.2.1.01").persen == D("60.00")
    assert _row(s1, "5").realisasi == D("230000000")
    assert _row(s1, "SURPLUS/(DEFISIT)").realisasi == D("330000000")
    assert _row(s1, "SISA LEBIH/(KURANG) PEMBIAYAAN ANGGARAN (SiLPA)").realisasi == D("340000000")
    assert _row(s1, "JUMLAH PENERIMAAN PEMBIAYAAN").realisasi == D("10000000")

    th = selectors.laporan_realisasi(TAHUN, periode="tahun")
    assert _row(th, "JUMLAH PENDAPATAN").anggaran == D("1120000000")
    assert _row(th, "JUMLAH PENDAPATAN").realisasi == D("880000000")
    assert _row(th, "JUMLAH BELANJA").realisasi == D("730000000")
    assert _row(th, "5.3").realisasi == D("450000000")
    assert _row(th, "5.3.5.02").persen == D("90.00")
    assert _row(th, "5.2").anggaran == D("520000000")  # 250 + 30 + 240
    assert _row(th, "5.2").realisasi == D("250000000")
    assert _row(th, "SURPLUS/(DEFISIT)").realisasi == D("150000000")
    assert _row(th, "PEMBIAYAAN NETTO").realisasi == D("10000000")
    assert _row(th, "SISA LEBIH/(KURANG) PEMBIAYAAN ANGGARAN (SiLPA)").realisasi == D("160000000")
    assert _row(th, "6.2.2.01").persen == D("0.00")
    # levels: akun 4 at 1, 4.2 at 2, 4.2.1 at 3, 4.2.1.01 at 4; the order is code order with totals in between
    kode = [r.kode or r.uraian for r in th.baris]
    assert (
        kode.index("4") < kode.index("4.1") < kode.index("4.2.1.01") < kode.index("JUMLAH PENDAPATAN") < kode.index("5")
    )


def test_realisation_report_per_bidang(in_village_a):
    a = _apbdes_kecil()
    services.apbdes_tetapkan(apbdes=a, nomor_perdes="1/2024", tanggal_penetapan=dt.date(2024, 12, 20))
    _realisasi()
    lap = selectors.laporan_realisasi(TAHUN, periode="tahun", per="bidang")
    assert _row(lap, "04").anggaran == D("280000000")
    assert _row(lap, "04").realisasi == D("100000000")
    assert _row(lap, "04.02.01").persen == D("35.71")
    assert _row(lap, "02").realisasi == D("450000000")
    assert _row(lap, "JUMLAH BELANJA").anggaran == D("1080000000")
    assert _row(lap, "JUMLAH BELANJA").realisasi == D("730000000")
    per_bidang = selectors.ringkasan_apbdes(TAHUN)["per_bidang"]
    assert [b["kode"] for b in per_bidang] == ["01", "02", "03", "04", "05"]  # all five, even without spending
    assert per_bidang[4]["anggaran"] == 0 and per_bidang[4]["persen"] is None
    s1 = selectors.laporan_realisasi(TAHUN, periode="semester1", per="bidang")
    assert _row(s1, "JUMLAH BELANJA").realisasi == D("230000000")


def test_amendment_replaces_the_original_in_realisation(in_village_a):
    a = _apbdes_kecil()
    services.apbdes_tetapkan(apbdes=a, nomor_perdes="1/2024", tanggal_penetapan=dt.date(2024, 12, 20))
    _realisasi()
    with pytest.raises(ValidationError, match=r"Tidak ada baris anggaran 5\.4\.1\.01"):
        _catat(dt.date(TAHUN, 9, 9), "5.4.1.01", "05.01.01", "DDS", "1000000")

    pak = services.apbdes_perubahan(tahun=TAHUN)
    assert pak.versi == 1 and not pak.ditetapkan and pak.baris.count() == 10
    assert selectors.apbdes_berlaku(TAHUN) == a  # a draft amendment changes nothing yet
    with pytest.raises(ValidationError, match="masih draf"):
        services.apbdes_perubahan(tahun=TAHUN)
    line = pak.baris.get(kode_kegiatan="03.04.03")
    services.baris_simpan(
        apbdes=pak,
        baris=line,
        kode_rekening="5.2.2.01",
        kode_kegiatan="03.04.03",
        sumber_dana="ADD",
        jumlah="200000000",
    )
    services.baris_simpan(
        apbdes=pak, kode_rekening="5.4.1.01", kode_kegiatan="05.01.01", sumber_dana="ADD", jumlah="40000000"
    )
    services.apbdes_tetapkan(apbdes=pak, nomor_perdes="4/2025", tanggal_penetapan=dt.date(TAHUN, 9, 1))

    assert selectors.apbdes_berlaku(TAHUN) == pak
    assert selectors.total_apbdes(a)["belanja"] == D("1080000000")  # the original is kept as it was
    r = selectors.ringkasan_apbdes(TAHUN)
    assert r is not None and r["versi"] == "Perubahan"
    assert r["belanja"] == D("1080000000")  # -40m on 03.04.03, +40m on 05.01.01
    assert r["realisasi_belanja"] == D("730000000")  # realisation untouched
    lap = selectors.laporan_realisasi(TAHUN)
    assert _row(lap, "5.2.2.01").anggaran == D("230000000")  # 30 + 200 (was 30 + 240)
    assert _row(lap, "5.4.1.01").anggaran == D("40000000")
    per_bidang = {b["kode"]: b for b in r["per_bidang"]}
    assert per_bidang["03"]["anggaran"] == D("200000000")
    assert per_bidang["03"]["persen"] == D("75.00")
    assert per_bidang["05"]["anggaran"] == D("40000000") and per_bidang["05"]["persen"] == D("0.00")
    _catat(dt.date(TAHUN, 9, 9), "5.4.1.01", "05.01.01", "ADD", "1000000")  # now there is a line for it
    per_sumber = {s["kode"]: s for s in selectors.ringkasan_apbdes(TAHUN)["per_sumber"]}
    assert per_sumber["DDS"]["anggaran"] == D("750000000")
    assert per_sumber["DDS"]["realisasi"] == D("550000000")
    assert per_sumber["ADD"]["realisasi"] == D("181000000")


def test_transaction_rules(in_village_a):
    a = _apbdes_kecil()
    services.apbdes_tetapkan(apbdes=a, nomor_perdes="1/2024", tanggal_penetapan=dt.date(2024, 12, 20))
    with pytest.raises(ValidationError, match="harus pada tahun anggaran 2025"):
        _catat(dt.date(2024, 12, 31), "4.2.1.01", "", "DDS", "1")
    with pytest.raises(ValidationError, match="lebih dari nol"):
        _catat(dt.date(TAHUN, 1, 2), "4.2.1.01", "", "DDS", "-5")
    _catat(dt.date(TAHUN, 1, 2), "4.2.1.01", "", "dd", "5")  # alias of DDS
    assert selectors.total_realisasi(TAHUN)["pendapatan"] == D("5")
    assert OutboxEvent.objects.filter(topic="keuangan.realisasi").count() == 1
