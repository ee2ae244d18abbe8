"""What the portal and the command-center screen read from other modules, through their selectors only.

Finance (tenants.keuangan), letters (tenants.surat) and social assistance may not be built (or merged) yet
in a given deployment: each reader returns None ("belum ada data") when the function it needs is missing,
never an error. Population figures are aggregates of the register (tenants.penduduk.statistik): no name,
NIK or No. KK ever reaches a public page.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def _fungsi(modul: str, nama: str) -> Callable[..., Any] | None:
    try:
        mod = importlib.import_module(modul)
    except ImportError:
        return None
    fn = getattr(mod, nama, None)
    return fn if callable(fn) else None


# --- keuangan ---------------------------------------------------------------------------------------


def tahun_anggaran() -> list[int]:
    fn = _fungsi("tenants.keuangan.selectors", "tahun_tersedia")
    return list(fn()) if fn else []


def ringkasan_apbdes(tahun: int) -> dict[str, Any] | None:
    fn = _fungsi("tenants.keuangan.selectors", "ringkasan_apbdes")
    return fn(tahun) if fn else None


def realisasi_bulanan(tahun: int) -> list[dict[str, Any]]:
    fn = _fungsi("tenants.keuangan.selectors", "realisasi_bulanan")
    return list(fn(tahun)) if fn else []


def keuangan_tersedia() -> bool:
    return _fungsi("tenants.keuangan.selectors", "ringkasan_apbdes") is not None


# --- surat, bansos ----------------------------------------------------------------------------------


def surat_selesai_bulan_ini() -> int | None:
    fn = _fungsi("tenants.surat.selectors", "surat_selesai_bulan_ini")
    return int(fn()) if fn else None


def penerima_blt() -> int | None:
    fn = _fungsi("tenants.bansos.selectors", "penerima_blt_jumlah")
    return int(fn()) if fn else None


# --- penduduk (aggregates only) ---------------------------------------------------------------------

#: Breakdowns shown publicly: general ones only (no health, disability or ID-card status by area).
RINCIAN_PUBLIK = ("jenis-kelamin", "kelompok-umur", "pendidikan-kk", "pekerjaan", "agama", "dusun")


def statistik_penduduk() -> dict[str, Any]:
    """Totals and a few breakdowns [(label, jumlah, laki_laki, perempuan)] of living residents."""
    from tenants.penduduk import selectors as penduduk
    from tenants.penduduk import statistik

    rincian = []
    for kunci in RINCIAN_PUBLIK:
        r = statistik.statistik_rincian(kunci=kunci)
        baris = [(b.label, b.jumlah, b.laki_laki, b.perempuan) for b in r.baris if b.jumlah]
        if kunci == "pekerjaan":
            baris = sorted(baris, key=lambda b: -b[1])[:10]
        rincian.append({"kunci": kunci, "judul": r.judul, "baris": baris, "total": r.total.jumlah})
    return {"penduduk": rincian[0]["total"], "keluarga": penduduk.keluarga_count(), "rincian": rincian}


def jumlah_penduduk() -> dict[str, int]:
    """Living residents and family cards."""
    from tenants.penduduk import selectors as penduduk
    from tenants.penduduk import statistik

    hidup = statistik.statistik_rincian(kunci="jenis-kelamin").total.jumlah
    return {"penduduk": hidup, "keluarga": penduduk.keluarga_count()}
