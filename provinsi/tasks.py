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


KEWAJIBAN = {
    "apbdes_terbit": "APBDes tahun berjalan belum ditetapkan/dipublikasikan",
    "laporan_tepat_waktu": "laporan realisasi semester I belum diunggah (batas 15 Juli)",
}


def kewajiban_terlewat(sekarang: dt.datetime) -> tuple[dict[str, list[tuple[Village, str]]], bool]:
    """{region code (kabupaten and kecamatan): [(village, what it missed)]} from the latest facts of
    each obligation (value 0 = missed; kelurahan have no APBDes), and whether any village has such data
    at all. The semester report counts only after 15 July. One query."""
    from platform_core.facts.models import Fakta

    kunci = ["apbdes_terbit"]
    if (sekarang.month, sekarang.day) > (7, 15):
        kunci.append("laporan_tepat_waktu")
    periode = Fakta.objects.filter(indikator__in=kunci).order_by("-periode").values_list("periode", flat=True).first()
    per_wilayah: dict[str, list[tuple[Village, str]]] = defaultdict(list)
    if periode is None:
        return per_wilayah, False
    baris = (
        Fakta.objects.filter(indikator__in=kunci, periode=periode, nilai__isnull=False)
        .exclude(village__jenis=Village.Jenis.KELURAHAN)
        .select_related("village__kecamatan")
        .order_by("village__kode", "indikator")
    )
    ada_data = False
    for f in baris:
        ada_data = True
        if f.nilai is not None and f.nilai < 1:
            for panjang in (5, 8):
                per_wilayah[f.village.kode[:panjang]].append((f.village, KEWAJIBAN[f.indikator]))
    return per_wilayah, ada_data


def digest_isi(
    *,
    wilayah_nama: str,
    sepi: list[Village],
    sekarang: dt.datetime,
    terlewat: list[tuple[Village, str]] | None = None,
    ada_data_laporan: bool = False,
) -> str:
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
    baris.append("")
    if terlewat:
        baris.append(f"{len(terlewat)} kewajiban desa terlewat:")
        baris += [f"- {v} (Kec. {v.kecamatan.nama}, {v.kode}): {apa}" for v, apa in terlewat]
    elif ada_data_laporan:
        baris.append("Tidak ada laporan atau APBDes yang terlewat.")
    else:
        baris.append("Laporan yang terlambat: belum ada data (belum ada desa yang mencatat APBDes/laporan di Balai).")
    baris += ["", "Buka konsol Balai untuk rinciannya."]
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
        Village.objects.aktif()  # a suspended or retired village is quiet by decision
        .filter(Q(status_fakta__terakhir_aktif__isnull=True) | Q(status_fakta__terakhir_aktif__lt=batas))
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
    terlewat, ada_data = kewajiban_terlewat(sekarang)
    pesan = []
    for role in roles:
        wilayah = nama.get(role.kode_wilayah, role.kode_wilayah)
        daftar = per_wilayah.get(role.kode_wilayah, [])
        lewat = terlewat.get(role.kode_wilayah, [])
        subjek = f"[Balai] Ringkasan mingguan {wilayah}: {len(daftar)} desa sepi, {len(lewat)} kewajiban terlewat"
        isi = digest_isi(
            wilayah_nama=wilayah, sepi=daftar, sekarang=sekarang, terlewat=lewat, ada_data_laporan=ada_data
        )
        pesan.append((subjek, isi, settings.DEFAULT_FROM_EMAIL, [role.user.email]))
    terkirim = send_mass_mail(pesan, fail_silently=False)
    log.info("weekly digest: %s emails to %s roles", terkirim, len(roles))
    return terkirim


@shared_task(name="provinsi.tasks.maintenance_konsol_segarkan", ignore_result=True)
def maintenance_konsol_segarkan(path: str, query: str, user_id: int, bahasa: str) -> bool:
    """Recompute and store one region console page's cached content (provinsi.views `_Konsol.halaman`)
    for the role set of `user_id`, as that user would see it. Sent by a request that found the page
    stale (at most once per BALAI_KONSOL_BASI_DETIK per page); the request itself served the stale page.
    Reads public tables only; False when the user or the page is gone or no longer theirs."""
    from django.http import Http404, HttpRequest, QueryDict
    from django.urls import Resolver404, resolve, set_urlconf
    from django.utils import translation

    from platform_core.accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    try:
        match = resolve(path, urlconf="platform_core.urls_public")
    except Resolver404:
        return False
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or getattr(view_class, "halaman_isi", None) is None:
        return False
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    request.user = user
    request.META["HTTP_HOST"] = settings.BASE_DOMAIN
    view = view_class()
    view.setup(request, *match.args, **match.kwargs)
    set_urlconf("platform_core.urls_public")  # the apex's URLs, as the routing middleware sets them
    try:
        with translation.override(bahasa):
            view.halaman(paksa=True)
    except Http404:
        return False
    finally:
        set_urlconf(None)
    return True
