"""Reads of the population register."""

from __future__ import annotations

from django.db.models import QuerySet

from tenants.penduduk.models import Keluarga, Penduduk


def penduduk_count() -> int:
    return Penduduk.objects.count()


def penduduk_list(*, q: str = "") -> QuerySet[Penduduk]:
    qs = Penduduk.objects.select_related("keluarga").order_by("nama", "id")
    if q:
        qs = qs.filter(nama__icontains=q) | qs.filter(nik__startswith=q)
    return qs


def keluarga_list() -> QuerySet[Keluarga]:
    return Keluarga.objects.prefetch_related("anggota").order_by("no_kk")
