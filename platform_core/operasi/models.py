"""Operations state in `public`: where every village schema stands in the migration history.

`MigrasiDesa` is one row per village, written in the same transaction as the village's DDL,
so it never disagrees with the schema. `MigrasiUnit` is the SQL of each tenant migration,
captured once on the template schema and replayed in every village (platform_core.tenancy.migrasi).
"""

from __future__ import annotations

from django.db import models


class MigrasiDesa(models.Model):
    class Status(models.TextChoices):
        OK = "ok", "Berhasil"
        GAGAL = "gagal", "Gagal"

    # No database-level FK into the tenancy tables: rows are written by raw SQL from the
    # migration workers and provisioning, and a village removed by hand must not block it.
    village = models.OneToOneField(
        "tenancy.Village",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="migrasi",
    )
    schema_name = models.CharField(max_length=63)
    # md5 of the village's django_migrations rows ("app.name", sorted): equal to the
    # template's when the village is at the target.
    sidik = models.CharField(max_length=32)
    terakhir = models.CharField("migrasi terakhir", max_length=255, blank=True, default="")
    jumlah = models.IntegerField("baris django_migrations", default=0)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OK)
    galat = models.TextField(blank=True, default="")
    mulai = models.DateTimeField(null=True, blank=True)
    selesai = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "status migrasi desa"
        verbose_name_plural = "status migrasi desa"

    def __str__(self) -> str:
        return f"{self.schema_name}: {self.status} ({self.terakhir})"


class MigrasiUnit(models.Model):
    class Cara(models.TextChoices):
        SQL = "sql", "SQL tersimpan"
        STOK = "stok", "Jalur stok Django (per desa)"

    app = models.CharField(max_length=100)
    nama = models.CharField(max_length=255)
    urutan = models.IntegerField()
    cara = models.CharField(max_length=4, choices=Cara.choices)
    sql = models.TextField(blank=True, default="")
    baris = models.JSONField(default=list)  # [[app, name], ...] the migration records in django_migrations
    alasan = models.TextField(blank=True, default="")
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "unit migrasi desa"
        verbose_name_plural = "unit migrasi desa"
        ordering = ["urutan"]
        constraints = [models.UniqueConstraint(fields=["app", "nama"], name="operasi_unit_app_nama_uniq")]

    def __str__(self) -> str:
        return f"{self.app}.{self.nama} ({self.cara})"
