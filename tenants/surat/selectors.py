"""Reads of layanan surat (the current village's schema)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from tenants.surat.models import Permohonan, Riwayat, Status, TemplatSurat

SELESAI = (Status.SIAP_DIAMBIL, Status.SUDAH_DIAMBIL)


def template_layanan() -> QuerySet[TemplatSurat]:
    """Active templates; each has kode, nama, isian [{nama, label, wajib}] and dokumen [{kode, label}]."""
    from tenants.surat.services import pasang_templat_bawaan

    pasang_templat_bawaan()
    return TemplatSurat.objects.filter(aktif=True).order_by("nama")


def templat_semua() -> QuerySet[TemplatSurat]:
    from tenants.surat.services import pasang_templat_bawaan

    pasang_templat_bawaan()
    return TemplatSurat.objects.order_by("-aktif", "nama")


def templat_get(*, pk: int) -> TemplatSurat | None:
    return TemplatSurat.objects.filter(pk=pk).first()


def _dengan_label(qs: QuerySet[Permohonan]) -> QuerySet[Permohonan]:
    return qs.select_related("templat")


def permohonan_warga(penduduk_id: int) -> QuerySet[Permohonan]:
    """The resident's own requests, newest first (`get_status_display()` gives the status label)."""
    return _dengan_label(Permohonan.objects.filter(penduduk_id=penduduk_id)).order_by("-diajukan_pada", "-id")


def pdf_untuk_warga(*, permohonan_id: int, penduduk_id: int) -> bytes | None:
    """The PDF of the resident's own letter, only once it is ready (siap/sudah diambil) and not revoked."""
    p = (
        Permohonan.objects.select_related("templat")
        .filter(pk=permohonan_id, penduduk_id=penduduk_id, status__in=SELESAI, dicabut=False)
        .first()
    )
    if p is None:
        return None
    from tenants.surat.pdf import pdf_surat

    return pdf_surat(p)


def surat_selesai_bulan_ini() -> int:
    """Letters that became ready this month (Asia/Jakarta), revoked ones excluded."""
    awal = awal_bulan(timezone.localdate())
    return Permohonan.objects.filter(selesai_pada__gte=awal, status__in=SELESAI, dicabut=False).count()


def awal_bulan(tanggal: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(tanggal.year, tanggal.month, 1))


def permohonan_list(
    *, status: str = "", templat: int | None = None, q: str = "", kanal: str = ""
) -> QuerySet[Permohonan]:
    qs = Permohonan.objects.select_related("templat", "penduduk")
    if status:
        qs = qs.filter(status=status)
    if templat:
        qs = qs.filter(templat_id=templat)
    if kanal:
        qs = qs.filter(kanal=kanal)
    q = q.strip()
    if q:
        if q.isdigit():
            qs = qs.filter(penduduk__nik__startswith=q)
        else:
            qs = qs.filter(penduduk__nama__icontains=q) | qs.filter(nomor__icontains=q)
    return qs.order_by("-diajukan_pada", "-id")


def permohonan_get(*, pk: int) -> Permohonan | None:
    return Permohonan.objects.select_related("templat", "penduduk__keluarga").filter(pk=pk).first()


def jumlah_per_status() -> dict[str, int]:
    counts = dict(Permohonan.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {value: counts.get(value, 0) for value in Status.values}


def riwayat_of(permohonan: Permohonan) -> QuerySet[Riwayat]:
    return Riwayat.objects.filter(permohonan=permohonan).order_by("created_at", "id")


def buku_agenda(*, tahun: int, bulan: int | None = None) -> QuerySet[Permohonan]:
    """Register of letters issued (surat keluar): every numbered letter of the year, by number."""
    qs = Permohonan.objects.select_related("templat", "penduduk").exclude(nomor="").filter(tanggal_surat__year=tahun)
    if bulan:
        qs = qs.filter(tanggal_surat__month=bulan)
    return qs.order_by("tanggal_surat", "nomor_urut", "id")


def verifikasi(token: str) -> dict[str, Any] | None:
    """What the public verification page may show for a token: never NIK, KK or the full name."""
    if not token or len(token) > 64:
        return None
    p = Permohonan.objects.select_related("templat").filter(token=token).exclude(nomor="").first()
    if p is None:
        return None
    cetak = p.cetak or {}
    return {
        "jenis": cetak.get("nama_surat") or p.templat.nama,
        "nomor": p.nomor,
        "tanggal": p.tanggal_surat,
        "berlaku_sampai": p.berlaku_sampai,
        "desa": cetak.get("desa", {}),
        "nama_samaran": cetak.get("nama_samaran", ""),
        "dicabut": p.dicabut or p.status == Status.DIBATALKAN,
        "alasan": p.alasan_batal if p.dicabut else "",
        "sah": p.status in SELESAI and not p.dicabut,
        "belum_ditandatangani": p.status == Status.MENUNGGU_TTD,
        "kedaluwarsa": p.berlaku_sampai is not None and p.berlaku_sampai < timezone.localdate(),
    }
