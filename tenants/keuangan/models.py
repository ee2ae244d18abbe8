"""Village finance (APBDes) of one village (lives in the village schema).

Four tables, kept lean because every village table is multiplied by 2,651 schemas:
- Apbdes: one version of one fiscal year's budget (versi 0 = APBDes awal/murni, 1.. = perubahan).
- BarisAnggaran: a budget line (obyek account code, bidang/sub-bidang/kegiatan code, sumber dana,
  amount). Totals are never stored: they are sums of lines (selectors).
- Transaksi: realisation, revenue received or spending paid, dated. It carries the same three codes
  as a budget line instead of a foreign key to one version's line, so the budget in force (the latest
  ditetapkan version) is matched by codes and an amendment replaces the original without touching
  realisation.
- ImporSiskeudes: one Siskeudes import job (report kept as JSON).
Codes are text (see tenants/keuangan/kode.py): no foreign key leaves the village schema.
"""

from __future__ import annotations

from django.db import models


class Apbdes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draf"
        DITETAPKAN = "ditetapkan", "Ditetapkan"

    class Asal(models.TextChoices):
        MANUAL = "manual", "Isian manual"
        SISKEUDES = "siskeudes", "Impor Siskeudes"

    tahun = models.PositiveSmallIntegerField("tahun anggaran")
    versi = models.PositiveSmallIntegerField("versi", default=0, help_text="0 = APBDes awal; 1, 2, ... = perubahan")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.DRAFT)
    nomor_perdes = models.CharField("nomor Perdes", max_length=100, blank=True, default="")
    tanggal_penetapan = models.DateField("tanggal penetapan", null=True, blank=True)
    asal = models.CharField("asal data", max_length=10, choices=Asal.choices, default=Asal.MANUAL)
    catatan = models.CharField("catatan", max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "APBDes"
        verbose_name_plural = "APBDes"
        ordering = ["-tahun", "-versi"]
        constraints = [models.UniqueConstraint(fields=["tahun", "versi"], name="apbdes_versi_unik")]

    def __str__(self) -> str:
        return f"APBDes {self.tahun} {self.label}"

    @property
    def label(self) -> str:
        return "Awal" if self.versi == 0 else ("Perubahan" if self.versi == 1 else f"Perubahan ke-{self.versi}")

    @property
    def ditetapkan(self) -> bool:
        return self.status == self.Status.DITETAPKAN


class BarisAnggaran(models.Model):
    apbdes = models.ForeignKey(Apbdes, on_delete=models.CASCADE, related_name="baris", verbose_name="APBDes")
    kode_rekening = models.CharField("kode rekening", max_length=20, help_text="obyek, mis. 5.2.1.01")
    kode_kegiatan = models.CharField(
        "kode kegiatan", max_length=12, blank=True, default="", help_text="BB.SS.KK; kosong untuk pendapatan/pembiayaan"
    )
    sumber_dana = models.CharField("sumber dana", max_length=8)
    uraian = models.CharField("uraian", max_length=250, blank=True, default="")
    jumlah = models.DecimalField("anggaran (Rp)", max_digits=15, decimal_places=2)

    class Meta:
        verbose_name = "baris anggaran"
        verbose_name_plural = "baris anggaran"
        ordering = ["kode_rekening", "kode_kegiatan", "id"]
        indexes = [models.Index(fields=["apbdes", "kode_rekening"], name="baris_apbdes_rekening")]

    def __str__(self) -> str:
        return f"{self.kode_rekening} {self.kode_kegiatan} {self.sumber_dana}"


class Transaksi(models.Model):
    class Asal(models.TextChoices):
        MANUAL = "manual", "Isian manual"
        SISKEUDES = "siskeudes", "Impor Siskeudes"

    tahun = models.PositiveSmallIntegerField("tahun anggaran")
    tanggal = models.DateField("tanggal")
    kode_rekening = models.CharField("kode rekening", max_length=20)
    kode_kegiatan = models.CharField("kode kegiatan", max_length=12, blank=True, default="")
    sumber_dana = models.CharField("sumber dana", max_length=8)
    jumlah = models.DecimalField("jumlah (Rp)", max_digits=15, decimal_places=2)
    uraian = models.CharField("uraian", max_length=250, blank=True, default="")
    no_bukti = models.CharField("nomor bukti", max_length=60, blank=True, default="")
    asal = models.CharField("asal data", max_length=10, choices=Asal.choices, default=Asal.MANUAL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "transaksi"
        verbose_name_plural = "transaksi"
        ordering = ["-tanggal", "-id"]
        indexes = [
            models.Index(fields=["tahun", "kode_rekening"], name="transaksi_tahun_rekening"),
            models.Index(fields=["tahun", "tanggal"], name="transaksi_tahun_tanggal"),
            models.Index(fields=["tahun", "updated_at"], name="transaksi_tahun_diubah"),
        ]

    def __str__(self) -> str:
        return f"{self.tanggal} {self.kode_rekening} {self.jumlah}"


class ImporSiskeudes(models.Model):
    class Status(models.TextChoices):
        MENUNGGU = "menunggu", "Menunggu"
        BERJALAN = "berjalan", "Sedang diproses"
        BERHASIL = "berhasil", "Berhasil"
        GAGAL = "gagal", "Gagal (tidak ada data yang disimpan)"

    tahun = models.PositiveSmallIntegerField("tahun anggaran")
    nama_file = models.CharField(max_length=200)
    path = models.CharField(max_length=300, help_text="under MEDIA_ROOT, outside the web root")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MENUNGGU)
    tahap = models.CharField(max_length=100, blank=True, default="")
    persen = models.PositiveSmallIntegerField(default=0)
    # {"galat": [{"tabel": "Ta_RABRinci", "baris": 3, "pesan": "..."}], "peringatan": [...], "ringkasan": {...}}
    laporan = models.JSONField(default=dict, blank=True)
    pesan = models.CharField(max_length=300, blank=True, default="")
    petugas_id = models.BigIntegerField(null=True, blank=True)
    petugas_nama = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "impor Siskeudes"
        verbose_name_plural = "impor Siskeudes"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.nama_file} ({self.get_status_display()})"
