"""Code lists of the projects module: sources of funds are the finance module's (tenants.keuangan.kode,
data/sumber_dana.csv, editable per province), so a project's DDS is the budget's DDS."""

from __future__ import annotations

#: Used only when the finance module is absent from a deployment.
CADANGAN: dict[str, str] = {
    "PAD": "Pendapatan Asli Desa",
    "DDS": "Dana Desa",
    "ADD": "Alokasi Dana Desa",
    "PBH": "Bagi Hasil Pajak dan Retribusi",
    "BKP": "Bantuan Keuangan Provinsi",
    "BKK": "Bantuan Keuangan Kabupaten/Kota",
    "PLL": "Pendapatan Lain-lain",
    "SILPA": "SiLPA Tahun Sebelumnya",
}


def sumber_dana() -> dict[str, str]:
    """Sumber dana code → name, in the finance code list's order."""
    try:
        from tenants.keuangan import kode
    except ImportError:
        return dict(CADANGAN)
    return {k: v.nama for k, v in kode.sumber_dana().items()}


def kode_sumber(teks: str) -> str | None:
    """A code or one of its aliases (DD, PBP, PBK, DLL ...) → the code; None when unknown."""
    teks = (teks or "").strip().upper()
    try:
        from tenants.keuangan import kode
    except ImportError:
        return teks if teks in CADANGAN else None
    return kode.alias_sumber_dana().get(teks)


def label_sumber(kode: str) -> str:
    return sumber_dana().get(kode, kode)
