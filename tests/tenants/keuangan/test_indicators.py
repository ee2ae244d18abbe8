"""Finance indicators replace their placeholders and compute from the budget in force of the current year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from platform_core.facts import registry
from platform_core.tenancy.schemas import village_context
from tenants.keuangan import services
from tenants.outbox.feed import keterangan

KUNCI = ("apbdes_terbit", "realisasi_persen", "rasio_dd_bidang04", "realisasi_dd_persen", "realisasi_add_persen")


def nilai(kunci: str) -> Decimal | None:
    return registry.get(kunci).hitung().nilai


def test_real_indicators_replace_the_placeholders():
    for kunci in KUNCI:
        ind = registry.get(kunci)
        assert not ind.placeholder and ind.skema == "desa"
        assert "keuangan.apbdes" in ind.pemicu and "keuangan.diimpor" in ind.pemicu
    assert keterangan("keuangan.apbdes", 2) == "2 perubahan APBDes"


def test_values_for_a_hand_made_year(in_village_a):
    tahun = timezone.localdate().year
    assert nilai("apbdes_terbit") == 0
    assert nilai("realisasi_persen") is None
    a = services.apbdes_buat(tahun=tahun)
    for rek, keg, sumber, jumlah in (
        ("4.2.1.01", "", "DDS", 1000),
        ("4.2.3.01", "", "ADD", 400),
        ("5.2.1.07", "04.02.01", "DDS", 250),
        ("5.3.5.02", "02.03.06", "DDS", 750),
        ("5.1.1.01", "01.01.01", "ADD", 400),
    ):
        services.baris_simpan(apbdes=a, kode_rekening=rek, kode_kegiatan=keg, sumber_dana=sumber, jumlah=jumlah)
    services.apbdes_tetapkan(apbdes=a, nomor_perdes="1", tanggal_penetapan=dt.date(tahun - 1, 12, 1))
    services.transaksi_simpan(
        tahun=tahun, tanggal=dt.date(tahun, 1, 1), kode_rekening="5.3.5.02", kode_kegiatan="02.03.06",
        sumber_dana="DDS", jumlah=500,
    )  # fmt: skip
    services.transaksi_simpan(
        tahun=tahun, tanggal=dt.date(tahun, 1, 1), kode_rekening="5.1.1.01", kode_kegiatan="01.01.01",
        sumber_dana="ADD", jumlah=100,
    )  # fmt: skip
    assert nilai("apbdes_terbit") == 1
    assert nilai("realisasi_persen") == Decimal(600) / Decimal(1400)
    assert nilai("realisasi_dd_persen") == Decimal("0.5")
    assert nilai("realisasi_add_persen") == Decimal("0.25")
    assert nilai("rasio_dd_bidang04") == Decimal("0.25")


def test_kelurahan_has_no_finance_values(villages, db):
    with village_context(villages.b):
        assert all(nilai(k) is None for k in KUNCI)
