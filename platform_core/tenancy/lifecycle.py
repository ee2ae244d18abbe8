"""Village lifecycle: suspend, resume, rename slug/domain, retire (docs/lifecycle.md).

Every action runs in one transaction (read-write even on a connection whose session a
suspended village left read-only: `schemas.audit_write`), locks the village row, writes one row to the
append-only `RiwayatDesa` log (who, when, why) and bumps the host-cache generation
when it commits, so every web process sees the change within a second (the process
that made the change at once).

    active ──tangguhkan──▶ suspended ──aktifkan──▶ active
    active|suspended ──pensiunkan──▶ retired ──aktifkan──▶ active
    ganti_slug: active or suspended villages
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from platform_core.tenancy import routing, schemas
from platform_core.tenancy.models import Domain, RiwayatDesa, Village

S = Village.Status
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
HOST_RE = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
ALASAN_MIN = 5


def _alasan(alasan: str) -> str:
    alasan = (alasan or "").strip()
    if len(alasan) < ALASAN_MIN:
        raise ValidationError({"alasan": f"Tuliskan alasannya (minimal {ALASAN_MIN} huruf): dicatat di riwayat desa."})
    return alasan


def _oleh(oleh: str) -> str:
    oleh = (oleh or "").strip()
    if not oleh:
        raise ValidationError({"oleh": "Siapa yang melakukan perubahan ini harus dicatat."})
    return oleh[:150]


def _locked(village: Village) -> Village:
    return Village.objects.select_for_update().get(pk=village.pk)


def _record(
    village: Village, *, aksi: str, sebelum: str, alasan: str, oleh: str, rincian: dict[str, str] | None = None
) -> RiwayatDesa:
    entry = RiwayatDesa.objects.create(
        village=village,
        aksi=aksi,
        status_sebelum=sebelum,
        status_sesudah=village.status,
        alasan=alasan,
        oleh=oleh,
        rincian=rincian or {},
    )
    # Now for this process (and the others within a second); again after commit so nobody
    # caches the old row read between this bump and the commit.
    routing.invalidate()
    transaction.on_commit(routing.invalidate)
    return entry


def _set_status(village: Village, *, status: str, aksi: str, alasan: str, oleh: str) -> RiwayatDesa:
    sebelum = village.status
    village.status = status
    Village.objects.filter(pk=village.pk).update(status=status)
    return _record(village, aksi=aksi, sebelum=sebelum, alasan=alasan, oleh=oleh)


def tangguhkan(*, village: Village, alasan: str, oleh: str) -> RiwayatDesa:
    """Suspend: the village becomes read-only (reads work, every write is refused)."""
    alasan, oleh = _alasan(alasan), _oleh(oleh)
    with schemas.audit_write(), transaction.atomic():
        v = _locked(village)
        if v.status != S.ACTIVE:
            raise ValidationError(f"{v} tidak dapat ditangguhkan: statusnya {v.get_status_display().lower()}.")
        entry = _set_status(v, status=S.SUSPENDED, aksi=RiwayatDesa.Aksi.TANGGUHKAN, alasan=alasan, oleh=oleh)
    village.status = v.status
    return entry


def aktifkan(*, village: Village, alasan: str, oleh: str) -> RiwayatDesa:
    """Resume a suspended village, or bring a retired one back (its data never left the schema)."""
    alasan, oleh = _alasan(alasan), _oleh(oleh)
    with schemas.audit_write(), transaction.atomic():
        v = _locked(village)
        if v.status not in (S.SUSPENDED, S.RETIRED):
            raise ValidationError(f"{v} tidak dapat diaktifkan: statusnya {v.get_status_display().lower()}.")
        entry = _set_status(v, status=S.ACTIVE, aksi=RiwayatDesa.Aksi.AKTIFKAN, alasan=alasan, oleh=oleh)
    village.status = v.status
    return entry


def pensiunkan(*, village: Village, alasan: str, oleh: str) -> RiwayatDesa:
    """Retire: data kept in the schema; the site answers 410, sign-in and tasks are refused."""
    alasan, oleh = _alasan(alasan), _oleh(oleh)
    with schemas.audit_write(), transaction.atomic():
        v = _locked(village)
        if v.status not in (S.ACTIVE, S.SUSPENDED):
            raise ValidationError(f"{v} tidak dapat dipensiunkan: statusnya {v.get_status_display().lower()}.")
        entry = _set_status(v, status=S.RETIRED, aksi=RiwayatDesa.Aksi.PENSIUNKAN, alasan=alasan, oleh=oleh)
    village.status = v.status
    return entry


def ganti_slug(
    *, village: Village, slug: str, alasan: str, oleh: str, domain: str | None = None, base_domain: str | None = None
) -> RiwayatDesa:
    """Rename a village's slug and its primary domain (`<slug>.<BASE_DOMAIN>` unless `domain` is given).

    The new domain becomes primary; every old domain stays as a non-primary Domain row and
    answers with a permanent redirect to the same path on the new one (middleware).
    """
    alasan, oleh = _alasan(alasan), _oleh(oleh)
    slug = (slug or "").strip().lower()
    if not SLUG_RE.match(slug):
        raise ValidationError(
            {
                "slug": "Slug hanya boleh huruf kecil, angka dan tanda hubung (-), 1-63 karakter, "
                "tidak diawali atau diakhiri tanda hubung."
            }
        )
    host = (domain or f"{slug}.{base_domain or settings.BASE_DOMAIN}").strip().lower().rstrip(".")
    if not HOST_RE.match(host):
        raise ValidationError({"domain": f"Nama domain tidak sah: {host}."})
    with schemas.audit_write(), transaction.atomic():
        v = _locked(village)
        if v.status not in (S.ACTIVE, S.SUSPENDED):
            raise ValidationError(f"{v} tidak dapat diganti alamatnya: statusnya {v.get_status_display().lower()}.")
        if Village.objects.filter(slug=slug).exclude(pk=v.pk).exists():
            raise ValidationError({"slug": f"Slug {slug} sudah dipakai desa lain."})
        existing = Domain.objects.filter(domain=host).first()
        if existing is not None and existing.tenant_id != v.pk:
            raise ValidationError({"domain": f"Domain {host} sudah dipakai desa lain."})
        lama = Domain.objects.filter(tenant=v, is_primary=True).values_list("domain", flat=True).first() or ""
        if slug == v.slug and host == lama:
            raise ValidationError({"slug": "Slug dan domain baru sama dengan yang sekarang."})
        slug_lama = v.slug
        v.slug = slug
        Village.objects.filter(pk=v.pk).update(slug=slug)
        # One primary domain per village: the new one. The old ones stay and redirect to it.
        Domain.objects.filter(tenant=v).update(is_primary=False)
        if existing is None:
            Domain.objects.create(domain=host, tenant=v, is_primary=True)
        else:
            Domain.objects.filter(pk=existing.pk).update(is_primary=True)
        entry = _record(
            v,
            aksi=RiwayatDesa.Aksi.GANTI_SLUG,
            sebelum=v.status,
            alasan=alasan,
            oleh=oleh,
            rincian={"slug_lama": slug_lama, "slug_baru": slug, "domain_lama": lama, "domain_baru": host},
        )
    village.slug = v.slug
    return entry


def desa_dari_kode(kode: str) -> Village:
    """The village for a Kemendagri code or a slug, for commands; a clear error otherwise."""
    kode = (kode or "").strip()
    found = Village.objects.filter(kode=kode).first() or Village.objects.filter(slug=kode.lower()).first()
    if found is None:
        raise ValidationError(f"Desa dengan kode atau slug {kode!r} tidak ditemukan.")
    return found


def riwayat(village: Village) -> list[RiwayatDesa]:
    return list(RiwayatDesa.objects.filter(village=village).order_by("-waktu", "-id"))
