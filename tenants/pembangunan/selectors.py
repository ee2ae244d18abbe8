"""Reads of the projects module (current village schema), and the public portal's figures.

A project's status is derived (models.status_proyek); in SQL the same rule is `STATUS_SQL`, so lists can
filter and count by status without loading every project.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Case, CharField, Count, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from tenants.pembangunan.models import Dokumen, JenisDokumen, Pengaduan, Progres, Proyek, StatusPengaduan, StatusProyek
from tenants.pembangunan.reference import sumber_dana


def status_sql(today: dt.date) -> Case:
    """The derived status as an SQL expression (the same rule as models.status_proyek)."""
    return Case(
        When(progres_persen__gte=100, then=Value(StatusProyek.SELESAI.value)),
        When(selesai_rencana__lt=today, then=Value(StatusProyek.TERLAMBAT.value)),
        When(progres_tanggal__isnull=False, then=Value(StatusProyek.BERJALAN.value)),
        default=Value(StatusProyek.BELUM_MULAI.value),
        output_field=CharField(),
    )


def proyek_list(
    *, tahun: int | None = None, status: str = "", q: str = "", today: dt.date | None = None
) -> QuerySet[Proyek]:
    today = today or timezone.localdate()
    qs = Proyek.objects.annotate(status_kode=status_sql(today))
    if tahun:
        qs = qs.filter(tahun=tahun)
    if status in StatusProyek.values:
        qs = qs.filter(status_kode=status)
    if q.strip():
        words = q.strip()
        qs = qs.filter(Q(nama__icontains=words) | Q(lokasi__icontains=words) | Q(dusun__icontains=words))
    return qs


def proyek_get(*, pk: int) -> Proyek | None:
    return Proyek.objects.filter(pk=pk).first()


def progres_for(*, proyek: Proyek) -> QuerySet[Progres]:
    return Progres.objects.filter(proyek=proyek).order_by("-tanggal", "-id")


def progres_get(*, pk: int) -> Progres | None:
    return Progres.objects.select_related("proyek").filter(pk=pk).first()


def foto_terbaru(*, proyek_ids: list[int]) -> dict[int, int]:
    """{proyek id: id of its newest progress entry with a photo}, in one query."""
    rows = (
        Progres.objects.filter(proyek_id__in=proyek_ids)
        .exclude(foto_kecil="")
        .order_by("proyek_id", "-tanggal", "-id")
        .distinct("proyek_id")
        .values_list("proyek_id", "id")
    )
    return dict(rows)


def tahun_proyek() -> list[int]:
    return list(Proyek.objects.order_by("-tahun").values_list("tahun", flat=True).distinct())


def ringkasan_proyek(*, tahun: int | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """Counts per derived status, total budget, funding per source and mean progress (one query + a scan
    of the funding maps, which are small)."""
    today = today or timezone.localdate()
    qs = Proyek.objects.all()
    if tahun:
        qs = qs.filter(tahun=tahun)
    per_status = dict(qs.annotate(s=status_sql(today)).values_list("s").annotate(n=Count("id")).order_by())
    agg = qs.aggregate(anggaran=Sum("anggaran"), n=Count("id"), persen=Sum("progres_persen"))
    per_sumber: Counter[str] = Counter()
    for dana in qs.values_list("pendanaan", flat=True):
        for kode, nilai in (dana or {}).items():
            per_sumber[kode] += int(nilai)
    n = agg["n"] or 0
    return {
        "jumlah": n,
        "anggaran": int(agg["anggaran"] or 0),
        "rata_progres": round((agg["persen"] or 0) / n) if n else 0,
        "per_status": [(s.value, s.label, per_status.get(s.value, 0)) for s in StatusProyek],
        "status": {s.value: per_status.get(s.value, 0) for s in StatusProyek},
        "per_sumber": [
            (kode, sumber_dana().get(kode, kode), jumlah) for kode, jumlah in per_sumber.most_common() if jumlah
        ],
    }


def opendata_proyek(*, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every project as open data: what, where, money, schedule, progress, status (no personal data)."""
    today = today or timezone.localdate()
    rows = []
    for p in Proyek.objects.annotate(status_kode=status_sql(today)).order_by("-tahun", "id"):
        rows.append(
            {
                "id": p.pk,
                "tahun": p.tahun,
                "nama": p.nama,
                "bidang": p.bidang,
                "lokasi": p.lokasi,
                "dusun": p.dusun,
                "lat": float(p.lat) if p.lat is not None else None,
                "lng": float(p.lng) if p.lng is not None else None,
                "anggaran": int(p.anggaran),
                **{f"dana_{kode.lower()}": int(p.pendanaan.get(kode, 0)) for kode in sumber_dana()},
                "pelaksana": p.pelaksana,
                "volume": float(p.volume) if p.volume is not None else None,
                "satuan": p.satuan,
                "mulai_rencana": p.mulai_rencana.isoformat(),
                "selesai_rencana": p.selesai_rencana.isoformat(),
                "progres_persen": p.progres_persen,
                "progres_tanggal": p.progres_tanggal.isoformat() if p.progres_tanggal else None,
                "status": p.status_kode,
            }
        )
    return rows


# --- documents --------------------------------------------------------------------------------------


def dokumen_list(*, tahun: int | None = None, jenis: str = "") -> QuerySet[Dokumen]:
    qs = Dokumen.objects.all()
    if tahun:
        qs = qs.filter(tahun=tahun)
    if jenis in JenisDokumen.values:
        qs = qs.filter(jenis=jenis)
    return qs


def dokumen_get(*, pk: int) -> Dokumen | None:
    return Dokumen.objects.filter(pk=pk).first()


def laporan_semester_1(*, tahun: int) -> Dokumen | None:
    """The first semester-I report uploaded for `tahun` (by upload time)."""
    return Dokumen.objects.filter(jenis=JenisDokumen.LAPORAN_SEMESTER_1, tahun=tahun).order_by("diunggah").first()


# --- complaints -------------------------------------------------------------------------------------


def pengaduan_list(*, status: str = "") -> QuerySet[Pengaduan]:
    qs = Pengaduan.objects.all()
    if status in StatusPengaduan.values:
        qs = qs.filter(status=status)
    return qs


def pengaduan_get(*, pk: int) -> Pengaduan | None:
    return Pengaduan.objects.filter(pk=pk).first()


def pengaduan_publik() -> QuerySet[Pengaduan]:
    """Answered complaints the operator left public. Callers show only judul, isi, jawaban and dates."""
    return (
        Pengaduan.objects.filter(status=StatusPengaduan.DIJAWAB, tampil_publik=True)
        .order_by("-dijawab_pada", "-id")
        .only("kode", "judul", "isi", "jawaban", "dibuat", "dijawab_pada")
    )


def pengaduan_by_kode(*, kode: str) -> Pengaduan | None:
    kode = (kode or "").strip().upper()
    if not kode or len(kode) > 12:
        return None
    return (
        Pengaduan.objects.filter(kode=kode).only("kode", "judul", "status", "jawaban", "dibuat", "dijawab_pada").first()
    )


def pengaduan_counts() -> dict[str, int]:
    rows = dict(Pengaduan.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {"baru": rows.get(StatusPengaduan.BARU, 0), "dijawab": rows.get(StatusPengaduan.DIJAWAB, 0)}
