"""Population register of one village (lives in the village schema)."""

from __future__ import annotations

from django.db import models

from tenants.penduduk import reference as ref


class Keluarga(models.Model):
    """A family card (Kartu Keluarga). Exactly one member is its head."""

    no_kk = models.CharField("No. KK", max_length=16, unique=True)
    alamat = models.CharField("alamat", max_length=200, blank=True, default="")
    dusun = models.CharField("dusun", max_length=60, blank=True, default="")
    rw = models.CharField("RW", max_length=3, blank=True, default="")
    rt = models.CharField("RT", max_length=3, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "keluarga"
        verbose_name_plural = "keluarga"
        ordering = ["no_kk"]

    def __str__(self) -> str:
        return self.no_kk


class Penduduk(models.Model):
    """A resident, with the SIAK fields of the family card."""

    nik = models.CharField("NIK", max_length=16, unique=True)
    nik_sementara = models.BooleanField(
        "NIK sementara", default=False, help_text="Nomor sementara desa (0 + kode desa + urut), belum NIK Dukcapil."
    )
    nama = models.CharField("nama", max_length=100)
    keluarga = models.ForeignKey(
        Keluarga, on_delete=models.PROTECT, related_name="anggota", null=True, blank=True, verbose_name="keluarga"
    )
    hubungan = models.PositiveSmallIntegerField("hubungan dalam keluarga", choices=ref.Hubungan.choices)
    jenis_kelamin = models.PositiveSmallIntegerField("jenis kelamin", choices=ref.JenisKelamin.choices)
    tempat_lahir = models.CharField("tempat lahir", max_length=100, blank=True, default="")
    tanggal_lahir = models.DateField("tanggal lahir")
    agama = models.PositiveSmallIntegerField("agama", choices=ref.Agama.choices)
    pendidikan_kk = models.PositiveSmallIntegerField("pendidikan (dalam KK)", choices=ref.PendidikanKK.choices)
    pendidikan_sedang = models.PositiveSmallIntegerField(
        "pendidikan sedang ditempuh", choices=ref.PendidikanSedang.choices, null=True, blank=True
    )
    pekerjaan = models.PositiveSmallIntegerField("pekerjaan", choices=ref.Pekerjaan.choices)
    status_kawin = models.PositiveSmallIntegerField("status perkawinan", choices=ref.StatusKawin.choices)
    warganegara = models.PositiveSmallIntegerField(
        "kewarganegaraan", choices=ref.Warganegara.choices, default=ref.Warganegara.WNI
    )
    golongan_darah = models.PositiveSmallIntegerField(
        "golongan darah", choices=ref.GolonganDarah.choices, default=ref.GolonganDarah.TIDAK_TAHU
    )
    cacat = models.PositiveSmallIntegerField("disabilitas", choices=ref.Cacat.choices, default=ref.Cacat.TIDAK_CACAT)
    ktp_el = models.PositiveSmallIntegerField("KTP-el", choices=ref.KtpEl.choices, default=ref.KtpEl.BELUM)
    status_rekam = models.PositiveSmallIntegerField(
        "status rekam KTP-el", choices=ref.StatusRekam.choices, null=True, blank=True
    )
    asuransi = models.PositiveSmallIntegerField(
        "asuransi kesehatan", choices=ref.Asuransi.choices, default=ref.Asuransi.TIDAK_BELUM_PUNYA
    )
    status_dasar = models.PositiveSmallIntegerField(
        "status dasar", choices=ref.StatusDasar.choices, default=ref.StatusDasar.HIDUP
    )
    nama_ayah = models.CharField("nama ayah", max_length=100, blank=True, default="")
    nama_ibu = models.CharField("nama ibu", max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "penduduk"
        verbose_name_plural = "penduduk"
        ordering = ["nama", "id"]
        # The database backs the services: at most one head per family, even under concurrent writes.
        # No extra search index: a village holds thousands of rows, and every index is multiplied by
        # 2,651 schemas; NIK prefix search uses the unique index's varchar_pattern_ops twin.
        constraints = [
            models.UniqueConstraint(
                fields=["keluarga"],
                condition=models.Q(hubungan=ref.Hubungan.KEPALA_KELUARGA),
                name="penduduk_satu_kepala_per_keluarga",
            ),
        ]

    def __str__(self) -> str:
        return self.nama
