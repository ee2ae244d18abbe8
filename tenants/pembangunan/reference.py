"""Code lists of the projects module: sources of funds (the Siskeudes codes the finance module uses)."""

from __future__ import annotations

#: Sumber dana: code → label. The same codes as budget lines carry (tenants.keuangan), Siskeudes style.
SUMBER_DANA: dict[str, str] = {
    "DDS": "Dana Desa",
    "ADD": "Alokasi Dana Desa",
    "PAD": "Pendapatan Asli Desa",
    "PBH": "Bagi Hasil Pajak dan Retribusi",
    "PBP": "Bantuan Keuangan Provinsi",
    "PBK": "Bantuan Keuangan Kabupaten/Kota",
    "SWD": "Swadaya Masyarakat",
    "DLL": "Lain-lain",
}


def label_sumber(kode: str) -> str:
    return SUMBER_DANA.get(kode, kode)
