"""The register out as .xlsx in OpenSID's layout (so it re-imports here and in OpenSID), our template,
and import reports. The register streams through xlsx_writer (memory stays flat, ~1 s for 15,000
residents); the small template and reports use openpyxl."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tenants.penduduk.impor.columns import COLUMNS, Kind
from tenants.penduduk.impor.readers import SHEET_NAME
from tenants.penduduk.impor.xlsx_writer import SheetSpec, write_xlsx
from tenants.penduduk.models import ImportJob, Penduduk

KODE_SHEET = "Kode Data"
HEADER_FILL = PatternFill("solid", fgColor="0F766E")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TEXT_COLUMNS = {c.name for c in COLUMNS if c.kind in (Kind.NIK, Kind.NO_KK, Kind.PARENT_NIK, Kind.NUMBER_TEXT)}
TEXT_POSITIONS = {i for i, c in enumerate(COLUMNS) if c.name in TEXT_COLUMNS}
# Penduduk values read for the export, in the order of COLUMNS (family and territory through joins).
_SOURCES: dict[str, str] = {
    "alamat": "keluarga__alamat",
    "dusun": "rt__rw__dusun__nama",
    "rw": "rt__rw__nomor",
    "rt": "rt__nomor",
    "no_kk": "keluarga__no_kk",
}


def _safe(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """Text that Excel would take for a formula stays text (a name like '=HYPERLINK(...)')."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")) and len(value) > 1:
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _header(ws: WriteOnlyWorksheet, names: Sequence[str]) -> list[Any]:
    cells = []
    for name in names:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cells.append(cell)
    return cells


def _kode_sheet_rows() -> Iterable[list[Any]]:
    yield ["kolom", "kode", "arti"]
    for column in COLUMNS:
        if column.table is None:
            continue
        for value, label in column.table.choices:
            yield [column.name, int(value), str(label)]


def export_xlsx(*, out: BinaryIO) -> int:
    """Writes every resident of the current village (all statuses) to `out` in OpenSID's column layout,
    plus a "Kode Data" sheet. Returns the number of resident rows. Reads only (one query, streamed)."""
    sources = [_SOURCES.get(c.field, c.field) for c in COLUMNS if c.kind is not Kind.IGNORED]
    positions = [i for i, c in enumerate(COLUMNS) if c.kind is not Kind.IGNORED]
    width = len(COLUMNS)
    qs = Penduduk.objects.order_by("keluarga__no_kk", "hubungan", "id").values_list(*sources)

    def rows() -> Iterable[list[Any]]:
        for values in qs.iterator(chunk_size=2000):
            row: list[Any] = [None] * width
            for position, value in zip(positions, values, strict=True):
                row[position] = value
            yield row

    kode = list(_kode_sheet_rows())
    counts = write_xlsx(
        out,
        [
            SheetSpec(SHEET_NAME, [c.name for c in COLUMNS], rows(), TEXT_POSITIONS),
            SheetSpec(KODE_SHEET, kode[0], kode[1:], set()),
        ],
    )
    return counts[0]


def template_xlsx(*, out: BinaryIO) -> None:
    """Our import template: OpenSID's columns, a note on every header, text-formatted number columns,
    a "Kode Data" sheet with every code and a "Petunjuk" sheet. No example row (it would be imported)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_NAME
    for position, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=position, value=column.name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        wajib = (
            "WAJIB. "
            if column.name in ("nama", "agama_id", "pendidikan_kk_id", "pekerjaan_id", "status_kawin", "kk_level")
            else ""
        )
        cell.comment = Comment(f"{column.label.capitalize()}: {wajib}{column.note}", "Balai", width=260, height=110)
        letter = get_column_letter(position)
        ws.column_dimensions[letter].width = max(12, len(column.name) + 4)
        if column.name in TEXT_COLUMNS:
            ws.column_dimensions[letter].number_format = "@"
            for row in range(2, 1002):  # Excel applies a column format only to cells that carry it
                ws.cell(row=row, column=position).number_format = "@"
        elif column.kind is Kind.DATE:
            for row in range(2, 1002):
                ws.cell(row=row, column=position).number_format = "DD-MM-YYYY"
    ws.freeze_panes = "A2"

    kode = wb.create_sheet(KODE_SHEET)
    for row_values in _kode_sheet_rows():
        kode.append(row_values)
    for cell in kode[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    kode.column_dimensions["A"].width = 22
    kode.column_dimensions["C"].width = 50

    petunjuk = wb.create_sheet("Petunjuk")
    lines = [
        "Petunjuk pengisian data penduduk",
        "",
        f'1. Isi satu baris per penduduk di lembar "{SHEET_NAME}", mulai baris 2. Jangan ubah baris judul kolom.',
        "2. Kolom ini sama dengan template impor OpenSID: file dari OpenSID dapat diunggah apa adanya.",
        '3. Kode (agama_id, pekerjaan_id, kk_level, ...) diisi angka dari lembar "Kode Data"; '
        "nama kodenya juga diterima.",
        "4. NIK dan No. KK 16 digit, kolomnya berformat Teks. NIK kosong: diberi NIK sementara desa.",
        "5. Tanggal: format tanggal Excel, atau ketik dd-mm-yyyy (mis. 28-03-1978).",
        "6. Setiap No. KK harus punya tepat satu kepala keluarga (kk_level 1).",
        '7. RW boleh "-" bila dusun tidak memakai RW.',
        "8. Satu file diimpor utuh atau tidak sama sekali: bila ada galat, tidak ada data yang disimpan dan laporan "
        "menunjukkan baris dan kolom yang harus diperbaiki.",
        "9. Peringatan (mis. tanggal lahir tidak sesuai NIK) tidak menghentikan impor; penduduknya ditandai "
        '"perlu diperiksa" untuk diperbaiki nanti.',
    ]
    for line in lines:
        petunjuk.append([line])
    petunjuk["A1"].font = Font(bold=True, size=14)
    petunjuk.column_dimensions["A"].width = 120
    for row_cells in petunjuk.iter_rows(min_row=3):
        row_cells[0].alignment = Alignment(wrap_text=True)
    wb.save(out)


# --- import reports ----------------------------------------------------------------------------

REPORT_HEADER = ["jenis", "baris", "kolom", "pesan"]


def report_rows(job: ImportJob) -> Iterable[list[Any]]:
    """Errors first, then warnings: (jenis, baris, kolom, pesan)."""
    for jenis, issues in (("galat", job.galat), ("peringatan", job.peringatan)):
        for issue in issues:
            yield [jenis, issue.get("baris"), issue.get("kolom", ""), issue.get("pesan", "")]


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value
    return value


def report_csv(job: ImportJob) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(REPORT_HEADER)
    for row in report_rows(job):
        writer.writerow([_csv_safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def report_xlsx(job: ImportJob, *, out: BinaryIO) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Laporan impor")
    ws.append(_header(ws, REPORT_HEADER))
    for row in report_rows(job):
        ws.append([_safe(ws, v) for v in row])
    info = wb.create_sheet("Ringkasan")
    for label, value in (
        ("File", job.nama_file),
        ("Status", job.get_status_display()),
        ("Pesan", job.pesan),
        ("Baris", job.total_baris),
        ("Penduduk dibuat", job.penduduk_dibuat),
        ("Keluarga dibuat", job.keluarga_dibuat),
        ("Galat", len(job.galat)),
        ("Peringatan", len(job.peringatan)),
        ("Waktu", f"{timezone.localtime(job.created_at):%d-%m-%Y %H:%M}" if job.created_at else ""),
    ):
        info.append([label, _safe(info, value)])
    wb.save(out)
