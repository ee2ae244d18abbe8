"""Reads of layanan mandiri (credentials; the letters themselves are read through tenants.surat)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tenants.mandiri.models import PinWarga
from tenants.penduduk import reference as ref
from tenants.penduduk import selectors as penduduk_selectors
from tenants.penduduk.models import Penduduk


def pin_warga_sesi(*, penduduk_id: int) -> PinWarga | None:
    """The credential behind a live session or token: it must still have a PIN and a living resident."""
    return (
        PinWarga.objects.select_related("penduduk")
        .filter(penduduk_id=penduduk_id, penduduk__status_dasar=ref.StatusDasar.HIDUP)
        .exclude(pin_hash="")
        .first()
    )


def pin_warga_of(*, penduduk: Penduduk) -> PinWarga | None:
    return PinWarga.objects.filter(penduduk=penduduk).first()


def penduduk_cari(*, q: str, batas: int = 20) -> list[Penduduk]:
    """Residents for the counter page (start of NIK/No. KK or name), with their credential if any."""
    if not q.strip():
        return []
    found = list(penduduk_selectors.penduduk_list(q=q)[:batas])
    rows = {r.penduduk_id: r for r in PinWarga.objects.filter(penduduk_id__in=[p.pk for p in found])}
    for p in found:
        p.pin_status = rows.get(p.pk)  # type: ignore[attr-defined]  # for the template
    return found


def pin_ringkasan() -> dict[str, Any]:
    now = timezone.now()
    return PinWarga.objects.aggregate(
        aktif=Count("id", filter=~Q(pin_hash="") & Q(sekali_pakai=False)),
        sekali_pakai=Count("id", filter=~Q(pin_hash="") & Q(sekali_pakai=True)),
        terkunci=Count("id", filter=Q(terkunci_sampai__gt=now)),
        telepon=Count("id", filter=~Q(telepon_terverifikasi="")),
    )


def pin_warga_daftar() -> QuerySet[PinWarga]:
    return PinWarga.objects.select_related("penduduk").order_by("penduduk__nama")
