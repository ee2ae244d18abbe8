"""Province / kabupaten / kecamatan reference (Kemendagri codes). Public schema."""

from __future__ import annotations

from django.db import models


class Provinsi(models.Model):
    kode = models.CharField("kode", max_length=2, primary_key=True)
    nama = models.CharField("nama", max_length=100)

    class Meta:
        verbose_name = "provinsi"
        verbose_name_plural = "provinsi"
        ordering = ["kode"]

    def __str__(self) -> str:
        return self.nama


class Kabupaten(models.Model):
    class Jenis(models.TextChoices):
        KABUPATEN = "kabupaten", "Kabupaten"
        KOTA = "kota", "Kota"

    kode = models.CharField("kode", max_length=5, primary_key=True)
    provinsi = models.ForeignKey(Provinsi, on_delete=models.PROTECT, related_name="kabupaten")
    nama = models.CharField("nama", max_length=100, help_text="Tanpa awalan, mis. 'Lampung Selatan'.")
    jenis = models.CharField("jenis", max_length=10, choices=Jenis.choices)
    # The local word for desa: tiyuh, pekon, kampung ... (domain.md). Data, editable.
    sebutan_desa = models.CharField("sebutan desa", max_length=20, default="desa")

    class Meta:
        verbose_name = "kabupaten/kota"
        verbose_name_plural = "kabupaten/kota"
        ordering = ["kode"]

    def __str__(self) -> str:
        return self.nama_lengkap

    @property
    def nama_lengkap(self) -> str:
        return f"{self.get_jenis_display()} {self.nama}"


class Kecamatan(models.Model):
    kode = models.CharField("kode", max_length=8, primary_key=True)
    kabupaten = models.ForeignKey(Kabupaten, on_delete=models.PROTECT, related_name="kecamatan")
    nama = models.CharField("nama", max_length=100)

    class Meta:
        verbose_name = "kecamatan"
        verbose_name_plural = "kecamatan"
        ordering = ["kode"]

    def __str__(self) -> str:
        return self.nama
