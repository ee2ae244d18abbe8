"""Village (tenant) and Domain. Public schema."""

from __future__ import annotations

from django.db import models
from django_tenants.models import DomainMixin, TenantMixin

from platform_core.wilayah.models import Kecamatan


class Village(TenantMixin):
    class Jenis(models.TextChoices):
        DESA = "desa", "Desa"
        KELURAHAN = "kelurahan", "Kelurahan"
        DESA_ADAT = "desa_adat", "Desa Adat"

    class Status(models.TextChoices):
        PROVISIONING = "provisioning", "Sedang disiapkan"
        ACTIVE = "active", "Aktif"
        SUSPENDED = "suspended", "Ditangguhkan"

    kode = models.CharField("kode Kemendagri", max_length=13, unique=True)
    kode_bps = models.CharField("kode BPS", max_length=10, blank=True, default="")
    nama = models.CharField("nama", max_length=100)
    jenis = models.CharField("jenis", max_length=10, choices=Jenis.choices)
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="villages")
    slug = models.SlugField("slug", max_length=63, unique=True)
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    # Schemas are cloned from the template by provisioning, never created by
    # save(): django-tenants' per-tenant migrate costs seconds each.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = "desa/kelurahan"
        verbose_name_plural = "desa/kelurahan"
        ordering = ["kode"]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.nama}"

    @property
    def kabupaten_kode(self) -> str:
        return self.kode[:5]

    @property
    def kecamatan_kode(self) -> str:
        return self.kode[:8]

    @property
    def sebutan(self) -> str:
        """'Pekon', 'Tiyuh', 'Kelurahan' ... as the kabupaten calls its villages."""
        if self.jenis == self.Jenis.KELURAHAN:
            return "Kelurahan"
        return self.kecamatan.kabupaten.sebutan_desa.capitalize()

    @property
    def is_desa(self) -> bool:
        return self.jenis != self.Jenis.KELURAHAN


class Domain(DomainMixin):
    class Meta:
        verbose_name = "domain"
        verbose_name_plural = "domain"
