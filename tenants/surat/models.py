"""Letters of one village (layanan surat): templates, requests, their history and attachments.

Six tables only (each multiplied by 2,651 village schemas): the built-in letter set lives in code
(tenants/surat/bawaan.py) and is copied into a village's TemplatSurat table the first time the village
uses letters, so an untouched village holds no letter rows at all.
"""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    DIAJUKAN = "diajukan", "Diajukan"
    DIPERIKSA = "diperiksa", "Diperiksa"
    MENUNGGU_TTD = "menunggu_ttd", "Menunggu tanda tangan"
    SIAP_DIAMBIL = "siap_diambil", "Siap diambil"
    SUDAH_DIAMBIL = "sudah_diambil", "Sudah diambil"
    DIBATALKAN = "dibatalkan", "Dibatalkan"


class Kanal(models.TextChoices):
    OPERATOR = "operator", "Loket (operator)"
    MANDIRI = "mandiri", "Layanan mandiri"
    ANJUNGAN = "anjungan", "Anjungan (kios)"


class Penomoran(models.TextChoices):
    DESA = "desa", "Satu urutan untuk semua surat desa per tahun"
    TEMPLAT = "templat", "Urutan sendiri untuk jenis surat ini per tahun"


class TemplatSurat(models.Model):
    """A kind of letter the village issues: its text with [placeholders] and its rules."""

    kode = models.SlugField("kode", max_length=40, db_index=False)  # unique by the constraint below
    nama = models.CharField("nama surat", max_length=120)
    kode_klasifikasi = models.CharField(
        "kode klasifikasi", max_length=20, help_text="Kode klasifikasi arsip, mis. 470 (kependudukan)."
    )
    judul = models.CharField("judul pada surat", max_length=160)
    isi = models.TextField("isi surat", help_text="Teks dengan penanda seperti [nama], [nik_samaran], [keperluan].")
    # Subject rules, codes from tenants/surat/aturan.py (e.g. ["hidup", "dewasa"]).
    aturan_subjek = models.JSONField("aturan subjek", default=list, blank=True)
    # Extra fields the request asks: [{"nama": "nama_usaha", "label": "Nama usaha", "wajib": true}, ...]
    isian = models.JSONField("isian tambahan", default=list, blank=True)
    # Required documents: [{"kode": "pengantar_rt", "label": "Surat pengantar RT/RW"}, ...]
    dokumen = models.JSONField("dokumen persyaratan", default=list, blank=True)
    masa_berlaku_hari = models.PositiveSmallIntegerField("masa berlaku (hari)", null=True, blank=True)
    format_nomor = models.CharField(
        "format nomor", max_length=120, default="[kode_surat]/[nomor]/[kode_desa]/[bulan_romawi]/[tahun]"
    )
    penomoran = models.CharField("penomoran", max_length=10, choices=Penomoran.choices, default=Penomoran.DESA)
    aktif = models.BooleanField("aktif", default=True)
    bawaan = models.BooleanField("dari set bawaan", default=False, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "templat surat"
        verbose_name_plural = "templat surat"
        ordering = ["nama"]
        # A constraint, not unique=True: no second (LIKE) index, and every index counts 2,651 times.
        constraints = [models.UniqueConstraint(fields=["kode"], name="surat_templat_kode_unik")]

    def __str__(self) -> str:
        return self.nama


class PenghitungNomor(models.Model):
    """The last number issued in one numbering sequence; locked FOR UPDATE while a number is taken."""

    lingkup = models.CharField(max_length=40)  # "" = the village sequence, else a template's kode
    tahun = models.PositiveSmallIntegerField()
    terakhir = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lingkup", "tahun"], name="surat_penghitung_unik")]

    def __str__(self) -> str:
        return f"{self.lingkup or 'desa'} {self.tahun}: {self.terakhir}"


class Permohonan(models.Model):
    """A request for a letter and, once numbered, the letter itself."""

    # No index of their own: templates are few (and never deleted), and (penduduk, diajukan_pada) below
    # serves the resident's requests and the PROTECT check.
    templat = models.ForeignKey(TemplatSurat, on_delete=models.PROTECT, related_name="+", db_index=False)
    penduduk = models.ForeignKey("penduduk.Penduduk", on_delete=models.PROTECT, related_name="+", db_index=False)
    isian = models.JSONField(default=dict, blank=True)
    keperluan = models.CharField("keperluan", max_length=300)
    kanal = models.CharField(max_length=10, choices=Kanal.choices, default=Kanal.OPERATOR)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.DIAJUKAN)
    # The letter, once numbered (menunggu tanda tangan).
    nomor = models.CharField("nomor surat", max_length=120, blank=True, default="")
    nomor_urut = models.PositiveIntegerField(null=True, blank=True)
    tanggal_surat = models.DateField("tanggal surat", null=True, blank=True)
    berlaku_sampai = models.DateField("berlaku sampai", null=True, blank=True)
    # What the letter says, frozen when it is numbered (subject, village, text): the PDF never changes later.
    cetak = models.JSONField(default=dict, blank=True)
    # Unguessable key of the public verification page (QR code).
    # NULL until numbered: many unnumbered requests under one unique constraint.
    token = models.CharField(max_length=43, null=True, blank=True)  # noqa: DJ001
    penanda_tangan = models.JSONField(default=dict, blank=True)  # {metode, nama, jabatan, waktu, referensi}
    berkas_ttd = models.CharField(max_length=200, blank=True, default="")  # signed PDF stored by a TTE provider
    alasan_batal = models.CharField("alasan", max_length=300, blank=True, default="")
    dicabut = models.BooleanField("dicabut", default=False)
    diajukan_pada = models.DateTimeField(auto_now_add=True)
    selesai_pada = models.DateTimeField(null=True, blank=True)  # became siap diambil
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "permohonan surat"
        verbose_name_plural = "permohonan surat"
        ordering = ["-diajukan_pada", "-id"]
        indexes = [
            models.Index(fields=["status", "diajukan_pada"], name="surat_perm_status"),
            models.Index(fields=["penduduk", "diajukan_pada"], name="surat_perm_penduduk"),
        ]
        constraints = [models.UniqueConstraint(fields=["token"], name="surat_perm_token_unik")]

    def __str__(self) -> str:
        return self.nomor or f"Permohonan #{self.pk}"


class Riwayat(models.Model):
    """Who moved a request to which status, when and why. Append-only (database trigger)."""

    permohonan = models.ForeignKey(Permohonan, on_delete=models.PROTECT, related_name="riwayat")
    dari = models.CharField(max_length=14, blank=True, default="")
    ke = models.CharField(max_length=14, choices=Status.choices)
    keterangan = models.CharField(max_length=300, blank=True, default="")
    petugas_id = models.BigIntegerField(null=True, blank=True)  # accounts.User in public; id, not a FK
    petugas_nama = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.dari or '-'} -> {self.ke}"


class Lampiran(models.Model):
    """A required document uploaded for a request; stored under the village's private media path."""

    permohonan = models.ForeignKey(Permohonan, on_delete=models.CASCADE, related_name="lampiran")
    kode_dokumen = models.CharField(max_length=40)
    path = models.CharField(max_length=200)  # relative to the private media root
    jenis = models.CharField(max_length=40)  # image/jpeg, image/png, application/pdf
    ukuran = models.PositiveIntegerField()
    nama_asli = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kode_dokumen", "id"]

    def __str__(self) -> str:
        return f"{self.kode_dokumen} ({self.jenis})"


class Pengaturan(models.Model):
    """The village's letterhead and signing officer (one row)."""

    nama_kepala = models.CharField("nama penanda tangan", max_length=100, blank=True, default="")
    jabatan = models.CharField("jabatan penanda tangan", max_length=100, blank=True, default="")
    alamat_kantor = models.CharField("alamat kantor desa", max_length=200, blank=True, default="")
    kontak = models.CharField("telepon/surel kantor", max_length=100, blank=True, default="")
    logo = models.CharField(max_length=200, blank=True, default="")  # re-encoded PNG, private media path
    ukuran_kertas = models.CharField(
        "ukuran kertas", max_length=2, choices=[("A4", "A4"), ("F4", "F4 (folio)")], default="A4"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pengaturan surat"

    def __str__(self) -> str:
        return "Pengaturan surat"


#: The button that moves a request to each status (operator detail page).
ALUR_LABEL: dict[str, str] = {
    Status.DIPERIKSA: "Tandai sudah diperiksa",
    Status.MENUNGGU_TTD: "Beri nomor & ajukan tanda tangan",
    Status.SIAP_DIAMBIL: "Tandatangani — siap diambil",
    Status.SUDAH_DIAMBIL: "Tandai sudah diambil",
    Status.DIBATALKAN: "Batalkan",
}
