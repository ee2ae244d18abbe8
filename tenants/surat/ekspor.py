"""Buku agenda surat keluar as an .xlsx workbook (openpyxl, write-only)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook

from tenants.surat import teks
from tenants.surat.models import Permohonan

KOLOM = ("No.", "Nomor surat", "Tanggal", "Jenis surat", "Kode klasifikasi", "Atas nama", "Keperluan", "Status")


def agenda_xlsx(rows: Iterable[Permohonan], *, tahun: int, bulan: int | None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Surat keluar")
    periode = f"{teks.BULAN[bulan - 1]} {tahun}" if bulan else str(tahun)
    ws.append([f"Buku Agenda Surat Keluar — {periode}"])
    ws.append(list(KOLOM))
    for i, p in enumerate(rows, start=1):
        status = "Dicabut" if p.dicabut else p.get_status_display()
        ws.append(
            [
                i,
                p.nomor,
                p.tanggal_surat,
                p.templat.nama,
                p.templat.kode_klasifikasi,
                p.penduduk.nama,
                p.keperluan,
                status,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
