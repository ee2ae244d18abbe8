"""The realisation report as a file: PDF (WeasyPrint, A4 landscape) and .xlsx (openpyxl)."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string

from tenants.keuangan.selectors import PERIODE, Laporan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KOLOM = ("Kode", "Uraian", "Anggaran (Rp)", "Realisasi (Rp)", "Lebih/(Kurang) (Rp)", "%")


def nama_file(lap: Laporan, slug: str, ext: str) -> str:
    return f"realisasi-apbdes-{slug}-{lap.tahun}-{lap.periode}-{lap.per}.{ext}"


def laporan_xlsx(lap: Laporan, *, judul_desa: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Realisasi"
    ws.append([lap.judul])
    ws.append([judul_desa])
    versi = f"APBDes {lap.apbdes.label}" if lap.apbdes else "Belum ada APBDes yang ditetapkan"
    ws.append([f"{PERIODE[lap.periode]}, realisasi s.d. {lap.sampai:%d-%m-%Y}; anggaran: {versi}"])
    ws.append([])
    ws.append(list(KOLOM))
    for cell in ws[5]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in lap.baris:
        indent = "  " * max(row.tingkat - 1, 0)
        ws.append(
            [
                row.kode,
                indent + row.uraian,
                row.anggaran,
                row.realisasi,
                row.selisih,
                float(row.persen) if row.persen is not None else None,
            ]
        )
        if row.tebal:
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
    for r in ws.iter_rows(min_row=6, min_col=3, max_col=5):
        for cell in r:
            cell.number_format = "#,##0;(#,##0)"
    for r in ws.iter_rows(min_row=6, min_col=6, max_col=6):
        for cell in r:
            cell.number_format = "0.00"
    for i, width in enumerate((12, 60, 18, 18, 18, 8), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A6"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def laporan_pdf(lap: Laporan, *, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("keuangan/laporan_pdf.html", {"lap": lap, "periode": PERIODE[lap.periode], **context})
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
