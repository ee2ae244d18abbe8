"""Village (tenant) and Domain. Public schema."""

from __future__ import annotations

from django.db import models
from django_tenants.models import DomainMixin, TenantMixin

from platform_core.wilayah.models import Kecamatan


class VillageQuerySet(models.QuerySet["Village"]):
    def aktif(self) -> VillageQuerySet:
        """Villages in service now: not being provisioned, not suspended, not retired.

        The province's "quiet villages" alarms and the nightly jobs want these: a suspended
        village cannot write (so it is quiet by decision) and a retired one is closed.
        """
        return self.filter(status=Village.Status.ACTIVE)

    def belum_pensiun(self) -> VillageQuerySet:
        """Everything except retired villages (rankings, lists of villages that still exist)."""
        return self.exclude(status=Village.Status.RETIRED)


class Village(TenantMixin):
    class Jenis(models.TextChoices):
        DESA = "desa", "Desa"
        KELURAHAN = "kelurahan", "Kelurahan"
        DESA_ADAT = "desa_adat", "Desa Adat"

    class Status(models.TextChoices):
        PROVISIONING = "provisioning", "Sedang disiapkan"
        ACTIVE = "active", "Aktif"
        SUSPENDED = "suspended", "Ditangguhkan"
        RETIRED = "retired", "Dipensiunkan"

    kode = models.CharField("kode Kemendagri", max_length=13, unique=True)
    kode_bps = models.CharField("kode BPS", max_length=10, blank=True, default="")
    nama = models.CharField("nama", max_length=100)
    jenis = models.CharField("jenis", max_length=10, choices=Jenis.choices)
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="villages")
    slug = models.SlugField("slug", max_length=63, unique=True)
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VillageQuerySet.as_manager()

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

    @property
    def hanya_baca(self) -> bool:
        """Suspended: every read works, every write is refused (docs/lifecycle.md)."""
        return self.status == self.Status.SUSPENDED

    @property
    def pensiun(self) -> bool:
        """Retired: data kept in the schema, every request answers 410."""
        return self.status == self.Status.RETIRED


class Domain(DomainMixin):
    class Meta:
        verbose_name = "domain"
        verbose_name_plural = "domain"


class RiwayatDesa(models.Model):
    """Append-only log of lifecycle actions (suspend, resume, rename, retire): who, when, why.

    Public schema, one row per action; a database trigger refuses UPDATE and DELETE.
    """

    class Aksi(models.TextChoices):
        TANGGUHKAN = "tangguhkan", "Ditangguhkan"
        AKTIFKAN = "aktifkan", "Diaktifkan kembali"
        GANTI_SLUG = "ganti_slug", "Ganti slug/domain"
        PENSIUNKAN = "pensiunkan", "Dipensiunkan"

    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="riwayat")
    aksi = models.CharField("aksi", max_length=12, choices=Aksi.choices)
    status_sebelum = models.CharField("status sebelum", max_length=12)
    status_sesudah = models.CharField("status sesudah", max_length=12)
    alasan = models.TextField("alasan")
    oleh = models.CharField("oleh", max_length=150, help_text="nama pengguna, atau 'cli:<pengguna OS>'")
    rincian = models.JSONField("rincian", default=dict, blank=True)
    waktu = models.DateTimeField("waktu", auto_now_add=True)

    class Meta:
        verbose_name = "riwayat status desa"
        verbose_name_plural = "riwayat status desa"
        ordering = ["-waktu", "-id"]
        indexes = [models.Index(fields=["village", "-waktu"], name="tenancy_riwayat_village_waktu")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.aksi} {self.waktu:%Y-%m-%d %H:%M}"
