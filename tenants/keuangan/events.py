"""What village finance publishes to the province layer (through the outbox).

Payloads carry the year, version number and counts only (no names, no amounts of persons).
"""

from __future__ import annotations

from tenants.outbox.services import outbox_emit

#: A budget version created, changed, ditetapkan or deleted (payload: tahun, versi, aksi).
APBDES = "keuangan.apbdes"
#: Realisation recorded or deleted (payload: tahun, aksi, jumlah_transaksi).
REALISASI = "keuangan.realisasi"
#: A Siskeudes export imported (payload: tahun, baris, transaksi).
DIIMPOR = "keuangan.diimpor"

SEMUA = (APBDES, REALISASI, DIIMPOR)


def apbdes_berubah(*, tahun: int, versi: int, aksi: str) -> None:
    outbox_emit(topic=APBDES, payload={"tahun": tahun, "versi": versi, "aksi": aksi})


def realisasi_berubah(*, tahun: int, aksi: str, jumlah_transaksi: int = 1) -> None:
    outbox_emit(topic=REALISASI, payload={"tahun": tahun, "aksi": aksi, "jumlah_transaksi": jumlah_transaksi})


def diimpor(*, tahun: int, baris: int, transaksi: int) -> None:
    outbox_emit(topic=DIIMPOR, payload={"tahun": tahun, "baris": baris, "transaksi": transaksi})
