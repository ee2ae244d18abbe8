"""NIK and No. KK checks: structure, region and birth date, with Indonesian messages that say what to fix.

Real NIK: PP KK CC DDMMYY SSSS (lokal-id parses it). Temporary NIK (OpenSID convention): "0" + the
10-digit village code + a 5-digit serial, issued by a village to a resident who has no NIK yet.
Region names come from the Kemendagri list shipped in lokal-id; no database is read here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from lokal.nik import parse_nik
from lokal.wilayah import get_wilayah, wilayah_name

from tenants.penduduk.reference import JenisKelamin

NIK_LENGTH = 16
_SEPARATORS = re.compile(r"[\s.\-]")
_DIGITS = re.compile(r"[0-9]+")
TEMPORARY_SERIAL_DIGITS = 5

MSG_LENGTH = "{label} harus 16 digit angka (yang diisi {n} digit). Periksa kembali {label} pada {where}."
MSG_NOT_DIGITS = "{label} hanya boleh berisi angka. Hapus huruf atau tanda baca lalu isi 16 digit {label}."
MSG_PROVINCE = (
    'Kode wilayah tidak dikenal: provinsi "{pp}" (2 digit pertama {label}) tidak ada dalam daftar Kemendagri. '
    "Periksa kembali {label}."
)
MSG_KABUPATEN = (
    'Kode wilayah tidak dikenal: kabupaten/kota "{kode}" (4 digit pertama {label}) tidak ada dalam daftar '
    "Kemendagri. Periksa kembali {label}."
)
MSG_ZERO_REGION = "Kode wilayah tidak dikenal: kode kabupaten/kota dan kecamatan di {label} tidak boleh 00."
MSG_KECAMATAN_WARNING = (
    'Kode kecamatan "{kode}" tidak ada dalam daftar Kemendagri terbaru; bisa jadi kode lama sebelum pemekaran. '
    "NIK tetap diterima."
)
MSG_BIRTH_DATE = (
    "Tanggal lahir di NIK (digit 7-12: {ddmmyy}) bukan tanggal yang mungkin. Untuk perempuan tanggal lahir "
    "ditambah 40 (mis. tanggal 5 menjadi 45). Periksa kembali NIK."
)
MSG_SERIAL = "Nomor urut NIK (4 digit terakhir) tidak boleh 0000. Periksa kembali NIK."
MSG_TEMP_VILLAGE = (
    'NIK sementara harus "0" + 10 digit kode desa + 5 digit nomor urut, tetapi kode desa "{kode}" tidak ada '
    "dalam daftar Kemendagri. Periksa kembali NIK sementara."
)
MSG_TEMP_SERIAL = "Nomor urut NIK sementara (5 digit terakhir) tidak boleh 00000. Periksa kembali NIK sementara."
MSG_KK_SERIAL = "Nomor urut No. KK (4 digit terakhir) tidak boleh 0000. Periksa kembali No. KK."


@dataclass
class NikCheck:
    """The outcome of checking one NIK. `errors` block saving; `warnings` are shown but accepted."""

    input: str
    nik: str | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    nik_sementara: bool = False
    jenis_kelamin: JenisKelamin | None = None
    tanggal_lahir: dt.date | None = None
    #: Dotted Kemendagri code of the kecamatan (real NIK) or the village (temporary NIK).
    kode_wilayah: str | None = None

    @property
    def valid(self) -> bool:
        return not self.errors


def normalize_number(value: str) -> str:
    """Drops spaces, dots and dashes people type inside long numbers."""
    return _SEPARATORS.sub("", str(value))


def kode_desa_digits(kode_desa: str) -> str:
    """'18.01.17.2011' -> '1801172011' (the village code inside a temporary NIK)."""
    digits = normalize_number(kode_desa)
    if not (_DIGITS.fullmatch(digits) and len(digits) == 10):
        raise ValueError(f"village code must have 10 digits, got {kode_desa!r}")
    return digits


def _dotted_village(digits10: str) -> str:
    return f"{digits10[0:2]}.{digits10[2:4]}.{digits10[4:6]}.{digits10[6:10]}"


def _shape_errors(digits: str, label: str) -> list[str]:
    if digits and not _DIGITS.fullmatch(digits):
        return [MSG_NOT_DIGITS.format(label=label)]
    if len(digits) != NIK_LENGTH:
        where = "Kartu Keluarga" if label == "No. KK" else "KTP atau Kartu Keluarga"
        return [MSG_LENGTH.format(label=label, n=len(digits), where=where)]
    return []


def _region_errors(digits: str, label: str) -> list[str]:
    """Province and kabupaten must exist today; kabupaten codes are stable, kecamatan codes are not."""
    pp, kk, cc = digits[0:2], digits[2:4], digits[4:6]
    if wilayah_name(pp) is None:
        return [MSG_PROVINCE.format(pp=pp, label=label)]
    if kk == "00" or cc == "00":
        return [MSG_ZERO_REGION.format(label=label)]
    if wilayah_name(f"{pp}.{kk}") is None:
        return [MSG_KABUPATEN.format(kode=f"{pp}.{kk}", label=label)]
    return []


def _check_temporary(check: NikCheck, digits: str) -> NikCheck:
    check.nik_sementara = True
    village = _dotted_village(digits[1:11])
    found = get_wilayah(village)
    if found is None or found.level != 4:
        check.errors.append(MSG_TEMP_VILLAGE.format(kode=village))
    if digits[11:] == "0" * TEMPORARY_SERIAL_DIGITS:
        check.errors.append(MSG_TEMP_SERIAL)
    check.kode_wilayah = village
    return check


def check_nik(value: str, *, today: dt.date | None = None) -> NikCheck:
    """Checks a NIK or a temporary NIK. Derives sex and birth date from a real NIK."""
    check = NikCheck(input=value)
    digits = normalize_number(value)
    check.errors.extend(_shape_errors(digits, "NIK"))
    if check.errors:
        return check
    check.nik = digits
    if digits.startswith("0"):  # no province code starts with 0: this is a village-issued number
        return _check_temporary(check, digits)

    check.errors.extend(_region_errors(digits, "NIK"))
    kecamatan = f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}"
    check.kode_wilayah = kecamatan
    if not check.errors and wilayah_name(kecamatan) is None:
        check.warnings.append(MSG_KECAMATAN_WARNING.format(kode=kecamatan))

    today = today or dt.date.today()
    parsed = parse_nik(digits, reference_date=today)
    if parsed.birth_date is None:
        check.errors.append(MSG_BIRTH_DATE.format(ddmmyy=digits[6:12]))
    else:
        born = dt.date.fromisoformat(parsed.birth_date)
        if born > today:  # lokal-id puts yy <= this year in the 2000s; a future date means the 1900s
            born = born.replace(year=born.year - 100)
        check.tanggal_lahir = born
        check.jenis_kelamin = JenisKelamin.PEREMPUAN if parsed.gender == "P" else JenisKelamin.LAKI_LAKI
    if digits[12:] == "0000":
        check.errors.append(MSG_SERIAL)
    return check


def same_birth_date(nik_date: dt.date, recorded: dt.date) -> bool:
    """A NIK carries only two year digits: 1925 and 2025 look the same in it."""
    return (nik_date.day, nik_date.month, nik_date.year % 100) == (recorded.day, recorded.month, recorded.year % 100)


def temporary_nik(*, kode_desa: str, serial: int) -> str:
    """'0' + 10-digit village code + 5-digit serial."""
    if not 1 <= serial < 10**TEMPORARY_SERIAL_DIGITS:
        raise ValueError(f"temporary NIK serial out of range: {serial}")
    return f"0{kode_desa_digits(kode_desa)}{serial:05d}"


def check_no_kk(value: str) -> tuple[str | None, list[str]]:
    """No. KK: 16 digits, known region (or a village's temporary number), serial not 0000.

    Returns (normalised number or None, errors). The date inside a No. KK is its issue date, not checked here.
    """
    digits = normalize_number(value)
    errors = _shape_errors(digits, "No. KK")
    if errors:
        return None, errors
    if digits.startswith("0"):
        village = _dotted_village(digits[1:11])
        found = get_wilayah(village)
        if found is None or found.level != 4:
            errors.append(MSG_TEMP_VILLAGE.format(kode=village).replace("NIK", "No. KK"))
        return digits, errors
    errors.extend(_region_errors(digits, "No. KK"))
    if digits[12:] == "0000":
        errors.append(MSG_KK_SERIAL)
    return digits, errors
