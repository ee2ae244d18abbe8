"""What the projects module publishes (through the outbox): ids, codes and numbers only."""

from __future__ import annotations

from tenants.outbox.services import outbox_emit

PROYEK = "pembangunan.proyek"
DOKUMEN = "pembangunan.dokumen"


def proyek_berubah(*, proyek_id: int, aksi: str, tahun: int, persen: int) -> None:
    outbox_emit(topic=PROYEK, payload={"proyek_id": proyek_id, "aksi": aksi, "tahun": tahun, "persen": persen})


def dokumen_berubah(*, dokumen_id: int, aksi: str, jenis: str, tahun: int) -> None:
    outbox_emit(topic=DOKUMEN, payload={"dokumen_id": dokumen_id, "aksi": aksi, "jenis": jenis, "tahun": tahun})
