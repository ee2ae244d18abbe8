"""Finance indicators for the province layer (registered in KeuanganConfig.ready()).

They replace the placeholders of the same kunci in platform_core/facts/standard.py. All read one shared
row per village (platform_core.facts.services.bersama): the budget in force of the CURRENT fiscal year
(today's year, Asia/Jakarta; the latest ditetapkan version) and that year's realisation. Kelurahan have
no APBDes: every finance indicator is "belum ada data" (None) there, not zero. Documentation:
docs/keuangan.md ("Indikator").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from platform_core.facts.registry import Indikator, Nilai, register
from platform_core.facts.services import bersama
from tenants.keuangan import events, services
from tenants.keuangan.models import Apbdes, Transaksi

PEMICU = events.SEMUA
SUMBER = "APBDes desa yang berlaku (versi ditetapkan terakhir) tahun anggaran berjalan, dan transaksi realisasinya"
NOL = Decimal(0)


def baris_keuangan() -> dict[str, Any] | None:
    """The shared row, or None in a kelurahan."""
    if services.is_kelurahan():
        return None
    tahun = timezone.localdate().year
    berlaku = Apbdes.objects.filter(tahun=tahun, status=Apbdes.Status.DITETAPKAN).order_by("-versi").first()
    row: dict[str, Any] = {"tahun": tahun, "terbit": berlaku is not None}
    if berlaku is None:
        return row
    belanja = Q(kode_rekening__startswith="5.")
    a = berlaku.baris.aggregate(
        belanja=Sum("jumlah", filter=belanja),
        dds=Sum("jumlah", filter=belanja & Q(sumber_dana="DDS")),
        add=Sum("jumlah", filter=belanja & Q(sumber_dana="ADD")),
        dds_04=Sum("jumlah", filter=belanja & Q(sumber_dana="DDS", kode_kegiatan__startswith="04.")),
    )
    r = Transaksi.objects.filter(tahun=tahun).aggregate(
        belanja=Sum("jumlah", filter=belanja),
        dds=Sum("jumlah", filter=belanja & Q(sumber_dana="DDS")),
        add=Sum("jumlah", filter=belanja & Q(sumber_dana="ADD")),
    )
    row["anggaran"] = {k: v or NOL for k, v in a.items()}
    row["realisasi"] = {k: v or NOL for k, v in r.items()}
    return row


def _row() -> dict[str, Any] | None:
    return bersama("keuangan", baris_keuangan)


def _rasio(pembilang: Decimal, penyebut: Decimal, tahun: int) -> Nilai:
    if not penyebut:
        return Nilai(nilai=None, pembilang=pembilang, penyebut=NOL, rincian={"tahun": tahun})
    return Nilai(nilai=pembilang / penyebut, pembilang=pembilang, penyebut=penyebut, rincian={"tahun": tahun})


def apbdes_terbit() -> Nilai:
    row = _row()
    if row is None:
        return Nilai(nilai=None)
    return Nilai(nilai=Decimal(1 if row["terbit"] else 0), rincian={"tahun": row["tahun"]})


def _realisasi(kunci: str) -> Nilai:
    row = _row()
    if row is None or not row["terbit"]:
        return Nilai(nilai=None)
    return _rasio(row["realisasi"][kunci], row["anggaran"][kunci], row["tahun"])


def realisasi_persen() -> Nilai:
    return _realisasi("belanja")


def realisasi_dd_persen() -> Nilai:
    return _realisasi("dds")


def realisasi_add_persen() -> Nilai:
    return _realisasi("add")


def rasio_dd_bidang04() -> Nilai:
    row = _row()
    if row is None or not row["terbit"]:
        return Nilai(nilai=None)
    return _rasio(row["anggaran"]["dds_04"], row["anggaran"]["dds"], row["tahun"])


INDIKATOR = [
    register(Indikator(
        kunci="apbdes_terbit", pilar="pemerintahan", label="APBDes tahun berjalan terbit", satuan="desa",
        definisi=(
            "1 bila APBDes tahun anggaran berjalan sudah ditetapkan (versi awal atau perubahan), 0 bila belum. "
            "Kelurahan tidak memiliki APBDes: kosong. Agregat wilayah = jumlah desa yang sudah menetapkan."
        ),
        sumber=SUMBER, pemicu=PEMICU, agregasi="jumlah", hitung=apbdes_terbit, arah=1,
    )),
    register(Indikator(
        kunci="realisasi_persen", pilar="pemerintahan", label="Realisasi anggaran", satuan="rasio",
        definisi=(
            "Realisasi belanja (akun 5) tahun berjalan dibagi anggaran belanja APBDes yang berlaku. "
            "Pembilang = realisasi, penyebut = anggaran (rupiah), sehingga agregat = jumlah / jumlah."
        ),
        sumber=SUMBER, pemicu=PEMICU, agregasi="rasio", hitung=realisasi_persen, arah=1,
    )),
    register(Indikator(
        kunci="realisasi_dd_persen", pilar="pemerintahan", label="Realisasi belanja Dana Desa", satuan="rasio",
        definisi=(
            "Realisasi belanja bersumber Dana Desa (DDS) tahun berjalan dibagi anggaran belanja DDS "
            "APBDes yang berlaku."
        ),
        sumber=SUMBER, pemicu=PEMICU, agregasi="rasio", hitung=realisasi_dd_persen, arah=1,
    )),
    register(Indikator(
        kunci="realisasi_add_persen", pilar="pemerintahan", label="Realisasi belanja ADD", satuan="rasio",
        definisi=(
            "Realisasi belanja bersumber Alokasi Dana Desa (ADD) tahun berjalan dibagi anggaran belanja ADD "
            "APBDes yang berlaku."
        ),
        sumber=SUMBER, pemicu=PEMICU, agregasi="rasio", hitung=realisasi_add_persen, arah=1,
    )),
    register(Indikator(
        kunci="rasio_dd_bidang04", pilar="ekonomi", label="Dana Desa untuk pemberdayaan", satuan="rasio",
        definisi=(
            "Bagian anggaran belanja Dana Desa (DDS) pada bidang 04 Pemberdayaan Masyarakat, dari seluruh "
            "anggaran belanja DDS, APBDes berlaku tahun berjalan."
        ),
        sumber=SUMBER, pemicu=PEMICU, agregasi="rasio", hitung=rasio_dd_bidang04, arah=1,
    )),
]  # fmt: skip
