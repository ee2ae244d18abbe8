# ruff: noqa: E501  # the layout is a table: one column per line reads best
"""The column layout of OpenSID's import template ("Data Penduduk" sheet), which is also ours.

Column names, order and codes are OpenSID's (../shared/data/opensid/FormatImporExcel.xlsm), so a
village moving from OpenSID brings its file as it is, and our export opens in OpenSID too.
A few columns of ours follow OpenSID's, for fields OpenSID's template does not carry; they are optional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from django.db import models

from tenants.penduduk import reference as ref


class Kind(Enum):
    TEXT = "text"  # free text, stripped
    NUMBER_TEXT = "number_text"  # digits typed in a cell (document numbers): no ".0", no exponent
    CODE = "code"  # a SIAK code (number, or the label)
    DATE = "date"  # Excel date, dd-mm-yyyy, dd/mm/yyyy or yyyy-mm-dd
    NIK = "nik"
    NO_KK = "no_kk"
    PARENT_NIK = "parent_nik"
    WILAYAH = "wilayah"  # dusun / rw / rt
    IGNORED = "ignored"  # kept in the layout (OpenSID map coordinates), not stored


@dataclass(frozen=True)
class Column:
    name: str  # header in the file
    field: str  # Penduduk field, or a family/territory key for the layout-only columns
    kind: Kind
    label: str  # what the operator calls it, for messages
    note: str  # header note of our template
    required: bool = False  # the header must be present
    table: type[models.IntegerChoices] | None = None
    max_length: int | None = None
    opensid: bool = True  # part of OpenSID's own template


C = Column
K = Kind

COLUMNS: tuple[Column, ...] = (
    C("alamat", "alamat", K.TEXT, "alamat", "Alamat keluarga (sesuai KK), mis. Jl. Melati No. 2.", True, max_length=200),
    C("dusun", "dusun", K.WILAYAH, "dusun", "Nama dusun/lingkungan. Dibuat otomatis bila belum ada.", True, max_length=60),
    C("rw", "rw", K.WILAYAH, "RW", 'Nomor RW, mis. 002. Tulis "-" bila dusun tidak memakai RW.', True, max_length=3),
    C("rt", "rt", K.WILAYAH, "RT", "Nomor RT, mis. 001.", True, max_length=3),
    C("nama", "nama", K.TEXT, "nama", "Nama lengkap sesuai KTP/KK. Wajib.", True, max_length=100),
    C("no_kk", "no_kk", K.NO_KK, "No. KK", "16 digit No. KK. Format sel sebagai Teks agar angka tidak berubah.", True),
    C(
        "nik",
        "nik",
        K.NIK,
        "NIK",
        "16 digit NIK. Format sel sebagai Teks. Kosongkan bila belum punya NIK: diberi NIK sementara.",
        True,
    ),
    C("sex", "jenis_kelamin", K.CODE, "jenis kelamin", "1 Laki-laki, 2 Perempuan (L/P juga diterima).", True, ref.JenisKelamin),
    C("tempatlahir", "tempat_lahir", K.TEXT, "tempat lahir", "Tempat lahir.", True, max_length=100),
    C("tanggallahir", "tanggal_lahir", K.DATE, "tanggal lahir", "Tanggal lahir: tanggal Excel atau dd-mm-yyyy.", True),
    C("agama_id", "agama", K.CODE, "agama", "Kode agama (lembar Kode Data). Wajib.", True, ref.Agama),
    C("pendidikan_kk_id", "pendidikan_kk", K.CODE, "pendidikan dalam KK", "Kode pendidikan dalam KK. Wajib.", True, ref.PendidikanKK),
    C("pendidikan_sedang_id", "pendidikan_sedang", K.CODE, "pendidikan sedang ditempuh", "Kode pendidikan yang sedang ditempuh.", table=ref.PendidikanSedang),
    C("pekerjaan_id", "pekerjaan", K.CODE, "pekerjaan", "Kode pekerjaan. Wajib.", True, ref.Pekerjaan),
    C("status_kawin", "status_kawin", K.CODE, "status perkawinan", "Kode status perkawinan. Wajib.", True, ref.StatusKawin),
    C("kk_level", "hubungan", K.CODE, "hubungan dalam keluarga", "Hubungan dalam keluarga; 1 = Kepala Keluarga (tepat satu per No. KK). Wajib.", True, ref.Hubungan),
    C("warganegara_id", "warganegara", K.CODE, "kewarganegaraan", "1 WNI, 2 WNA, 3 Dua Kewarganegaraan. Kosong = WNI.", table=ref.Warganegara),
    C("ayah_nik", "nik_ayah", K.PARENT_NIK, "NIK ayah", "NIK ayah (boleh kosong).", max_length=16),
    C("nama_ayah", "nama_ayah", K.TEXT, "nama ayah", "Nama ayah.", max_length=100),
    C("ibu_nik", "nik_ibu", K.PARENT_NIK, "NIK ibu", "NIK ibu (boleh kosong).", max_length=16),
    C("nama_ibu", "nama_ibu", K.TEXT, "nama ibu", "Nama ibu.", max_length=100),
    C("golongan_darah_id", "golongan_darah", K.CODE, "golongan darah", "Kode golongan darah. Kosong = Tidak Tahu.", table=ref.GolonganDarah),
    C("akta_lahir", "akta_lahir", K.NUMBER_TEXT, "no. akta kelahiran", "Nomor akta kelahiran.", max_length=50),
    C("dokumen_pasport", "no_paspor", K.NUMBER_TEXT, "no. paspor", "Nomor paspor.", max_length=30),
    C("tanggal_akhir_paspor", "tanggal_akhir_paspor", K.DATE, "tanggal akhir paspor", "Tanggal berakhir paspor."),
    C("dokumen_kitas", "no_kitas", K.NUMBER_TEXT, "no. KITAS/KITAP", "Nomor KITAS/KITAP.", max_length=30),
    C("akta_perkawinan", "akta_perkawinan", K.NUMBER_TEXT, "no. akta perkawinan", "Nomor akta/buku nikah.", max_length=50),
    C("tanggalperkawinan", "tanggal_perkawinan", K.DATE, "tanggal perkawinan", "Tanggal perkawinan."),
    C("akta_perceraian", "akta_perceraian", K.NUMBER_TEXT, "no. akta perceraian", "Nomor akta perceraian.", max_length=50),
    C("tanggalperceraian", "tanggal_perceraian", K.DATE, "tanggal perceraian", "Tanggal perceraian."),
    C("cacat_id", "cacat", K.CODE, "disabilitas", "Kode disabilitas. Kosong = Tidak Cacat.", table=ref.Cacat),
    C("cara_kb_id", "cara_kb", K.CODE, "akseptor KB", "Kode cara KB.", table=ref.CaraKB),
    C("hamil", "hamil", K.CODE, "status kehamilan", "1 Hamil, 2 Tidak Hamil.", table=ref.Hamil),
    C("ktp_el", "ktp_el", K.CODE, "KTP-el", "1 Belum, 2 KTP-el. Kosong = Belum.", table=ref.KtpEl),
    C("status_rekam", "status_rekam", K.CODE, "status rekam KTP-el", "Kode status rekam KTP-el.", table=ref.StatusRekam),
    C("alamat_sekarang", "alamat_sekarang", K.TEXT, "alamat sekarang", "Alamat tinggal sekarang bila berbeda dari KK.", max_length=200),
    C("status_dasar", "status_dasar", K.CODE, "status dasar", "1 Hidup, 2 Mati, 3 Pindah, 4 Hilang, 6 Pergi. Kosong = Hidup.", table=ref.StatusDasar),
    C("suku", "suku", K.TEXT, "suku/etnis", "Suku/etnis.", max_length=50),
    C("tag_id_card", "tag_id_card", K.NUMBER_TEXT, "tag ID card", "Nomor tag chip e-KTP.", max_length=30),
    C("id_asuransi", "asuransi", K.CODE, "asuransi kesehatan", "Kode asuransi. Kosong = Tidak/Belum Punya.", table=ref.Asuransi),
    C("no_asuransi", "no_asuransi", K.NUMBER_TEXT, "no. asuransi", "Nomor kartu asuransi.", max_length=30),
    C("lat", "lat", K.IGNORED, "lintang", "Koordinat lintang (tidak disimpan)."),
    C("lng", "lng", K.IGNORED, "bujur", "Koordinat bujur (tidak disimpan)."),
    # --- Balai's own, after OpenSID's: optional, so OpenSID files without them import as they are.
    C("status_penduduk", "status_penduduk", K.CODE, "status penduduk", "1 Tetap, 2 Tidak Tetap. Kosong = Tetap.", table=ref.StatusPenduduk, opensid=False),
    C("sakit_menahun_id", "sakit_menahun", K.CODE, "sakit menahun", "Kode sakit menahun.", table=ref.SakitMenahun, opensid=False),
    C("alamat_sebelumnya", "alamat_sebelumnya", K.TEXT, "alamat sebelumnya", "Alamat sebelumnya.", max_length=200, opensid=False),
    C("telepon", "telepon", K.NUMBER_TEXT, "telepon", "Nomor telepon/HP.", max_length=20, opensid=False),
)  # fmt: skip

BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
REQUIRED: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
# Defaults of code columns left empty (the model's defaults), so a sparse OpenSID file still imports.
CODE_DEFAULTS: dict[str, int] = {
    "warganegara": ref.Warganegara.WNI,
    "golongan_darah": ref.GolonganDarah.TIDAK_TAHU,
    "cacat": ref.Cacat.TIDAK_CACAT,
    "ktp_el": ref.KtpEl.BELUM,
    "asuransi": ref.Asuransi.TIDAK_BELUM_PUNYA,
    "status_dasar": ref.StatusDasar.HIDUP,
    "status_penduduk": ref.StatusPenduduk.TETAP,
}
# Codes the model requires: empty is a blocking error.
REQUIRED_CODES = frozenset({"agama", "pendidikan_kk", "pekerjaan", "status_kawin", "hubungan"})

_HEADER_JUNK = re.compile(r"[\s\-]+")


def normalize_header(value: object) -> str:
    """'Tanggal Lahir ' -> 'tanggal_lahir'; OpenSID's names are lower-case with underscores."""
    return _HEADER_JUNK.sub("_", str(value if value is not None else "").strip().lower()).strip("_")


# Spellings villages use for codes, beyond the labels in reference.py (compared after _label_key).
LABEL_ALIASES: dict[str, dict[str, int]] = {
    "jenis_kelamin": {"L": 1, "LK": 1, "LAKI": 1, "LAKILAKI": 1, "PRIA": 1, "P": 2, "PR": 2, "WANITA": 2},
    "agama": {"KATOLIK": 3, "BUDDHA": 5, "KONGHUCU": 6, "KHONG HU CU": 6, "KEPERCAYAAN": 7},
    "pendidikan_kk": {"AKADEMIDIPLOMAIIISMUDA": 7},
    "ktp_el": {"KTPEL": 2, "SUDAH": 2},
}

_LABEL_JUNK = re.compile(r"[^A-Z0-9+\-]")


def _label_key(value: str) -> str:
    """Upper-case, no spaces or punctuation; a trailing +/- stays (blood groups A+ and A-)."""
    key = _LABEL_JUNK.sub("", value.upper())
    return key if key.endswith(("+", "-")) else key.replace("-", "").replace("+", "")


def _build_label_index() -> dict[str, dict[str, int]]:
    index: dict[str, dict[str, int]] = {}
    for column in COLUMNS:
        if column.table is None:
            continue
        labels = {_label_key(str(label)): int(value) for value, label in column.table.choices}
        for alias, value in LABEL_ALIASES.get(column.field, {}).items():
            labels[_label_key(alias)] = value
        index[column.field] = labels
    return index


LABEL_INDEX = _build_label_index()


def code_from_label(field: str, text: str) -> int | None:
    """'ISLAM' -> 1, 'Tidak / Belum Sekolah' -> 1, 'A+' -> 5 (labels as OpenSID's Kode Data writes them)."""
    return LABEL_INDEX.get(field, {}).get(_label_key(text))
