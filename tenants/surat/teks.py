"""Letter text: placeholders ([nama], [keperluan], ...), subject rules, number formats, name masking.

Pure functions (no database): the services freeze what a letter says into Permohonan.cetak when it is
numbered, and the PDF is drawn from that snapshot.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

#: The placeholders every template may use, with what they print (shown in the template editor).
PENANDA: dict[str, str] = {
    "nama": "Nama lengkap subjek",
    "nik": "NIK subjek",
    "no_kk": "Nomor KK subjek",
    "tempat_lahir": "Tempat lahir",
    "tanggal_lahir": "Tanggal lahir (mis. 17 Agustus 1980)",
    "umur": "Umur dalam tahun",
    "jenis_kelamin": "Jenis kelamin",
    "agama": "Agama",
    "status_kawin": "Status perkawinan",
    "pekerjaan": "Pekerjaan",
    "kewarganegaraan": "Kewarganegaraan",
    "nama_ayah": "Nama ayah",
    "nama_ibu": "Nama ibu",
    "alamat": "Alamat (dengan RT/RW/dusun)",
    "rt": "Nomor RT",
    "rw": "Nomor RW",
    "dusun": "Nama dusun",
    "keperluan": "Keperluan yang ditulis pemohon",
    "nama_desa": "Nama desa/kelurahan",
    "jenis_desa": "Desa atau Kelurahan",
    "kecamatan": "Nama kecamatan",
    "kabupaten": "Nama kabupaten/kota",
    "provinsi": "Nama provinsi",
    "nomor_surat": "Nomor surat",
    "tanggal_surat": "Tanggal surat",
    "berlaku_sampai": "Tanggal akhir masa berlaku",
    "nama_penanda_tangan": "Nama penanda tangan",
    "jabatan_penanda_tangan": "Jabatan penanda tangan",
}

#: Tokens of a number format.
TOKEN_NOMOR = ("kode_surat", "nomor", "kode_desa", "bulan_romawi", "bulan", "tahun")
FORMAT_NOMOR_BAWAAN = "[kode_surat]/[nomor]/[kode_desa]/[bulan_romawi]/[tahun]"

#: Subject rules a template may declare: code -> (label for the editor, message when not met).
ATURAN: dict[str, tuple[str, str]] = {
    "hidup": ("Hanya penduduk yang masih hidup", "Surat ini hanya untuk penduduk yang masih hidup."),
    "mati": ("Hanya penduduk yang tercatat meninggal", "Surat ini hanya untuk penduduk yang tercatat meninggal."),
    "dewasa": ("Hanya penduduk berumur 17 tahun ke atas", "Surat ini hanya untuk penduduk berumur 17 tahun ke atas."),
    "kepala_keluarga": ("Hanya kepala keluarga", "Surat ini hanya untuk kepala keluarga."),
    "belum_kawin": ("Hanya yang berstatus belum kawin", "Menurut register, penduduk ini tidak berstatus belum kawin."),
    "punya_kk": ("Harus tercatat dalam Kartu Keluarga", "Penduduk ini belum tercatat dalam Kartu Keluarga."),
}

_PENANDA_RE = re.compile(r"\[([^\[\]\n]{1,60})\]")
_NAMA_ISIAN_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def tanggal_indonesia(tanggal: dt.date | None) -> str:
    if tanggal is None:
        return "-"
    return f"{tanggal.day} {BULAN[tanggal.month - 1]} {tanggal.year}"


def penanda_dalam(teks: str) -> list[str]:
    """Placeholder names in a text, in order of appearance (duplicates once)."""
    seen: dict[str, None] = {}
    for match in _PENANDA_RE.finditer(teks):
        seen.setdefault(match.group(1).strip(), None)
    return list(seen)


def penanda_tak_dikenal(teks: str, isian: Iterable[str]) -> list[str]:
    """Placeholders that are neither standard nor one of the template's extra fields."""
    known = set(PENANDA) | set(isian)
    return [name for name in penanda_dalam(teks) if name not in known]


def isi_penanda(teks: str, nilai: Mapping[str, Any]) -> str:
    """Replace every [placeholder] with its value (texts are checked on save; an unknown one stays as is)."""

    def ganti(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name not in nilai:
            return match.group(0)
        value = nilai[name]
        return "-" if value in (None, "") else str(value)

    return _PENANDA_RE.sub(ganti, teks)


def nama_isian_valid(nama: str) -> bool:
    return bool(_NAMA_ISIAN_RE.match(nama)) and nama not in PENANDA


def format_nomor_salah(fmt: str) -> str | None:
    """An Indonesian message when a number format is unusable, else None."""
    names = penanda_dalam(fmt)
    unknown = [n for n in names if n not in TOKEN_NOMOR]
    if unknown:
        return "Token tidak dikenal dalam format nomor: " + ", ".join(f"[{n}]" for n in unknown) + "."
    if "nomor" not in names:
        return "Format nomor harus memuat [nomor]."
    return None


def buat_nomor(fmt: str, *, urut: int, kode_surat: str, kode_desa: str, tanggal: dt.date) -> str:
    return isi_penanda(
        fmt,
        {
            "kode_surat": kode_surat,
            "nomor": f"{urut:03d}",
            "kode_desa": kode_desa,
            "bulan_romawi": ROMAWI[tanggal.month - 1],
            "bulan": f"{tanggal.month:02d}",
            "tahun": str(tanggal.year),
        },
    )


def samarkan_nama(nama: str) -> str:
    """'BUDI SANTOSO' -> 'B*** S***': initials only (the length of each word is hidden too)."""
    return " ".join(w[0] + "***" for w in nama.split())


def umur_pada(lahir: dt.date, tanggal: dt.date) -> int:
    return tanggal.year - lahir.year - ((tanggal.month, tanggal.day) < (lahir.month, lahir.day))
