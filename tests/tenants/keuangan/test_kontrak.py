"""The selectors the public portal builds on (tenants.keuangan.selectors) and the demo filler."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from tenants.keuangan import selectors
from tenants.keuangan.demo import isi_demo
from tenants.keuangan.models import Apbdes, BarisAnggaran, Transaksi


def test_demo_fills_years_and_the_contract_reads_them(in_village_a):
    isi_demo(2023, 2024, 300, 700)
    assert Apbdes.objects.filter(tahun=2023, versi=1).exists()  # past years are amended
    assert BarisAnggaran.objects.filter(apbdes__tahun=2024, apbdes__versi=0).count() == 300
    assert Transaksi.objects.filter(tahun=2024).count() > 600
    assert selectors.tahun_tersedia() == [2024, 2023]

    r = selectors.ringkasan_apbdes(2024)
    assert r is not None
    assert r["tahun"] == 2024 and r["versi"] == "Perubahan"
    for key in (
        "pendapatan",
        "belanja",
        "pembiayaan_penerimaan",
        "pembiayaan_pengeluaran",
        "surplus_defisit",
        "realisasi_pendapatan",
        "realisasi_belanja",
    ):
        assert isinstance(r[key], Decimal), key
    # a balanced budget: surplus/defisit covered by net financing
    assert r["surplus_defisit"] + r["pembiayaan_penerimaan"] - r["pembiayaan_pengeluaran"] == 0
    assert [b["kode"] for b in r["per_bidang"]] == ["01", "02", "03", "04", "05"]
    assert sum(b["anggaran"] for b in r["per_bidang"]) == r["belanja"]
    assert sum(s["anggaran"] for s in r["per_sumber"]) == r["belanja"]
    assert {"kode", "nama", "anggaran", "realisasi", "persen"} <= set(r["per_sumber"][0])
    assert isinstance(r["diperbarui"], dt.datetime)
    assert 0 < r["realisasi_belanja"] <= r["belanja"]

    bulanan = selectors.realisasi_bulanan(2024)
    assert [m["bulan"] for m in bulanan] == list(range(1, 13))
    assert bulanan[-1]["belanja"] == r["realisasi_belanja"]
    assert all(a["belanja"] <= b["belanja"] for a, b in itertools.pairwise(bulanan))

    assert selectors.ringkasan_apbdes(2019) is None
    isi_demo(2022, 1, 50, 60)  # a small number is a count of years
    assert 2022 in selectors.tahun_tersedia()


def test_demo_command(villages, db):
    from django.core.management import call_command

    from platform_core.tenancy.schemas import village_context

    call_command("keuangan_demo", village=villages.a.kode, tahun_awal=2024, tahun=2024, baris=40, transaksi=50)
    call_command("keuangan_demo", village=villages.b.slug)  # a kelurahan: skipped
    with village_context(villages.a):
        assert selectors.tahun_tersedia() == [2024]
    with village_context(villages.b):
        assert not Apbdes.objects.exists()
