"""Global users (public schema) and the roles that scope them to part of the province."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from platform_core.tenancy.models import Village


class User(AbstractUser):
    class Meta:
        verbose_name = "pengguna"
        verbose_name_plural = "pengguna"

    def roles_cached(self) -> list[Role]:
        cached: list[Role] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = list(self.roles.all())
            self._roles_cache = cached
        return cached

    def can_operate(self, village: Village) -> bool:
        """Village operator of exactly this village (the only role that sees personal data)."""
        return any(r.tingkat == Role.Tingkat.DESA and r.village_id == village.pk for r in self.roles_cached())

    def console_roles(self) -> list[Role]:
        return [r for r in self.roles_cached() if r.tingkat != Role.Tingkat.DESA]

    def sees_region(self, kode: str) -> bool:
        """A province/kabupaten/kecamatan role whose region contains the region `kode`."""
        return any(kode == r.kode_wilayah or kode.startswith(r.kode_wilayah + ".") for r in self.console_roles())


class Role(models.Model):
    class Tingkat(models.TextChoices):
        PROVINSI = "provinsi", "Provinsi (Dinas PMD)"
        KABUPATEN = "kabupaten", "Kabupaten/Kota (OPD)"
        KECAMATAN = "kecamatan", "Kecamatan"
        DESA = "desa", "Operator desa/kelurahan"

    CODE_LENGTH = {Tingkat.PROVINSI: 2, Tingkat.KABUPATEN: 5, Tingkat.KECAMATAN: 8, Tingkat.DESA: 13}

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    tingkat = models.CharField("tingkat", max_length=10, choices=Tingkat.choices)
    kode_wilayah = models.CharField("kode wilayah", max_length=13, help_text="18, 18.01, 18.01.17 atau kode desa")
    village = models.ForeignKey(Village, on_delete=models.CASCADE, null=True, blank=True, related_name="operators")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "peran"
        verbose_name_plural = "peran"
        constraints = [
            models.UniqueConstraint(fields=["user", "tingkat", "kode_wilayah"], name="role_unique_per_user"),
            models.CheckConstraint(
                condition=models.Q(tingkat="desa", village__isnull=False) | ~models.Q(tingkat="desa"),
                name="role_desa_has_village",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tingkat_display()} {self.kode_wilayah}"
