"""What an uploaded file is (by its content, never its name), and its rows.

Guards run before any parser sees the file: a size limit, zip bombs (entry count, total
uncompressed size, compression ratio), OOXML content types that are not a workbook, binary junk.
Every refusal is a FileRefused with an Indonesian message for the operator.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from defusedxml import ElementTree as SafeET  # refuses entity expansion and external DTDs

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 250 * 1024 * 1024  # a 60,000-row OpenSID sheet is ~60 MB of XML
MAX_RATIO = 200  # real sheets compress 5-30x; deflate of zeros reaches ~1000x
MAX_ZIP_ENTRIES = 1000
MAX_ROWS = 60_000
HEADER_SEARCH_ROWS = 20
SNIFF_BYTES = 64 * 1024

SHEET_NAME = "Data Penduduk"  # OpenSID's sheet; any other workbook: its first sheet
END_MARKER = "###"  # OpenSID's template: rows from the green notes on are not data

WORKBOOK_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
)
MB = 1024 * 1024


class FileRefused(Exception):
    """The file cannot be read as a register; `message` tells the operator why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """The rows of the data sheet: the header and (row number as Excel shows it, values)."""

    jenis: str  # "xlsx" or "csv"
    header: list[Any]
    header_row: int
    rows: list[tuple[int, tuple[Any, ...]]]
    warnings: list[str] = field(default_factory=list)


# --- what is it ------------------------------------------------------------------------------


def detect(path: Path) -> str:
    """'xlsx' or 'csv', from the bytes. Raises FileRefused for anything else."""
    size = path.stat().st_size
    if size == 0:
        raise FileRefused("File kosong. Pilih file Excel (.xlsx/.xlsm) atau CSV yang berisi data penduduk.")
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            f"File terlalu besar ({size / MB:.1f} MB; batas {MAX_FILE_BYTES // MB} MB). "
            "Bagi data menjadi beberapa file, mis. per dusun."
        )
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(b"PK\x03\x04"):
        _check_workbook_zip(path)
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            "File ini berformat Excel lama (.xls) atau terkunci kata sandi. Buka di Excel, hapus kata sandinya "
            "bila ada, lalu Simpan Sebagai (Save As) Excel Workbook (.xlsx)."
        )
    if head.startswith(b"PK"):
        raise FileRefused("File ZIP ini rusak atau bukan file Excel. Simpan ulang dari Excel sebagai .xlsx.")
    if _looks_like_text(head):
        return "csv"
    raise FileRefused(
        "File ini bukan spreadsheet (bukan Excel .xlsx/.xlsm dan bukan CSV). Pilih file data penduduk "
        "dari Excel atau template OpenSID."
    )


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    text = _decode_sample(head)
    if text is None:
        return False
    stripped = text.lstrip("\ufeff \r\n\t")
    if stripped.startswith("<"):  # HTML, XML, SVG: not a CSV
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
    return controls <= len(text) // 100


def _decode_sample(head: bytes) -> str | None:
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        pass
    try:
        return head.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _check_workbook_zip(path: Path) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileRefused(
            "File Excel ini rusak dan tidak dapat dibuka. Simpan ulang dari Excel sebagai .xlsx."
        ) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise FileRefused(
                f"File ini berisi {len(infos)} bagian; file Excel data penduduk biasanya kurang dari 50. "
                "File ditolak demi keamanan."
            )
        total = sum(info.file_size for info in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise FileRefused(
                f"Isi file ini bila dibuka {total / MB:,.0f} MB (batas {MAX_UNCOMPRESSED_BYTES // MB} MB). "
                "File ditolak demi keamanan (kemungkinan bom zip). Bagi data menjadi beberapa file."
            )
        for info in infos:
            if info.file_size > MB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise FileRefused(
                    f"Bagian '{info.filename[:60]}' di file ini dimampatkan secara tidak wajar "
                    f"({info.file_size // max(info.compress_size, 1)}:1). File ditolak demi keamanan "
                    "(kemungkinan bom zip). Simpan ulang dari Excel sebagai .xlsx."
                )
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names:
            raise FileRefused("File ZIP ini bukan file Excel. Pilih file .xlsx/.xlsm atau CSV.")
        types = _content_types(archive)
    if any(t.startswith("application/vnd.ms-excel.sheet.binary") for t in types):
        raise FileRefused("Format Excel Binary (.xlsb) tidak didukung. Simpan Sebagai Excel Workbook (.xlsx).")
    if "wordprocessingml" in " ".join(types) or "presentationml" in " ".join(types):
        raise FileRefused("File ini dokumen Word/PowerPoint, bukan spreadsheet. Pilih file Excel atau CSV.")
    if not any(t in WORKBOOK_TYPES for t in types):
        raise FileRefused("File ZIP ini bukan file Excel. Pilih file .xlsx/.xlsm atau CSV.")


def _content_types(archive: zipfile.ZipFile) -> list[str]:
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > MB:
        raise FileRefused("File Excel ini tidak wajar (daftar isinya terlalu besar). File ditolak demi keamanan.")
    try:
        root = SafeET.fromstring(archive.read(info))
    except Exception as exc:  # defusedxml's refusals, ParseError, bad zip data: all "broken"
        raise FileRefused(
            "File Excel ini rusak atau tidak aman dibaca. Simpan ulang dari Excel sebagai .xlsx."
        ) from exc
    return [str(el.get("ContentType", "")) for el in root]


# --- reading ---------------------------------------------------------------------------------


def read_table(path: Path) -> Table:
    """The data rows of an uploaded register file. Raises FileRefused."""
    jenis = detect(path)
    return _read_xlsx(path) if jenis == "xlsx" else _read_csv(path)


def _blank(values: tuple[Any, ...]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _is_end_marker(values: tuple[Any, ...]) -> bool:
    return any(isinstance(v, str) and v.strip().startswith(END_MARKER) for v in values[:5])


def _collect(numbered: Iterator[tuple[int, tuple[Any, ...]]], jenis: str) -> Table:
    header: list[Any] | None = None
    header_row = 0
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for number, values in numbered:
        if header is None:
            if _blank(values):
                if number >= HEADER_SEARCH_ROWS:
                    break
                continue
            header, header_row = list(values), number
            continue
        if _is_end_marker(values):
            break
        if _blank(values):
            continue
        rows.append((number, values))
        if len(rows) > MAX_ROWS:
            raise FileRefused(
                f"File berisi lebih dari {MAX_ROWS:,} baris data. Bagi menjadi beberapa file, mis. per dusun."
            )
    if header is None:
        raise FileRefused(
            "Baris judul kolom tidak ditemukan. Baris pertama harus berisi nama kolom seperti pada template "
            "(alamat, dusun, rw, rt, nama, no_kk, nik, ...)."
        )
    return Table(jenis=jenis, header=header, header_row=header_row, rows=rows)


def _open_workbook(handle: BinaryIO) -> Any:
    """openpyxl's read-only workbook, without its up-front size scan of every sheet.

    openpyxl finds a read-only sheet's size from its <dimension> element; files without one (openpyxl's
    own write-only output, our export) are parsed completely just for that, then again for the rows.
    Rows are read as they come instead (reset_dimensions): half the reading time for those files.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class UnsizedSheet(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            return None

    class Reader(ExcelReader):
        def read_worksheets(self) -> None:
            for sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    ws = UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
                    ws.sheet_state = sheet.state or "visible"
                    self.wb._sheets.append(ws)  # type: ignore[attr-defined]  # how openpyxl's own reader adds it

    reader = Reader(handle, read_only=True, keep_vba=False, data_only=True, keep_links=False)
    reader.read()
    return reader.wb


def _read_xlsx(path: Path) -> Table:
    handle = path.open("rb")  # a file object: openpyxl then ignores the (absent) extension
    try:
        workbook = _open_workbook(handle)
    except Exception as exc:  # openpyxl raises many types for broken files
        handle.close()
        raise FileRefused(
            "File Excel ini tidak dapat dibaca (rusak atau bukan format .xlsx/.xlsm). Simpan ulang dari Excel."
        ) from exc
    try:
        if SHEET_NAME in workbook.sheetnames:
            sheet = workbook[SHEET_NAME]
        elif workbook.worksheets:
            sheet = workbook.worksheets[0]
        else:
            raise FileRefused(f'File Excel ini tidak punya lembar data. Letakkan data di lembar "{SHEET_NAME}".')
        sheet.reset_dimensions()  # some writers store a wrong used range; read what is there
        numbered = enumerate(sheet.iter_rows(values_only=True), start=1)
        try:
            return _collect(numbered, "xlsx")
        except FileRefused:
            raise
        except Exception as exc:
            raise FileRefused("Isi lembar Excel ini rusak dan tidak dapat dibaca. Simpan ulang dari Excel.") from exc
    finally:
        workbook.close()
        handle.close()


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    warnings: list[str] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        warnings.append(
            "File CSV tidak berformat UTF-8; dibaca sebagai Windows-1252. Periksa huruf khusus pada nama; "
            'sebaiknya simpan sebagai "CSV UTF-8".'
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def numbered() -> Iterator[tuple[int, tuple[Any, ...]]]:
        start = 1
        for values in reader:
            yield start, tuple(values)
            start = reader.line_num + 1

    try:
        table = _collect(numbered(), "csv")
    except csv.Error as exc:
        raise FileRefused(f"File CSV rusak: {exc}. Simpan ulang dari Excel sebagai CSV.") from exc
    table.warnings.extend(warnings)
    return table
