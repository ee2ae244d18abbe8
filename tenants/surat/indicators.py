"""Smart-government indicators from layanan surat (registered in SuratConfig.ready()).

One row per village per run (platform_core.facts.services.bersama): letters that became ready this month
(Asia/Jakarta), the median hours from request to ready, and requests of this month by channel. A village
that has never used letters has "belum ada data" (None), not zero. Documentation: docs/indicators.md and
docs/surat.md.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from platform_core.facts.registry import Indikator, Nilai, register
from platform_core.facts.services import bersama
from tenants.surat.models import Permohonan
from tenants.surat.selectors import awal_bulan

PEMICU = ("surat.diajukan", "surat.selesai", "surat.dibatalkan")
SUMBER = "Layanan surat desa (surat_permohonan)"


def _baris() -> dict[str, Any]:
    def hitung() -> dict[str, Any]:
        table = Permohonan._meta.db_table
        sejak = awal_bulan(timezone.localdate())
        with connection.cursor() as cur:
            cur.execute(
                f"""
                SELECT
                  EXISTS (SELECT 1 FROM {table}),
                  COUNT(*) FILTER (WHERE selesai_pada >= %(sejak)s AND status IN ('siap_diambil', 'sudah_diambil')
                                   AND NOT dicabut),
                  percentile_cont(0.5) WITHIN GROUP (
                    ORDER BY EXTRACT(EPOCH FROM (selesai_pada - diajukan_pada)) / 3600.0
                  ) FILTER (WHERE selesai_pada >= %(sejak)s AND status IN ('siap_diambil', 'sudah_diambil')
                            AND NOT dicabut),
                  COUNT(*) FILTER (WHERE diajukan_pada >= %(sejak)s),
                  COUNT(*) FILTER (WHERE diajukan_pada >= %(sejak)s AND kanal IN ('mandiri', 'anjungan'))
                FROM {table}
                WHERE selesai_pada >= %(sejak)s OR diajukan_pada >= %(sejak)s
                """,  # table name from the model
                {"sejak": sejak},
            )
            row = cur.fetchone()
        assert row is not None
        return {"pernah": row[0], "selesai": row[1], "median_jam": row[2], "diajukan": row[3], "mandiri": row[4]}

    return bersama("surat", hitung)


def surat_jumlah() -> Nilai:
    b = _baris()
    if not b["pernah"]:
        return Nilai(None)
    return Nilai(Decimal(b["selesai"]))


def surat_median_jam() -> Nilai:
    b = _baris()
    if b["median_jam"] is None:
        return Nilai(None)
    return Nilai(Decimal(str(round(float(b["median_jam"]), 2))))


def rasio_swalayan() -> Nilai:
    b = _baris()
    if not b["diajukan"]:
        return Nilai(None)
    return Nilai(
        Decimal(b["mandiri"]) / Decimal(b["diajukan"]), pembilang=Decimal(b["mandiri"]), penyebut=Decimal(b["diajukan"])
    )


INDIKATOR = [
    register(Indikator(
        kunci="surat_jumlah", pilar="pemerintahan", label="Surat dilayani", satuan="surat",
        definisi=(
            "Jumlah surat yang selesai (siap diambil atau sudah diambil, tidak dicabut) pada bulan berjalan (WIB). "
            "Belum ada data bila desa belum pernah memakai layanan surat."
        ),
        sumber=SUMBER, pemicu=PEMICU, agregasi="jumlah", hitung=surat_jumlah,
        batas_bawah=Decimal(0), batas_atas=Decimal(100),
    )),
    register(Indikator(
        kunci="surat_median_jam", pilar="pemerintahan", label="Median waktu layanan surat", satuan="jam",
        definisi=(
            "Median jam dari permohonan diajukan sampai surat siap diambil, untuk surat yang selesai pada bulan "
            "berjalan."
        ),
        sumber=SUMBER, pemicu=PEMICU, agregasi="median", hitung=surat_median_jam, arah=-1,
        batas_bawah=Decimal(0), batas_atas=Decimal(72),
    )),
    register(Indikator(
        kunci="rasio_swalayan", pilar="pemerintahan", label="Permohonan mandiri", satuan="rasio",
        definisi=(
            "Bagian permohonan surat bulan berjalan yang diajukan warga sendiri (layanan mandiri atau anjungan), "
            "dibagi semua permohonan bulan berjalan."
        ),
        sumber=SUMBER, pemicu=PEMICU, agregasi="rasio", hitung=rasio_swalayan,
    )),
]  # fmt: skip
