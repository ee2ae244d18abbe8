"""Indicators computed from public-schema tables, and the ones whose data comes with later issues.

Registered from FactsConfig.ready(). Documentation of every indicator: docs/indicators.md.
- kesegaran_hari: days since the village last published a change (StatusDesa.terakhir_aktif).
- operator_aktif_minggu: distinct operators seen working on the village in the last 7 days.
- "belum ada data" placeholders (nilai None) for letters, finance and the village economy: the modules
  that hold that data replace them with a real `hitung` in their own register() call.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from platform_core.facts.models import KehadiranOperator, StatusDesa
from platform_core.facts.registry import Agregasi, Indikator, Nilai, Pilar, register

SEMUA_TOPIK = ("*",)
JENDELA_OPERATOR = dt.timedelta(days=7)


def kesegaran_hari(*, village_id: int) -> Nilai:
    """Whole days between today (Asia/Jakarta) and the village's last published change; None if never."""
    terakhir = StatusDesa.objects.filter(pk=village_id).values_list("terakhir_aktif", flat=True).first()
    if terakhir is None:
        return Nilai(nilai=None)
    hari = (timezone.localdate() - timezone.localdate(terakhir)).days
    return Nilai(nilai=Decimal(max(hari, 0)))


def operator_aktif_minggu(*, village_id: int) -> Nilai:
    """Operators (accounts) seen working on the village in the last 7 days (presence middleware)."""
    sejak = timezone.now() - JENDELA_OPERATOR
    n = KehadiranOperator.objects.filter(village_id=village_id, terakhir_terlihat__gte=sejak).count()
    return Nilai(nilai=Decimal(n))


def belum_ada_data(*, village_id: int) -> Nilai:
    """Placeholder: the module holding this data is not built yet ("belum ada data", not zero)."""
    return Nilai(nilai=None)


KESEGARAN = register(
    Indikator(
        kunci="kesegaran_hari",
        pilar="pemerintahan",
        label="Hari sejak pembaruan terakhir",
        satuan="hari",
        definisi=(
            "Jumlah hari penuh antara hari ini (WIB) dan perubahan terakhir yang dicatat desa di Balai "
            "(peristiwa outbox apa pun: penduduk, keluarga, wilayah, surat, anggaran ...). Kosong bila desa "
            "belum pernah mencatat apa pun."
        ),
        sumber="StatusDesa.terakhir_aktif (waktu peristiwa outbox terbaru yang sudah diproses)",
        pemicu=SEMUA_TOPIK,
        agregasi="rata",
        hitung=kesegaran_hari,  # type: ignore[arg-type]  # public indicators take village_id
        skema="public",
        arah=-1,
        batas_bawah=Decimal(0),
        batas_atas=Decimal(30),
    )
)

OPERATOR_AKTIF = register(
    Indikator(
        kunci="operator_aktif_minggu",
        pilar="pemerintahan",
        label="Operator aktif minggu ini",
        satuan="orang",
        definisi=(
            "Jumlah akun operator berbeda yang membuka halaman desa di Balai dalam 7 hari terakhir "
            "(kehadiran dicatat paling sering sekali per menit per operator dan desa)."
        ),
        sumber="KehadiranOperator (middleware kehadiran)",
        pemicu=SEMUA_TOPIK,
        agregasi="jumlah",
        hitung=operator_aktif_minggu,  # type: ignore[arg-type]
        skema="public",
        arah=1,
        batas_bawah=Decimal(0),
        batas_atas=Decimal(3),
    )
)


def _placeholder(  # noqa: PLR0917  # a table of placeholders, one line each
    kunci: str, pilar: Pilar, label: str, satuan: str, definisi: str, sumber: str, agregasi: Agregasi, arah: int = 1
) -> Indikator:
    return register(
        Indikator(
            kunci=kunci,
            pilar=pilar,
            label=label,
            satuan=satuan,
            definisi=definisi + " Belum ada data: modulnya menyusul.",
            sumber=sumber,
            pemicu=(),
            agregasi=agregasi,
            hitung=belum_ada_data,  # type: ignore[arg-type]
            skema="public",
            arah=arah,
            placeholder=True,
        )
    )


PLACEHOLDERS = [
    _placeholder(
        "surat_jumlah", "pemerintahan", "Surat dilayani", "surat",
        "Jumlah surat yang selesai dilayani pada bulan berjalan.", "Layanan surat (modul surat)", "jumlah",
    ),
    _placeholder(
        "surat_median_jam", "pemerintahan", "Median waktu layanan surat", "jam",
        "Median jam dari permohonan sampai surat siap, bulan berjalan.", "Layanan surat (modul surat)", "median", -1,
    ),
    _placeholder(
        "rasio_swalayan", "pemerintahan", "Permohonan mandiri", "rasio",
        "Bagian permohonan surat yang diajukan warga sendiri (layanan mandiri).", "Layanan surat (modul surat)",
        "rasio",
    ),
    _placeholder(
        "surat_menunggu_camat", "pemerintahan", "Surat menunggu camat", "surat",
        "Jumlah permohonan surat yang diteruskan ke camat (rekomendasi/legalisasi) dan belum selesai.",
        "Layanan surat (modul surat)", "jumlah", 0,
    ),
    _placeholder(
        "apbdes_terbit", "pemerintahan", "APBDes tahun berjalan terbit", "desa",
        "1 bila APBDes tahun berjalan sudah ditetapkan dan dipublikasikan, 0 bila belum.", "Keuangan desa (APBDes)",
        "jumlah",
    ),
    _placeholder(
        "realisasi_persen", "pemerintahan", "Realisasi anggaran", "rasio",
        "Realisasi belanja dibagi anggaran belanja tahun berjalan.", "Keuangan desa (APBDes)", "rasio",
    ),
    _placeholder(
        "laporan_tepat_waktu", "pemerintahan", "Laporan tepat waktu", "desa",
        "1 bila laporan realisasi semester I diunggah paling lambat pertengahan Juli.", "Keuangan desa (laporan)",
        "jumlah",
    ),
    _placeholder(
        "bumdes_jumlah", "ekonomi", "BUMDes", "unit", "Jumlah BUMDes yang tercatat.", "Ekonomi desa (BUMDes)",
        "jumlah",
    ),
    _placeholder(
        "umkm_jumlah", "ekonomi", "UMKM", "unit", "Jumlah UMKM yang tercatat.", "Ekonomi desa (UMKM)", "jumlah",
    ),
    _placeholder(
        "pendapatan_bumdes", "ekonomi", "Pendapatan BUMDes", "rupiah",
        "Pendapatan BUMDes yang tercatat pada tahun berjalan.", "Ekonomi desa (BUMDes)", "jumlah",
    ),
    _placeholder(
        "rasio_dd_bidang04", "ekonomi", "Dana Desa untuk pemberdayaan", "rasio",
        "Bagian belanja Dana Desa pada bidang 04 (pemberdayaan masyarakat).", "Keuangan desa (APBDes)", "rasio",
    ),
]  # fmt: skip
