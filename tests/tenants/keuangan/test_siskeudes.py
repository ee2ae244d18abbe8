"""Siskeudes import: a good export, and the ways a file fails (clear report, nothing written)."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from tenants.keuangan import selectors
from tenants.keuangan.models import Apbdes, BarisAnggaran, ImporSiskeudes, Transaksi
from tenants.keuangan.siskeudes.contoh import Tables, tabel_contoh, tulis_zip
from tenants.keuangan.siskeudes.impor import impor_file, kode_kegiatan_dari, parse_tanggal
from tenants.outbox.models import OutboxEvent

TAHUN = 2024


def _import(tmp_path: Path, tables: Tables, tahun: int = TAHUN) -> ImporSiskeudes:
    return impor_file(tulis_zip(tables, tmp_path / "ekspor.zip"), tahun=tahun)


def _nothing_written() -> None:
    assert not Apbdes.objects.exists()
    assert not BarisAnggaran.objects.exists()
    assert not Transaksi.objects.exists()
    assert not OutboxEvent.objects.filter(topic__startswith="keuangan.").exists()


def _messages(job: ImporSiskeudes) -> str:
    return "\n".join(f"{g['tabel']} {g['baris']} {g['pesan']}" for g in job.laporan["galat"])


def test_good_export_is_imported_with_amendment_and_realisation(in_village_a, tmp_path):
    tables = tabel_contoh(TAHUN, baris=80, transaksi=200)
    job = _import(tmp_path, tables)
    assert job.status == ImporSiskeudes.Status.BERHASIL, _messages(job)
    assert job.persen == 100
    versions = list(Apbdes.objects.filter(tahun=TAHUN).order_by("versi"))
    assert [(v.versi, v.status, v.asal) for v in versions] == [
        (0, "ditetapkan", "siskeudes"),
        (1, "ditetapkan", "siskeudes"),
    ]
    rinci = tables["Ta_RABRinci"][1]
    h = tables["Ta_RABRinci"][0]
    total_awal = sum(Decimal(r[h.index("Anggaran")]) for r in rinci)
    total_pak = sum(Decimal(r[h.index("AnggaranStlhPAK")]) for r in rinci)
    assert sum(b.jumlah for b in versions[0].baris.all()) == total_awal
    assert sum(b.jumlah for b in versions[1].baris.all()) == total_pak

    # realisation = TBP receipts + LS/PBY SPPs + SPJs of UM advances (UM SPPs themselves are not spending)
    def rows(name: str) -> list[dict[str, str]]:
        header, data = tables[name]
        return [dict(zip(header, r, strict=True)) for r in data]

    um = {r["No_SPP"] for r in rows("Ta_SPP") if r["Jn_SPP"] == "UM"}
    expected = (
        sum(Decimal(r["Nilai"]) for r in rows("Ta_TBPRinci"))
        + sum(Decimal(r["Nilai"]) for r in rows("Ta_SPPRinci") if r["No_SPP"] not in um)
        + sum(Decimal(r["Nilai"]) for r in rows("Ta_SPJRinci"))
    )
    assert um and rows("Ta_SPJRinci")
    assert sum(t.jumlah for t in Transaksi.objects.filter(tahun=TAHUN)) == expected
    assert OutboxEvent.objects.filter(topic="keuangan.diimpor").count() == 1
    r = selectors.ringkasan_apbdes(TAHUN)
    assert r is not None and r["versi"] == "Perubahan"
    assert r["belanja"] == sum(b.jumlah for b in versions[1].baris.filter(kode_rekening__startswith="5."))


def test_reimport_replaces_the_year(in_village_a, tmp_path):
    assert _import(tmp_path, tabel_contoh(TAHUN, baris=40, transaksi=60, seed=1)).status == "berhasil"
    kedua = tabel_contoh(TAHUN, baris=50, transaksi=90, seed=2)
    assert _import(tmp_path, kedua).status == "berhasil"
    assert Apbdes.objects.filter(tahun=TAHUN, versi=0).get().baris.count() == len(kedua["Ta_RABRinci"][1])


def test_missing_table_is_reported_and_nothing_written(in_village_a, tmp_path):
    tables = tabel_contoh(TAHUN)
    del tables["Ta_SPJRinci"]
    job = _import(tmp_path, tables)
    assert job.status == ImporSiskeudes.Status.GAGAL
    assert "Tabel Ta_SPJRinci tidak ada di dalam arsip" in _messages(job)
    assert "Tidak ada data yang disimpan" in job.pesan
    _nothing_written()


def test_missing_column_is_reported(in_village_a, tmp_path):
    tables = tabel_contoh(TAHUN)
    header, rows = tables["Ta_RABRinci"]
    i = header.index("AnggaranStlhPAK")
    tables["Ta_RABRinci"] = (header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows])
    job = _import(tmp_path, tables)
    assert job.status == "gagal"
    assert "Kolom AnggaranStlhPAK tidak ada pada tabel Ta_RABRinci" in _messages(job)
    _nothing_written()


def test_wrong_year_is_reported_per_row(in_village_a, tmp_path):
    job = _import(tmp_path, tabel_contoh(2023), tahun=TAHUN)
    assert job.status == "gagal"
    text = _messages(job)
    assert "Ta_RABRinci 2 Tahun anggaran 2023, bukan 2024." in text
    assert "Ta_TBP " in text
    _nothing_written()


def test_unknown_account_kegiatan_and_source_codes(in_village_a, tmp_path):
    tables = tabel_contoh(TAHUN)
    header, rows = tables["Ta_RABRinci"]
    rows[0][header.index("Kd_Rincian")] = "5.9.9.99."
    rows[1][header.index("SumberDana")] = "XYZ"
    belanja = next(i for i, r in enumerate(rows) if r[header.index("Kd_Rincian")].startswith("5.") and i > 1)
    rows[belanja][header.index("Kd_Keg")] = "01.02.09.09.09."
    job = _import(tmp_path, tables)
    assert job.status == "gagal"
    text = _messages(job)
    assert "Ta_RABRinci 2 Kode rekening '5.9.9.99' tidak ada dalam daftar kode rekening" in text
    assert "Ta_RABRinci 3 Sumber dana 'XYZ' tidak dikenal." in text
    assert f"Ta_RABRinci {belanja + 2} Kode kegiatan '09.09.09' tidak ada dalam daftar kegiatan." in text
    _nothing_written()


def test_bad_numbers_and_dates(in_village_a, tmp_path):
    tables = tabel_contoh(TAHUN)
    header, rows = tables["Ta_RABRinci"]
    rows[4][header.index("Anggaran")] = "sejuta"
    h_tbp, tbp = tables["Ta_TBP"]
    tbp[0][h_tbp.index("Tgl_Bukti")] = "31/02/2024"
    job = _import(tmp_path, tables)
    assert job.status == "gagal"
    text = _messages(job)
    assert "Ta_RABRinci 6 Kolom Anggaran berisi 'sejuta', bukan angka." in text
    assert "Ta_TBP 2 Kolom Tgl_Bukti berisi '31/02/2024', bukan tanggal." in text
    _nothing_written()


def test_realisation_without_budget_line_is_refused(in_village_a, tmp_path):
    tables = tabel_contoh(TAHUN)
    h_spp, spp = tables["Ta_SPP"]
    ls = {r[h_spp.index("No_SPP")] for r in spp if r[h_spp.index("Jn_SPP")] == "LS"}
    header, rows = tables["Ta_SPPRinci"]
    row = next(r for r in rows if r[header.index("No_SPP")] in ls)
    row[header.index("Kd_Keg")] = "01.02.05.03.02."  # BLT: a real kegiatan, but not in this budget
    row[header.index("Kd_Rincian")] = "5.4.1.01."
    job = _import(tmp_path, tables)
    assert job.status == "gagal"
    assert "Tidak ada baris anggaran 5.4.1.01 05.03.02" in _messages(job)
    _nothing_written()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"../../etc/Ta_RAB.csv": "x"}, "Nama file tidak aman"),
        ({"/abs/Ta_RAB.csv": "x"}, "Nama file tidak aman"),
        ({"Ta_RAB.csv": "Tahun\n" + "0" * 5_000_000}, "rasio kompresi tidak wajar"),
    ],
)
def test_unsafe_zips_are_refused(in_village_a, tmp_path, members, message):
    path = tmp_path / "jahat.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    job = impor_file(path, tahun=TAHUN)
    assert job.status == "gagal"
    assert message in job.pesan
    _nothing_written()


def test_not_a_zip(in_village_a, tmp_path):
    path = tmp_path / "bukan.zip"
    path.write_bytes(b"Tahun,Kd_Keg\n2024,01\n")
    job = impor_file(path, tahun=TAHUN)
    assert job.status == "gagal" and "bukan arsip .zip" in job.pesan
    _nothing_written()


def test_parsers():
    assert kode_kegiatan_dari("01.02.02.03.06.") == "02.03.06"
    assert kode_kegiatan_dari("01.02.00.00.00.") == ""
    assert parse_tanggal("15/03/2024") == parse_tanggal("2024-03-15 00:00:00")
    assert parse_tanggal("3/15/2024 0:00:00") is not None
    assert parse_tanggal("kemarin") is None
