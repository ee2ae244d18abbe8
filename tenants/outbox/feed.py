"""How drained events read in the province's live activity feed (Indonesian, counts only).

One Aktivitas row per topic per drain: "{n}" is replaced by the number of events. A topic mapped to None
is not shown (it repeats another topic, e.g. penduduk.peristiwa next to penduduk.lahir). A topic not
listed reads "{n} perubahan data". Modules add their topics here (letters, budget, projects).
"""

from __future__ import annotations

KETERANGAN: dict[str, str | None] = {
    "penduduk.dibuat": "{n} penduduk ditambahkan ke register",
    "penduduk.diubah": "{n} data penduduk diperbarui",
    "penduduk.pekerjaan_berubah": None,
    "penduduk.nik_diganti": "{n} NIK sementara diganti NIK Dukcapil",
    "penduduk.peristiwa": None,
    "penduduk.lahir": "{n} kelahiran dicatat",
    "penduduk.mati": "{n} kematian dicatat",
    "penduduk.pindah_keluar": "{n} penduduk pindah keluar dicatat",
    "penduduk.datang": "{n} pendatang dicatat",
    "penduduk.hilang": "{n} penduduk hilang dicatat",
    "penduduk.pergi": "{n} penduduk pergi dicatat",
    "penduduk.diimpor": "Register penduduk diimpor ({n} berkas)",
    "keluarga.dibuat": "{n} kartu keluarga baru dicatat",
    "keluarga.berubah": "{n} perubahan kartu keluarga",
    "rumah_tangga.berubah": "{n} perubahan rumah tangga",
    "wilayah.berubah": "{n} perubahan wilayah dusun/RW/RT",
    "surat.diajukan": "{n} permohonan surat diajukan",
    "surat.selesai": "{n} surat selesai dan siap diambil",
    "surat.diambil": None,
    "surat.dibatalkan": "{n} permohonan/surat dibatalkan",
    "mandiri.pin_diterbitkan": "{n} PIN layanan mandiri warga diterbitkan",
    "pembangunan.proyek": "{n} perubahan kegiatan pembangunan (data atau progres)",
    "pembangunan.dokumen": "{n} perubahan dokumen laporan desa",
    "keuangan.apbdes": "{n} perubahan APBDes",
    "keuangan.realisasi": "{n} transaksi realisasi APBDes dicatat/diubah",
    "keuangan.diimpor": "APBDes dan realisasi diimpor dari Siskeudes ({n} berkas)",
}
BAWAAN = "{n} perubahan data"


def keterangan(topic: str, jumlah: int) -> str | None:
    """The feed text for `jumlah` events of `topic`, or None when the topic is not shown."""
    template = KETERANGAN.get(topic, BAWAAN)
    return None if template is None else template.format(n=jumlah)
