"""Province-layer tasks. Names starting with notify_ go to the "notifications" queue."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.utils import timezone

from platform_core.accounts.models import Role
from platform_core.tenancy.models import Village
from platform_core.wilayah.models import Kabupaten, Kecamatan

log = logging.getLogger(__name__)
SEPI_HARI = 7


def digest_isi(*, wilayah_nama: str, sepi: list[Village], sekarang: dt.datetime) -> str:
    """The plain-text digest of one region (aggregates and village names only)."""
    baris = [f"Ringkasan mingguan Balai untuk {wilayah_nama} ({sekarang:%d-%m-%Y}).", ""]
    if sepi:
        baris.append(f"{len(sepi)} desa/kelurahan tanpa aktivitas {SEPI_HARI} hari atau lebih:")
        for v in sepi:
            terakhir = getattr(getattr(v, "status_fakta", None), "terakhir_aktif", None)
            kapan = f"terakhir {timezone.localtime(terakhir):%d-%m-%Y}" if terakhir else "belum pernah"
            baris.append(f"- {v} (Kec. {v.kecamatan.nama}, {v.kode}): {kapan}")
    else:
        baris.append(f"Semua desa/kelurahan aktif dalam {SEPI_HARI} hari terakhir.")
    baris += [
        "",
        "Laporan yang terlambat: belum ada data (tersedia setelah modul keuangan desa berjalan).",
        "",
        "Buka konsol Balai untuk rinciannya.",
    ]
    return "\n".join(baris)


@shared_task(name="provinsi.tasks.notify_weekly_digest")
def notify_weekly_digest() -> int:
    """Email each kecamatan/kabupaten user (with an email address) the villages of their region
    that went quiet (no activity for 7+ days) or missed a report. Returns the emails sent.

    Side effects: sends email through Django's backend; reads only public tables (one query for
    the roles, one for the quiet villages of the whole province).
    """
    sekarang = timezone.now()
    roles = list(
        Role.objects.filter(tingkat__in=[Role.Tingkat.KABUPATEN, Role.Tingkat.KECAMATAN])
        .exclude(user__email="")
        .filter(user__is_active=True)
        .select_related("user")
        .order_by("kode_wilayah", "user_id")
    )
    if not roles:
        return 0
    batas = sekarang - dt.timedelta(days=SEPI_HARI)
    sepi = (
        Village.objects.filter(Q(status_fakta__terakhir_aktif__isnull=True) | Q(status_fakta__terakhir_aktif__lt=batas))
        .select_related("kecamatan__kabupaten", "status_fakta")
        .order_by("kode")
    )
    per_wilayah: dict[str, list[Village]] = defaultdict(list)
    for v in sepi:
        per_wilayah[v.kode[:5]].append(v)
        per_wilayah[v.kode[:8]].append(v)
    nama = {k.kode: k.nama_lengkap for k in Kabupaten.objects.all()}
    nama.update(
        {c.kode: f"Kecamatan {c.nama}" for c in Kecamatan.objects.filter(kode__in=[r.kode_wilayah for r in roles])}
    )
    pesan = []
    for role in roles:
        wilayah = nama.get(role.kode_wilayah, role.kode_wilayah)
        daftar = per_wilayah.get(role.kode_wilayah, [])
        subjek = f"[Balai] Ringkasan mingguan {wilayah}: {len(daftar)} desa sepi"
        isi = digest_isi(wilayah_nama=wilayah, sepi=daftar, sekarang=sekarang)
        pesan.append((subjek, isi, settings.DEFAULT_FROM_EMAIL, [role.user.email]))
    terkirim = send_mass_mail(pesan, fail_silently=False)
    log.info("weekly digest: %s emails to %s roles", terkirim, len(roles))
    return terkirim
