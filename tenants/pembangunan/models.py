"""Development projects, their progress, the village's published reports and public complaints.

Four tables only (every village table is multiplied by 2,651 schemas): the funding split of a project is
a small JSON map {sumber dana code: rupiah} on the project itself, and the project keeps a copy of its
latest progress (persen, date) so lists and counts need no join. A project's status is never stored: it
is derived from that progress and the schedule (see `status_proyek`).
"""

from __future__ import annotations

import datetime as dt

from django.db import models


class StatusProyek(models.TextChoices):
    BELUM_MULAI = "belum_mulai", "Belum mulai"
    BERJALAN = "berjalan", "Berjalan"
    SELESAI = "selesai", "Selesai"
    TERLAMBAT = "terlambat", "Terlambat"


def status_proyek(*, persen: int, ada_progres: bool, selesai_rencana: dt.date | None, today: dt.date) -> str:
    """Derived status: 100 % is selesai; past the planned end and not finished is terlambat; any progress
    entry (or a start in the past with progress) is berjalan; otherwise belum mulai."""
    if persen >= 100:
        return StatusProyek.SELESAI
    if selesai_rencana is not None and today > selesai_rencana:
        return StatusProyek.TERLAMBAT
    if ada_progres:
        return StatusProyek.BERJALAN
    return StatusProyek.BELUM_MULAI


class Proyek(models.Model):
    """A development work (kegiatan pembangunan) with its location, money, schedule and latest progress."""

    nama = models.CharField("nama kegiatan", max_length=200)
    tahun = models.PositiveSmallIntegerField("tahun anggaran", db_index=True)
    bidang = models.CharField("kode bidang/kegiatan", max_length=20, blank=True, help_text="mis. 02.03.01")
    lokasi = models.CharField("lokasi", max_length=200, help_text="desa/dusun/RT, nama jalan")
    dusun = models.CharField("dusun", max_length=100, blank=True)
    lat = models.DecimalField("lintang", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("bujur", max_digits=9, decimal_places=6, null=True, blank=True)
    # {kode sumber dana: rupiah as a string of digits}, e.g. {"DDS": "150000000", "ADD": "20000000"}.
    pendanaan = models.JSONField("sumber dana", default=dict)
    anggaran = models.DecimalField("anggaran (jumlah sumber dana)", max_digits=16, decimal_places=0, default=0)
    pelaksana = models.CharField("pelaksana (TPK)", max_length=200)
    volume = models.DecimalField("volume", max_digits=12, decimal_places=2, null=True, blank=True)
    satuan = models.CharField("satuan", max_length=30, blank=True)
    manfaat = models.TextField("manfaat yang diharapkan", blank=True)
    mulai_rencana = models.DateField("rencana mulai")
    selesai_rencana = models.DateField("rencana selesai")
    # Copy of the newest progress entry (kept by the progress services): lists and counts need no join.
    progres_persen = models.PositiveSmallIntegerField(default=0)
    progres_tanggal = models.DateField(null=True, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-tahun", "nama", "id")

    def __str__(self) -> str:
        return self.nama

    def status(self, today: dt.date) -> str:
        return status_proyek(
            persen=self.progres_persen,
            ada_progres=self.progres_tanggal is not None,
            selesai_rencana=self.selesai_rencana,
            today=today,
        )


class Progres(models.Model):
    """A dated progress report of a project: percentage, a note and optionally one photo (re-encoded JPEG)."""

    proyek = models.ForeignKey(Proyek, on_delete=models.CASCADE, related_name="progres")
    tanggal = models.DateField("tanggal")
    persen = models.PositiveSmallIntegerField("persentase")
    keterangan = models.CharField("keterangan", max_length=500, blank=True)
    # Paths under MEDIA_ROOT (pembangunan/<schema>/foto/), served only through the village's own views.
    foto = models.CharField(max_length=200, blank=True)
    foto_kecil = models.CharField(max_length=200, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-tanggal", "-id")

    def __str__(self) -> str:
        return f"{self.tanggal:%d-%m-%Y} {self.persen}%"


class JenisDokumen(models.TextChoices):
    APBDES = "apbdes", "Perdes APBDes"
    APBDES_PERUBAHAN = "apbdes_perubahan", "Perdes Perubahan APBDes"
    RKPDES = "rkpdes", "RKP Desa"
    LAPORAN_SEMESTER_1 = "semester_1", "Laporan realisasi semester I"
    LAPORAN_AKHIR_TAHUN = "akhir_tahun", "Laporan realisasi akhir tahun"
    LPJ = "lpj", "LPJ realisasi APBDes"
    LAINNYA = "lainnya", "Lainnya"


class Dokumen(models.Model):
    """A report the village publishes (PDF, checked by content), listed on the public portal."""

    jenis = models.CharField("jenis", max_length=20, choices=JenisDokumen.choices)
    judul = models.CharField("judul", max_length=200)
    tahun = models.PositiveSmallIntegerField("tahun anggaran", db_index=True)
    tanggal = models.DateField("tanggal dokumen")
    nama_file = models.CharField(max_length=200)
    path = models.CharField(max_length=200, help_text="under MEDIA_ROOT, outside the web root")
    ukuran = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    # When it was really uploaded (timeliness of reports is judged on this, not on the typed date).
    diunggah = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-tahun", "-tanggal", "-id")

    def __str__(self) -> str:
        return self.judul


class StatusPengaduan(models.TextChoices):
    BARU = "baru", "Baru"
    DIJAWAB = "dijawab", "Dijawab"


class Pengaduan(models.Model):
    """A complaint or aspiration sent through the public form. Name and contact are for the operator only."""

    kode = models.CharField(max_length=12, unique=True, help_text="tracking code given to the sender")
    nama = models.CharField("nama", max_length=100)
    kontak = models.CharField("nomor HP / email", max_length=100, blank=True)
    judul = models.CharField("judul", max_length=150)
    isi = models.TextField("isi")
    status = models.CharField(max_length=10, choices=StatusPengaduan.choices, default=StatusPengaduan.BARU)
    jawaban = models.TextField("jawaban", blank=True)
    dijawab_pada = models.DateTimeField(null=True, blank=True)
    dijawab_oleh = models.CharField(max_length=150, blank=True)
    tampil_publik = models.BooleanField("tampilkan di situs publik", default=True)
    dibuat = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-dibuat", "-id")

    def __str__(self) -> str:
        return self.judul
