"""Resident credentials for layanan mandiri (lives in the village schema).

One lean table: a resident's PIN (hashed with Django's password hashers), whether it is a
one-time PIN from the counter, the failure counter and lock, the phone number the operator
verified (the channel for a self-service reset), the pending reset code (hashed) and a session
generation that revokes every session and API token when bumped. No Django User for residents.
"""

from __future__ import annotations

from django.db import models

from tenants.penduduk.models import Penduduk


class PinWarga(models.Model):
    penduduk = models.OneToOneField(
        Penduduk, on_delete=models.CASCADE, related_name="pin_warga", verbose_name="penduduk"
    )
    pin_hash = models.CharField("hash PIN", max_length=128, blank=True, default="")
    sekali_pakai = models.BooleanField(
        "PIN sekali pakai", default=True, help_text="PIN dari loket: warga wajib menggantinya saat pertama masuk."
    )
    gagal = models.PositiveSmallIntegerField("percobaan gagal berturut-turut", default=0)
    terkunci_sampai = models.DateTimeField("terkunci sampai", null=True, blank=True)
    telepon_terverifikasi = models.CharField(
        "nomor HP terverifikasi", max_length=20, blank=True, default="", help_text="Dicek petugas di loket."
    )
    kode_reset_hash = models.CharField(max_length=128, blank=True, default="")
    kode_reset_kedaluwarsa = models.DateTimeField(null=True, blank=True)
    kode_reset_gagal = models.PositiveSmallIntegerField(default=0)
    generasi = models.PositiveIntegerField(
        "generasi sesi", default=1, help_text="Naik saat PIN diganti/dicabut: sesi dan token lama tidak berlaku."
    )
    diterbitkan_oleh_id = models.BigIntegerField(null=True, blank=True)  # operator (public schema user id)
    diterbitkan_pada = models.DateTimeField(null=True, blank=True)
    pin_diubah_pada = models.DateTimeField(null=True, blank=True)
    masuk_terakhir = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "PIN warga"
        verbose_name_plural = "PIN warga"

    def __str__(self) -> str:
        return f"PIN warga #{self.penduduk_id}"

    @property
    def aktif(self) -> bool:
        return bool(self.pin_hash)
