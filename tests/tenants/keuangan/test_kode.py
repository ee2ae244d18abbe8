"""The code lists: shipped data, and a province override folder that adds, renames and removes codes."""

from __future__ import annotations

import pytest

from tenants.keuangan import kode as kl


@pytest.fixture
def override(tmp_path, settings):
    settings.KEUANGAN_KODE_OVERRIDE = str(tmp_path)
    kl.reset_cache()
    yield tmp_path
    settings.KEUANGAN_KODE_OVERRIDE = None
    kl.reset_cache()


def test_shipped_lists_cover_permendagri_levels():
    rek = kl.rekening()
    assert {"4", "5", "6", "4.2.1.01", "5.3.5.02", "6.2.2.01"} <= set(rek)
    assert rek["4.2.1.01"].nama == "Dana Desa" and rek["4.2.1.01"].tingkat == 4
    assert [k for k in kl.kegiatan() if k.count(".") == 0] == ["01", "02", "03", "04", "05"]
    assert list(kl.sumber_dana())[:3] == ["PAD", "DDS", "ADD"]
    assert kl.alias_sumber_dana()["PBK"] == "BKK" and kl.alias_sumber_dana()["DD"] == "DDS"
    assert kl.induk("5.2.1.01") == ["5", "5.2", "5.2.1", "5.2.1.01"]
    # every obyek and kegiatan has its parents in the list (the report's subtotals need them)
    for code in list(rek) + list(kl.kegiatan()):
        for parent in kl.induk(code)[:-1]:
            assert parent in rek or parent in kl.kegiatan(), (code, parent)


def test_province_override_adds_renames_and_removes(override):
    (override / "sumber_dana.csv").write_text(
        "kode,nama,alias\nDDS,Dana Desa (DD),\nBKP,-,\nCSR,Dana CSR Perusahaan,PRSH\n"
    )
    (override / "kegiatan.csv").write_text("kode,nama\n02.03.99,Pembangunan Jalan Produksi Kebun Kopi\n")
    kl.reset_cache()
    assert kl.nama_sumber("DDS") == "Dana Desa (DD)"
    assert "BKP" not in kl.sumber_dana()
    assert kl.alias_sumber_dana()["PRSH"] == "CSR"
    assert list(kl.sumber_dana())[-1] == "CSR"
    assert kl.nama_kegiatan("02.03.99") == "Pembangunan Jalan Produksi Kebun Kopi"
    assert "4.2.1.01" in kl.rekening()  # a list without an override file stays as shipped
