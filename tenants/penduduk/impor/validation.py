"""Row checks of an import file: blocking errors (galat) and warnings (peringatan), per row and column.

Errors stop the whole file (all-or-nothing); warnings are reported and the rows are imported, those
whose data disagree with themselves flagged `perlu_diperiksa` with a note. Row numbers are the rows
the operator sees in Excel (header = row 1). Reads the register once (NIKs and No. KK already there).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tenants.penduduk import reference as ref
from tenants.penduduk.impor.columns import (
    BY_NAME,
    CODE_DEFAULTS,
    COLUMNS,
    REQUIRED,
    REQUIRED_CODES,
    Column,
    Kind,
    code_from_label,
    normalize_header,
)
from tenants.penduduk.models import Keluarga, Penduduk
from tenants.penduduk.nik import check_nik, check_no_kk, normalize_number, same_birth_date

EXCEL_EPOCH = dt.date(1899, 12, 30)
EARLIEST_BIRTH = dt.date(1880, 1, 1)
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_INTEGER_TEXT = re.compile(r"^[0-9]+(?:\.0+)?$")
_EXPONENT = re.compile(r"^[0-9.,]+[eE][+]?[0-9]+$")
FLOAT_EXACT = 2**53  # integers above this lose digits in an Excel number cell


@dataclass
class Issue:
    baris: int | None  # None: about the whole file
    kolom: str
    pesan: str

    def as_dict(self) -> dict[str, Any]:
        return {"baris": self.baris, "kolom": self.kolom, "pesan": self.pesan}


@dataclass
class Row:
    """One valid row, ready to write."""

    baris: int
    fields: dict[str, Any]  # Penduduk fields (codes, texts, dates, nik, flags)
    no_kk: str
    alamat: str
    wilayah: tuple[str, str, str] | None
    catatan: list[str] = field(default_factory=list)
    nik_kosong: bool = False  # a temporary NIK is allocated at write time


@dataclass
class Outcome:
    rows: list[Row]
    errors: list[Issue]
    warnings: list[Issue]


class HeaderError(Exception):
    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(i.pesan for i in issues))
        self.issues = issues


def map_header(header: list[Any]) -> dict[str, int]:
    """Column name -> index. Unknown, duplicated or missing required columns are file-level errors."""
    issues: list[Issue] = []
    index: dict[str, int] = {}
    unknown: list[str] = []
    for position, raw in enumerate(header):
        name = normalize_header(raw)
        if not name:
            continue
        if name not in BY_NAME:
            unknown.append(str(raw).strip())
        elif name in index:
            issues.append(Issue(None, name, f'Kolom "{name}" muncul dua kali. Hapus salah satunya.'))
        else:
            index[name] = position
    missing = [name for name in REQUIRED if name not in index]
    if missing:
        issues.append(
            Issue(
                None,
                ", ".join(missing),
                f"Kolom wajib tidak ada: {', '.join(missing)}. Gunakan template OpenSID atau template dari "
                "halaman ini; nama kolom di baris pertama harus sama persis.",
            )
        )
    if unknown:
        issues.append(
            Issue(
                None,
                ", ".join(unknown),
                f"Kolom tidak dikenal: {', '.join(unknown)}. Hapus kolom itu atau perbaiki namanya sesuai template "
                "(mis. tanggallahir, agama_id); data di kolom yang salah nama tidak akan terbaca.",
            )
        )
    if issues:
        raise HeaderError(issues)
    return index


# --- cell conversion --------------------------------------------------------------------------


class CellError(ValueError):
    """A value that cannot be used; the message is for the operator."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    return str(value).strip()


def _number_text(value: Any) -> str:
    text = _text(value)
    return text[1:].strip() if text.startswith("'") else text


def _digits(value: Any, label: str) -> tuple[str, bool]:
    """A long number as digits; (digits, was a number cell)."""
    if isinstance(value, bool):
        raise CellError(f"{label} tidak valid. Isi 16 digit angka.")
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(f"{label} berisi pecahan. Format kolom sebagai Teks lalu ketik ulang {label}.")
        if abs(value) >= FLOAT_EXACT:
            raise CellError(
                f"{label} tersimpan sebagai angka Excel sehingga digit terakhirnya bisa berubah. Format kolom "
                f"{label} sebagai Teks lalu ketik ulang."
            )
        return str(int(value)), True
    text = _number_text(value)
    if _EXPONENT.fullmatch(text):
        raise CellError(
            f'{label} tertulis sebagai "{text}" (notasi ilmiah Excel): digitnya sudah hilang. Format kolom {label} '
            "sebagai Teks lalu ketik ulang."
        )
    return normalize_number(text), False


# Django's `IntegerChoices.values` builds a new list on every access: once per table here.
_CODE_VALUES: dict[str, frozenset[int]] = {
    c.field: frozenset(int(v) for v in c.table.values) for c in COLUMNS if c.table is not None
}


def _code(value: Any, column: Column) -> int | None:
    assert column.table is not None
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    code: int | None
    if isinstance(value, bool):
        code = None
    elif isinstance(value, int):
        code = value
    elif isinstance(value, float):
        code = int(value) if value.is_integer() else None
    else:
        text = str(value).strip()
        code = int(float(text)) if _INTEGER_TEXT.fullmatch(text) else code_from_label(column.field, text)
    if code is None or code not in _CODE_VALUES[column.field]:
        choices = column.table.choices
        if len(choices) <= 20:
            options = ", ".join(f"{v} {label}" for v, label in choices)
            hint = f"Pilihan: {options}."
        else:
            hint = 'Lihat lembar "Kode Data" pada template.'
        raise CellError(f'Kode {column.label} "{_text(value)}" tidak dikenal. {hint}')
    return code


def _date(value: Any, column: Column) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # an Excel serial date in a cell without a date format
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(f"{column.label.capitalize()} {value} bukan tanggal. Tulis dd-mm-yyyy, mis. 28-03-1978.")
    text = str(value).strip()
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _YMD.fullmatch(text)
        if not match:
            raise CellError(
                f'Format {column.label} "{text}" tidak dikenali. Tulis dd-mm-yyyy (mis. 28-03-1978) atau '
                "yyyy-mm-dd, atau gunakan format tanggal Excel."
            )
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(
            f'{column.label.capitalize()} "{text}" tidak ada di kalender. Periksa hari dan bulannya.'
        ) from exc


def _wilayah_nomor(value: Any, column: Column) -> str:
    text = _text(value)
    if text.isdigit():
        text = text.zfill(3)
    if len(text) > 3:
        raise CellError(f'Nomor {column.label} "{text}" terlalu panjang (paling banyak 3 karakter, mis. 001).')
    return text


# --- the validator ---------------------------------------------------------------------------


def _sex_label(value: int) -> str:
    return ref.JenisKelamin(value).label.lower()


class Validator:
    """Checks rows one by one (call `row` for each), then the whole file (`finish`)."""

    def __init__(self, index: dict[str, int]) -> None:
        self.index = index
        self.columns = [c for c in COLUMNS if c.name in index]
        self.today = timezone.localdate()
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.rows: list[Row] = []
        self.nik_rows: dict[str, int] = {}
        self.families: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
        self.wilayah_seen: set[tuple[str, str, str]] = set()
        self.parents_empty = {"ayah_nik": 0, "ibu_nik": 0}
        self.register_clashes: list[tuple[Issue, str]] = []
        self.register_niks = set(Penduduk.objects.values_list("nik", flat=True))
        self.register_kks = set(Keluarga.objects.values_list("no_kk", flat=True))

    def _error(self, baris: int | None, kolom: str, pesan: str) -> None:
        self.errors.append(Issue(baris, kolom, pesan))

    def _warn(self, baris: int | None, kolom: str, pesan: str) -> None:
        self.warnings.append(Issue(baris, kolom, pesan))

    def row(self, baris: int, values: tuple[Any, ...]) -> None:  # noqa: PLR0912, PLR0915  # one flat pass over the columns
        errors_before = len(self.errors)
        raw = {c.name: (values[self.index[c.name]] if self.index[c.name] < len(values) else None) for c in self.columns}
        fields: dict[str, Any] = {}
        catatan: list[str] = []

        for column in self.columns:
            value = raw[column.name]
            try:
                if column.kind in (Kind.TEXT, Kind.NUMBER_TEXT):
                    text = _text(value) if column.kind is Kind.TEXT else _number_text(value)
                    if column.max_length and len(text) > column.max_length:
                        raise CellError(
                            f"{column.label.capitalize()} terlalu panjang ({len(text)} karakter; paling banyak "
                            f"{column.max_length})."
                        )
                    fields[column.field] = text
                elif column.kind is Kind.CODE:
                    code = _code(value, column)
                    if code is None:
                        code = CODE_DEFAULTS.get(column.field)
                    if code is None and column.field in REQUIRED_CODES:
                        raise CellError(f"Kode {column.label} wajib diisi.")
                    fields[column.field] = code
                elif column.kind is Kind.DATE:
                    try:
                        fields[column.field] = _date(value, column)
                    except CellError as exc:
                        if column.field == "tanggal_lahir":
                            raise
                        # An unreadable document date does not stop the village coming in; kept in the note.
                        fields[column.field] = None
                        self._warn(
                            baris, column.name, f"{exc} Kolom ini dikosongkan; penduduk ditandai perlu diperiksa."
                        )
                        catatan.append(f"{column.label} di file: {_text(value)!r} tidak terbaca")
                elif column.kind is Kind.WILAYAH:
                    text = _text(value) if column.field == "dusun" else _wilayah_nomor(value, column)
                    if column.max_length and len(text) > column.max_length:
                        raise CellError(
                            f"Nama {column.label} terlalu panjang ({len(text)} karakter; paling banyak "
                            f"{column.max_length})."
                        )
                    fields[column.field] = text
                elif column.kind is Kind.PARENT_NIK:
                    fields[column.field] = self._parent_nik(baris, column, value)
                elif column.kind in (Kind.NIK, Kind.NO_KK):
                    fields[column.field] = value  # checked below, together
            except CellError as exc:
                self._error(baris, column.name, str(exc))

        if not fields.get("nama") and "nama" not in {e.kolom for e in self.errors[errors_before:]}:
            self._error(baris, "nama", "Nama wajib diisi.")

        bad = {e.kolom for e in self.errors[errors_before:]}
        nik, nik_kosong = self._nik(baris, raw.get("nik"), fields, catatan, bad)
        no_kk = self._no_kk(baris, raw.get("no_kk"))
        wilayah = self._wilayah(baris, fields)
        if nik:
            fields["nik"] = nik
        if no_kk:
            self.families[no_kk].append((baris, fields.get("hubungan")))
        elif no_kk == "" and not any(e.kolom == "no_kk" for e in self.errors[errors_before:]):
            self._warn(baris, "no_kk", "No. KK kosong: penduduk diimpor tanpa keluarga. Masukkan ke keluarga nanti.")

        if len(self.errors) == errors_before:
            for name in ("dusun", "rw", "rt", "no_kk", "alamat", "lat", "lng"):
                fields.pop(name, None)
            if catatan:
                fields["perlu_diperiksa"] = True
                fields["catatan_periksa"] = "Impor: " + "; ".join(catatan) + "."
            self.rows.append(
                Row(
                    baris=baris,
                    fields=fields,
                    no_kk=no_kk or "",
                    alamat=_text(raw.get("alamat")),
                    wilayah=wilayah,
                    catatan=catatan,
                    nik_kosong=nik_kosong,
                )
            )

    def _parent_nik(self, baris: int, column: Column, value: Any) -> str:
        if value is None or not _text(value):
            self.parents_empty[column.name] += 1
            return ""
        try:
            digits, _ = _digits(value, column.label)
        except CellError as exc:
            self._warn(baris, column.name, f"{exc} Dikosongkan.")
            return ""
        if len(digits) > 16 or not digits.isdigit():
            self._warn(baris, column.name, f'{column.label} "{_text(value)}" bukan NIK; dikosongkan.')
            return ""
        check = check_nik(digits, today=self.today)
        if not check.valid:
            self._warn(baris, column.name, f"{column.label} {digits} tidak valid ({check.errors[0]}); tetap disimpan.")
        return digits

    def _nik(  # noqa: PLR0912, PLR0915  # the NIK decides sex and birth date: one place for all of it
        self, baris: int, value: Any, fields: dict[str, Any], catatan: list[str], bad: set[str]
    ) -> tuple[str, bool]:
        """The row's NIK (or "" for a temporary one); sex and birth date checked against it.

        `bad`: columns of this row that already have an error (no second message for them).
        """
        sex, born = fields.get("jenis_kelamin"), fields.get("tanggal_lahir")
        missing_sex, missing_born = sex is None and "sex" not in bad, born is None and "tanggallahir" not in bad
        if born is not None:
            if born > self.today:
                self._error(baris, "tanggallahir", f"Tanggal lahir {born:%d-%m-%Y} di masa depan. Periksa kembali.")
            elif born < EARLIEST_BIRTH:
                self._error(baris, "tanggallahir", f"Tanggal lahir {born:%d-%m-%Y} tidak masuk akal. Periksa tahunnya.")
        try:
            digits, numeric = _digits(value, "NIK") if value is not None and _text(value) else ("", False)
        except CellError as exc:
            self._error(baris, "nik", str(exc))
            return "", False
        if not digits:
            if missing_sex:
                self._error(baris, "sex", "Jenis kelamin wajib diisi untuk penduduk tanpa NIK.")
            if missing_born:
                self._error(baris, "tanggallahir", "Tanggal lahir wajib diisi untuk penduduk tanpa NIK.")
            self._warn(baris, "nik", "NIK kosong: diberi NIK sementara desa. Ganti dengan NIK Dukcapil bila sudah ada.")
            fields["nik_sementara"] = True
            return "", True
        check = check_nik(digits, today=self.today)
        if not check.valid:
            for message in check.errors:
                hint = ""
                if numeric and len(digits) == 15:
                    hint = " Angka 0 di depan kemungkinan hilang karena kolom berformat angka: format sebagai Teks."
                self._error(baris, "nik", f"NIK {digits}: {message}{hint}")
            return "", False
        assert check.nik is not None
        nik = check.nik
        earlier = self.nik_rows.get(nik)
        if earlier is not None:
            self._error(baris, "nik", f"NIK {nik} sama dengan NIK di baris {earlier}. Satu NIK hanya untuk satu orang.")
        else:
            self.nik_rows[nik] = baris
        if nik in self.register_niks:
            issue = Issue(baris, "nik", f"NIK {nik} sudah terdaftar di desa ini.")  # holder named in finish()
            self.errors.append(issue)
            self.register_clashes.append((issue, nik))
        for message in check.warnings:
            self._warn(baris, "nik", message)
        fields["nik_sementara"] = check.nik_sementara
        if check.nik_sementara:
            if missing_sex:
                self._error(baris, "sex", "Jenis kelamin wajib diisi untuk penduduk dengan NIK sementara.")
            if missing_born:
                self._error(baris, "tanggallahir", "Tanggal lahir wajib diisi untuk penduduk dengan NIK sementara.")
            return nik, False
        assert check.jenis_kelamin is not None and check.tanggal_lahir is not None
        if sex is None:
            if "sex" not in bad:
                fields["jenis_kelamin"] = int(check.jenis_kelamin)
        elif sex != check.jenis_kelamin:
            message = (
                f"Jenis kelamin {_sex_label(sex)} tidak sesuai NIK (menurut NIK {_sex_label(check.jenis_kelamin)}). "
                "Tetap diimpor; penduduk ditandai perlu diperiksa."
            )
            self._warn(baris, "sex", message)
            catatan.append(f"jenis kelamin {_sex_label(sex)} tidak sesuai NIK ({_sex_label(check.jenis_kelamin)})")
        if missing_born:
            fields["tanggal_lahir"] = check.tanggal_lahir
            self._warn(baris, "tanggallahir", f"Tanggal lahir kosong; diisi dari NIK ({check.tanggal_lahir:%d-%m-%Y}).")
        elif born is not None and not same_birth_date(check.tanggal_lahir, born):
            self._warn(
                baris,
                "tanggallahir",
                f"Tanggal lahir {born:%d-%m-%Y} tidak sesuai NIK (menurut NIK {check.tanggal_lahir:%d-%m-%y}). "
                "Tetap diimpor; penduduk ditandai perlu diperiksa.",
            )
            catatan.append(f"tanggal lahir {born:%d-%m-%Y} tidak sesuai NIK ({check.tanggal_lahir:%d-%m-%y})")
        return nik, False

    def _no_kk(self, baris: int, value: Any) -> str | None:
        """The row's No. KK, "" when empty, None when wrong (error recorded)."""
        if value is None or not _text(value):
            return ""
        try:
            digits, _ = _digits(value, "No. KK")
        except CellError as exc:
            self._error(baris, "no_kk", str(exc))
            return None
        number, messages = check_no_kk(digits)
        for message in messages:
            self._error(baris, "no_kk", f"No. KK {digits}: {message}")
        if messages or number is None:
            return None
        return number

    def _wilayah(self, baris: int, fields: dict[str, Any]) -> tuple[str, str, str] | None:
        dusun, rw, rt = fields.get("dusun", ""), fields.get("rw", ""), fields.get("rt", "")
        if not (dusun or rw or rt):
            return None
        if not dusun:
            self._error(baris, "dusun", "Dusun wajib diisi bila RW/RT diisi.")
            return None
        path = (dusun, rw or "-", rt or "-")
        if path not in self.wilayah_seen:
            self.wilayah_seen.add(path)
            if path[1] == "-":
                self._warn(baris, "rw", f'Dusun {dusun} tanpa RW (RW "-"): RT dicatat langsung di bawah dusun.')
            if path[2] == "-":
                self._warn(baris, "rt", f'Dusun {dusun} RW {path[1]} tanpa RT (RT "-").')
        return path

    def finish(self) -> Outcome:
        """Checks across rows (one head per family, numbers already in the register)."""
        for no_kk, members in self.families.items():
            heads = [baris for baris, hubungan in members if hubungan == ref.Hubungan.KEPALA_KELUARGA]
            if not heads:
                self._error(
                    members[0][0],
                    "kk_level",
                    f"Keluarga No. KK {no_kk} tidak punya kepala keluarga di file ini: isi kk_level 1 pada satu "
                    f"anggotanya (baris {', '.join(str(b) for b, _ in members[:10])}).",
                )
            for baris in heads[1:]:
                self._error(
                    baris,
                    "kk_level",
                    f"Keluarga No. KK {no_kk} punya lebih dari satu kepala keluarga (baris {heads[0]} dan {baris}). "
                    "Satu KK hanya satu kepala keluarga (kk_level 1).",
                )
            if no_kk in self.register_kks:
                self._error(
                    members[0][0],
                    "no_kk",
                    f"No. KK {no_kk} sudah terdaftar di desa ini. Impor hanya menambah keluarga baru; tambahkan "
                    "anggota keluarga yang sudah ada lewat halaman keluarga.",
                )
        self._name_register_holders()
        for column, count in self.parents_empty.items():
            if count:
                label = BY_NAME[column].label
                self._warn(None, column, f"{label} kosong di {count} baris. Boleh dilengkapi nanti.")
        key = _issue_order
        return Outcome(rows=self.rows, errors=sorted(self.errors, key=key), warnings=sorted(self.warnings, key=key))

    def _name_register_holders(self) -> None:
        if not self.register_clashes:
            return
        niks = [nik for _, nik in self.register_clashes]
        holders = dict(Penduduk.objects.filter(nik__in=niks).values_list("nik", "nama"))
        for issue, nik in self.register_clashes:
            issue.pesan = (
                f"NIK {nik} sudah terdaftar di desa ini atas nama {holders.get(nik, '?')}. Hapus baris ini dari file, "
                "atau perbaiki NIK bila salah ketik."
            )


_COLUMN_ORDER = {c.name: i for i, c in enumerate(COLUMNS)}


def _issue_order(issue: Issue) -> tuple[int, int]:
    first = issue.kolom.split(",")[0].strip()
    return (issue.baris or 0, _COLUMN_ORDER.get(first, len(_COLUMN_ORDER)))


def validate(index: dict[str, int], rows: Iterable[tuple[int, tuple[Any, ...]]]) -> Outcome:
    """Every check over every row (convenience for callers that need no progress)."""
    validator = Validator(index)
    for baris, values in rows:
        validator.row(baris, values)
    return validator.finish()
