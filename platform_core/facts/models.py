"""What the province sees of villages (public schema): indicator facts, activity, presence.

Villages publish, the province reads (architecture.md, "How the province sees villages").
Tenant code writes here only through platform_core.facts.services (from the outbox drain);
dashboards in provinsi read only these tables and the public reference tables. No personal
data: numbers per village, counts in `rincian`, never a NIK, name or address.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from platform_core.tenancy.models import Village


class Fakta(models.Model):
    """One indicator value of one village for one period (the fact table)."""

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="fakta")
    indikator = models.CharField(max_length=60)
    # First day of the month the value describes ("as of" for snapshots).
    periode = models.DateField()
    # None = "belum ada data" (absent is not zero; issue 4).
    nilai = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    # Ratios keep their parts so kecamatan/kabupaten/province rollups are exact (sum / sum).
    pembilang = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    penyebut = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    # Aggregate breakdowns only (e.g. an age pyramid {"0-4": {"L": 10, "P": 12}}).
    rincian = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "fakta indikator"
        verbose_name_plural = "fakta indikator"
        constraints = [
            models.UniqueConstraint(fields=["village", "indikator", "periode"], name="fakta_unik"),
        ]
        indexes = [models.Index(fields=["indikator", "periode"], name="fakta_indikator_periode")]

    def __str__(self) -> str:
        return f"{self.indikator} {self.periode:%Y-%m} = {self.nilai}"


class StatusDesa(models.Model):
    """Per-village bookkeeping of the pipeline: last activity, pending outbox, last recompute."""

    village = models.OneToOneField(Village, on_delete=models.CASCADE, primary_key=True, related_name="status_fakta")
    terakhir_aktif = models.DateTimeField(null=True, blank=True, help_text="last change the village published")
    outbox_tertunda_sejak = models.DateTimeField(
        null=True, blank=True, help_text="oldest undrained outbox event; set in the event's transaction"
    )
    terakhir_dihitung = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "status fakta desa"
        verbose_name_plural = "status fakta desa"
        indexes = [
            models.Index(
                fields=["outbox_tertunda_sejak"],
                condition=models.Q(outbox_tertunda_sejak__isnull=False),
                name="statusdesa_tertunda",
            )
        ]

    def __str__(self) -> str:
        return f"{self.village_id}"


class Aktivitas(models.Model):
    """The live feed of what villages do (no personal data: a type and a count)."""

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="aktivitas")
    jenis = models.CharField(max_length=60, help_text="outbox topic, e.g. penduduk.peristiwa")
    keterangan = models.CharField(max_length=200)
    jumlah = models.PositiveIntegerField(default=1)
    waktu = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "aktivitas desa"
        verbose_name_plural = "aktivitas desa"
        ordering = ["-waktu", "-id"]
        indexes = [models.Index(fields=["village", "-waktu"], name="aktivitas_village_waktu")]

    def __str__(self) -> str:
        return f"{self.jenis} {self.waktu:%Y-%m-%d %H:%M}"


class KehadiranOperator(models.Model):
    """When an operator was last seen working on their village (online now / active this week)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="kehadiran")
    terakhir_terlihat = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "kehadiran operator"
        verbose_name_plural = "kehadiran operator"
        constraints = [models.UniqueConstraint(fields=["user", "village"], name="kehadiran_unik")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.village_id}"


class StatusIdm(models.Model):
    """IDM / Indeks Desa status per village and year, imported from a CSV by province staff."""

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="status_idm")
    tahun = models.PositiveSmallIntegerField()
    skor = models.DecimalField(max_digits=6, decimal_places=4)
    status = models.CharField(max_length=30)
    diimpor_pada = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "status IDM"
        verbose_name_plural = "status IDM"
        constraints = [models.UniqueConstraint(fields=["village", "tahun"], name="idm_unik")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.tahun} {self.status}"


class NumerikField(models.DecimalField):  # type: ignore[type-arg]
    """PostgreSQL `numeric` without precision: a stored rollup keeps every digit its aggregate produced,
    so it equals the on-the-fly computation exactly."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_digits", 1000)
        kwargs.setdefault("decimal_places", 500)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def db_type(self, connection: object) -> str:
        return "numeric"


class Ringkasan(models.Model):
    """One indicator rolled up over the villages of one kecamatan, kabupaten or province for one period.

    Materialised from Fakta by platform_core.facts.ringkasan (kept current by the outbox drain and the
    full recompute); the consoles read these few rows instead of the villages' facts.
    """

    tingkat = models.CharField(max_length=10)  # kecamatan, kabupaten, provinsi
    kode = models.CharField(max_length=13)
    indikator = models.CharField(max_length=60)
    periode = models.DateField()
    nilai = NumerikField(null=True, blank=True)  # None = "belum ada data"
    pembilang = NumerikField(null=True, blank=True)
    penyebut = NumerikField(null=True, blank=True)
    dengan_data = models.PositiveIntegerField(default=0, help_text="villages whose value is counted")
    jumlah_desa = models.PositiveIntegerField(default=0, help_text="villages with a fact row")
    diperbarui = models.DateTimeField()

    class Meta:
        verbose_name = "ringkasan indikator"
        verbose_name_plural = "ringkasan indikator"
        constraints = [models.UniqueConstraint(fields=["kode", "indikator", "periode"], name="ringkasan_unik")]
        indexes = [models.Index(fields=["periode", "tingkat", "kode"], name="ringkasan_periode_tingkat")]

    def __str__(self) -> str:
        return f"{self.kode} {self.indikator} {self.periode:%Y-%m} = {self.nilai}"


class Skor(models.Model):
    """Composite score (0..1) per pillar and overall of one village (tingkat "desa") or region (the mean
    of its villages' scores) for one period; materialised with the rollups."""

    tingkat = models.CharField(max_length=10)
    kode = models.CharField(max_length=13)
    periode = models.DateField()
    pemerintahan = models.FloatField(null=True, blank=True)
    ekonomi = models.FloatField(null=True, blank=True)
    masyarakat = models.FloatField(null=True, blank=True)
    total = models.FloatField(null=True, blank=True)
    # village: weighted indicators with a value per pillar; region: villages with a score per pillar
    b_pemerintahan = models.PositiveIntegerField(default=0)
    b_ekonomi = models.PositiveIntegerField(default=0)
    b_masyarakat = models.PositiveIntegerField(default=0)
    diperbarui = models.DateTimeField()

    class Meta:
        verbose_name = "skor gabungan"
        verbose_name_plural = "skor gabungan"
        constraints = [models.UniqueConstraint(fields=["kode", "periode"], name="skor_unik")]
        indexes = [models.Index(fields=["periode", "tingkat", "kode"], name="skor_periode_tingkat")]

    def __str__(self) -> str:
        return f"{self.kode} {self.periode:%Y-%m} = {self.total}"
