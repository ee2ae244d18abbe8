"""Province indicators of the projects module (registered in PembangunanConfig.ready()).

- laporan_tepat_waktu replaces the placeholder of platform_core/facts/standard.py (same kunci).
- proyek_selesai / proyek_terlambat: counts of projects by derived status.
They run inside the village schema and return counts only. Documentation: docs/indicators.md and
docs/transparansi.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from platform_core.facts.registry import Indikator, Nilai, register
from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import current_schema
from tenants.pembangunan import events
from tenants.pembangunan.models import Proyek, StatusProyek
from tenants.pembangunan.selectors import laporan_semester_1, status_sql

#: The semester-I realisation report is due by this day of July (domain.md: 2nd week of July).
TENGGAT_SEMESTER_1 = (7, 15)


def _kelurahan() -> bool:
    jenis = Village.objects.filter(schema_name=current_schema()).values_list("jenis", flat=True).first()
    return jenis == Village.Jenis.KELURAHAN


def tahun_laporan(today: dt.date) -> int:
    """The year whose semester-I report is the latest one due: this year from 15 July on, else last year."""
    tenggat = dt.date(today.year, *TENGGAT_SEMESTER_1)
    return today.year if today >= tenggat else today.year - 1


def laporan_tepat_waktu(today: dt.date | None = None) -> Nilai:
    """1 when the latest due semester-I report was uploaded by 15 July of its year, 0 when late or missing.
    None for a kelurahan (no APBDes)."""
    if _kelurahan():
        return Nilai(nilai=None)
    today = today or timezone.localdate()
    tahun = tahun_laporan(today)
    tenggat = dt.date(tahun, *TENGGAT_SEMESTER_1)
    laporan = laporan_semester_1(tahun=tahun)
    diunggah = timezone.localdate(laporan.diunggah) if laporan else None
    tepat = diunggah is not None and diunggah <= tenggat
    return Nilai(
        nilai=Decimal(1 if tepat else 0),
        rincian={
            "tahun": tahun,
            "tenggat": tenggat.isoformat(),
            "diunggah": diunggah.isoformat() if diunggah else None,
        },
    )


def _per_status(today: dt.date) -> dict[str, int]:
    rows = Proyek.objects.filter(tahun=today.year).annotate(s=status_sql(today)).values_list("s")
    counts = dict(rows.annotate(n=Count("id")).order_by())
    return {s.value: int(counts.get(s.value, 0)) for s in StatusProyek}


def proyek_selesai() -> Nilai:
    """Projects of the current budget year that are finished (100 %); rincian: every status."""
    per = _per_status(timezone.localdate())
    return Nilai(nilai=Decimal(per[StatusProyek.SELESAI]), rincian=dict(per))


def proyek_terlambat() -> Nilai:
    """Projects of the current budget year past their planned end and not finished."""
    per = _per_status(timezone.localdate())
    return Nilai(nilai=Decimal(per[StatusProyek.TERLAMBAT]), rincian=dict(per))


LAPORAN_TEPAT_WAKTU = register(
    Indikator(
        kunci="laporan_tepat_waktu",
        pilar="pemerintahan",
        label="Laporan tepat waktu",
        satuan="desa",
        definisi=(
            "1 bila laporan realisasi semester I tahun yang terakhir jatuh tempo (tahun ini mulai 15 Juli, "
            "sebelumnya tahun lalu) diunggah ke Balai paling lambat 15 Juli tahun itu; 0 bila terlambat atau "
            "belum ada. Waktu unggah yang dihitung, bukan tanggal yang diketik. Kelurahan: kosong (tanpa APBDes)."
        ),
        sumber="Dokumen desa (modul pembangunan & transparansi), jenis laporan semester I",
        pemicu=(events.DOKUMEN,),
        agregasi="jumlah",
        hitung=laporan_tepat_waktu,
    )
)

PROYEK_SELESAI = register(
    Indikator(
        kunci="proyek_selesai",
        pilar="pemerintahan",
        label="Kegiatan pembangunan selesai",
        satuan="kegiatan",
        definisi="Jumlah kegiatan pembangunan tahun anggaran berjalan yang progresnya sudah 100%.",
        sumber="Kegiatan pembangunan desa (modul pembangunan)",
        pemicu=(events.PROYEK,),
        agregasi="jumlah",
        hitung=proyek_selesai,
    )
)

PROYEK_TERLAMBAT = register(
    Indikator(
        kunci="proyek_terlambat",
        pilar="pemerintahan",
        label="Kegiatan pembangunan terlambat",
        satuan="kegiatan",
        definisi=(
            "Jumlah kegiatan pembangunan tahun anggaran berjalan yang melewati rencana selesai dan progresnya "
            "belum 100% (dihitung ulang tiap malam karena tanggal berjalan)."
        ),
        sumber="Kegiatan pembangunan desa (modul pembangunan)",
        pemicu=(events.PROYEK,),
        agregasi="jumlah",
        hitung=proyek_terlambat,
        arah=-1,
        batas_bawah=Decimal(0),
        batas_atas=Decimal(10),
    )
)
