"""Population register of one village (lives in the village schema)."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper

from tenants.penduduk import reference as ref


class Dusun(models.Model):
    """Territory inside the village: dusun -> RW -> RT (editable by the operator)."""

    nama = models.CharField("nama dusun", max_length=60, unique=True)

    class Meta:
        verbose_name = "dusun"
        verbose_name_plural = "dusun"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama


class Rw(models.Model):
    dusun = models.ForeignKey(Dusun, on_delete=models.PROTECT, related_name="rw_set", verbose_name="dusun")
    nomor = models.CharField("nomor RW", max_length=3, help_text="mis. 001; '-' bila dusun tidak memakai RW")

    class Meta:
        verbose_name = "RW"
        verbose_name_plural = "RW"
        ordering = ["dusun__nama", "nomor"]
        constraints = [models.UniqueConstraint(fields=["dusun", "nomor"], name="rw_unik_per_dusun")]

    def __str__(self) -> str:
        return f"RW {self.nomor}"


class Rt(models.Model):
    rw = models.ForeignKey(Rw, on_delete=models.PROTECT, related_name="rt_set", verbose_name="RW")
    nomor = models.CharField("nomor RT", max_length=3)

    class Meta:
        verbose_name = "RT"
        verbose_name_plural = "RT"
        ordering = ["rw__dusun__nama", "rw__nomor", "nomor"]
        constraints = [models.UniqueConstraint(fields=["rw", "nomor"], name="rt_unik_per_rw")]

    def __str__(self) -> str:
        return f"RT {self.nomor}"


class RumahTangga(models.Model):
    """A household (rumah tangga): the people living under one roof, possibly several KK."""

    no_rtm = models.CharField("nomor rumah tangga", max_length=30, unique=True)
    rt = models.ForeignKey(Rt, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="RT")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "rumah tangga"
        verbose_name_plural = "rumah tangga"
        ordering = ["no_rtm"]

    def __str__(self) -> str:
        return self.no_rtm


class Keluarga(models.Model):
    """A family card (Kartu Keluarga). Exactly one member is its head."""

    no_kk = models.CharField("No. KK", max_length=16, unique=True)
    alamat = models.CharField("alamat", max_length=200, blank=True, default="")
    rt = models.ForeignKey(
        Rt, on_delete=models.PROTECT, null=True, blank=True, related_name="keluarga_set", verbose_name="RT"
    )
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
    nik_ayah = models.CharField("NIK ayah", max_length=16, blank=True, default="")
    nik_ibu = models.CharField("NIK ibu", max_length=16, blank=True, default="")
    status_penduduk = models.PositiveSmallIntegerField(
        "status penduduk", choices=ref.StatusPenduduk.choices, default=ref.StatusPenduduk.TETAP
    )
    rt = models.ForeignKey(
        Rt, on_delete=models.PROTECT, null=True, blank=True, related_name="penduduk_set", verbose_name="RT"
    )
    alamat_sebelumnya = models.CharField("alamat sebelumnya", max_length=200, blank=True, default="")
    alamat_sekarang = models.CharField("alamat sekarang", max_length=200, blank=True, default="")
    rumah_tangga = models.ForeignKey(
        RumahTangga, on_delete=models.PROTECT, null=True, blank=True, related_name="anggota"
    )
    hubungan_rtm = models.PositiveSmallIntegerField(
        "hubungan dalam rumah tangga", choices=ref.HubunganRumahTangga.choices, null=True, blank=True
    )
    suku = models.CharField("suku/etnis", max_length=50, blank=True, default="")
    akta_lahir = models.CharField("no. akta kelahiran", max_length=50, blank=True, default="")
    no_paspor = models.CharField("no. paspor", max_length=30, blank=True, default="")
    tanggal_akhir_paspor = models.DateField("tanggal akhir paspor", null=True, blank=True)
    no_kitas = models.CharField("no. KITAS/KITAP", max_length=30, blank=True, default="")
    akta_perkawinan = models.CharField("no. akta perkawinan", max_length=50, blank=True, default="")
    tanggal_perkawinan = models.DateField("tanggal perkawinan", null=True, blank=True)
    akta_perceraian = models.CharField("no. akta perceraian", max_length=50, blank=True, default="")
    tanggal_perceraian = models.DateField("tanggal perceraian", null=True, blank=True)
    cara_kb = models.PositiveSmallIntegerField("akseptor KB", choices=ref.CaraKB.choices, null=True, blank=True)
    hamil = models.PositiveSmallIntegerField("status kehamilan", choices=ref.Hamil.choices, null=True, blank=True)
    sakit_menahun = models.PositiveSmallIntegerField(
        "sakit menahun", choices=ref.SakitMenahun.choices, null=True, blank=True
    )
    no_asuransi = models.CharField("no. asuransi", max_length=30, blank=True, default="")
    tag_id_card = models.CharField("tag ID card (chip e-KTP)", max_length=30, blank=True, default="")
    telepon = models.CharField("telepon", max_length=20, blank=True, default="")
    # Set by an import when the data disagrees with itself (e.g. NIK birth date vs recorded birth date):
    # the village comes in, the operator fixes these later.
    perlu_diperiksa = models.BooleanField("perlu diperiksa", default=False)
    catatan_periksa = models.TextField("catatan pemeriksaan", blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "penduduk"
        verbose_name_plural = "penduduk"
        ordering = ["nama", "id"]
        # The database backs the services: at most one head per family, even under concurrent writes.
        # Few indexes: every index is multiplied by 2,651 schemas; NIK prefix search uses the unique
        # index's varchar_pattern_ops twin, name search the one trigram index below.
        indexes = [
            # The register is read in name order, a page at a time: without this the first page of
            # 15,000 residents is a full sort (24-42 ms measured), with it an index scan.
            models.Index(fields=["nama", "id"], name="penduduk_nama_id"),
            # Partial, case-insensitive and typo-tolerant name search (pg_trgm, created in public).
            GinIndex(OpClass(Upper("nama"), name="gin_trgm_ops"), name="penduduk_nama_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["keluarga"],
                condition=models.Q(hubungan=ref.Hubungan.KEPALA_KELUARGA),
                name="penduduk_satu_kepala_per_keluarga",
            ),
        ]

    def __str__(self) -> str:
        return self.nama


class Peristiwa(models.Model):
    """An event that changed a resident's status (lahir, mati, pindah keluar, ...). Never edited."""

    penduduk = models.ForeignKey(Penduduk, on_delete=models.PROTECT, related_name="peristiwa")
    jenis = models.PositiveSmallIntegerField("jenis peristiwa", choices=ref.JenisPeristiwa.choices)
    tanggal_peristiwa = models.DateField("tanggal peristiwa")
    tanggal_lapor = models.DateField("tanggal lapor")
    tingkat_pindah = models.PositiveSmallIntegerField(
        "tujuan pindah", choices=ref.TingkatPindah.choices, null=True, blank=True
    )
    alamat_tujuan = models.CharField("alamat tujuan", max_length=200, blank=True, default="")
    alamat_asal = models.CharField("alamat asal", max_length=200, blank=True, default="")
    keterangan = models.TextField("keterangan", blank=True, default="")
    status_sebelumnya = models.PositiveSmallIntegerField(choices=ref.StatusDasar.choices)
    status_sesudahnya = models.PositiveSmallIntegerField(choices=ref.StatusDasar.choices)
    petugas_id = models.BigIntegerField(null=True, blank=True)  # accounts.User in public; id, not a FK
    petugas_nama = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "peristiwa"
        verbose_name_plural = "peristiwa"
        ordering = ["-tanggal_peristiwa", "-id"]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.tanggal_peristiwa}"


class Mutasi(models.Model):
    """Append-only history of every change to a resident, family or household ("mutasi").

    A database trigger refuses UPDATE and DELETE (migration 0003): nothing is overwritten without a trace.
    """

    class Aksi(models.TextChoices):
        DIBUAT = "dibuat", "Dibuat"
        DIUBAH = "diubah", "Diubah"
        PERISTIWA = "peristiwa", "Peristiwa"
        PECAH_KK = "pecah_kk", "Pecah KK"
        PINDAH_KK = "pindah_kk", "Pindah KK"
        GANTI_KEPALA = "ganti_kepala", "Ganti kepala keluarga"
        NIK_DIGANTI = "nik_diganti", "NIK sementara diganti"
        DIIMPOR = "diimpor", "Diimpor"

    penduduk = models.ForeignKey(Penduduk, on_delete=models.PROTECT, null=True, blank=True, related_name="mutasi")
    keluarga = models.ForeignKey(Keluarga, on_delete=models.PROTECT, null=True, blank=True, related_name="mutasi")
    rumah_tangga = models.ForeignKey(
        RumahTangga, on_delete=models.PROTECT, null=True, blank=True, related_name="mutasi"
    )
    aksi = models.CharField(max_length=20, choices=Aksi.choices)
    # {field: [old, new]} for changes; codes, dates and ids as JSON scalars.
    perubahan = models.JSONField(default=dict, blank=True)
    keterangan = models.CharField(max_length=300, blank=True, default="")
    peristiwa = models.ForeignKey(Peristiwa, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    petugas_id = models.BigIntegerField(null=True, blank=True)
    petugas_nama = models.CharField(max_length=150, blank=True, default="")
    waktu = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "mutasi"
        verbose_name_plural = "mutasi"
        ordering = ["-waktu", "-id"]

    def __str__(self) -> str:
        return f"{self.get_aksi_display()} {self.waktu:%Y-%m-%d %H:%M}"


class AksesLog(models.Model):
    """Append-only log of officers reading a resident's full record (UU PDP). Trigger-protected."""

    penduduk = models.ForeignKey(Penduduk, on_delete=models.PROTECT, related_name="akses_log")
    petugas_id = models.BigIntegerField(null=True, blank=True)
    petugas_nama = models.CharField(max_length=150)
    jalur = models.CharField(max_length=10, help_text="web atau api")
    alasan = models.CharField(max_length=200, blank=True, default="")
    waktu = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "log akses"
        verbose_name_plural = "log akses"
        ordering = ["-waktu", "-id"]

    def __str__(self) -> str:
        return f"{self.petugas_nama} {self.waktu:%Y-%m-%d %H:%M}"


class ImportJob(models.Model):
    """An import of a register file (OpenSID template, ours, or CSV), run by a worker."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", "Menunggu"
        BERJALAN = "berjalan", "Sedang diproses"
        BERHASIL = "berhasil", "Berhasil"
        GAGAL = "gagal", "Gagal (tidak ada data yang disimpan)"

    nama_file = models.CharField(max_length=200)
    path = models.CharField(max_length=300, help_text="under MEDIA_ROOT, outside the web root")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MENUNGGU)
    total_baris = models.PositiveIntegerField(default=0)
    baris_diproses = models.PositiveIntegerField(default=0)
    penduduk_dibuat = models.PositiveIntegerField(default=0)
    keluarga_dibuat = models.PositiveIntegerField(default=0)
    # [{"baris": 12, "kolom": "nik", "pesan": "..."}]
    galat = models.JSONField(default=list, blank=True)
    peringatan = models.JSONField(default=list, blank=True)
    pesan = models.CharField(max_length=300, blank=True, default="")
    petugas_id = models.BigIntegerField(null=True, blank=True)
    petugas_nama = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "impor data"
        verbose_name_plural = "impor data"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.nama_file} ({self.get_status_display()})"
