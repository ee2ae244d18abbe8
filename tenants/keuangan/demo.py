"""Demo finance data for the current village schema (make run, benchmarks, the portal's tests).

`isi_demo(tahun_awal, tahun, baris_per_tahun, transaksi_per_tahun)` writes the years tahun_awal..tahun
(inclusive; a `tahun` below 100 is read as a number of years): per year a ditetapkan APBDes awal, a
ditetapkan perubahan for years at least three quarters over, and the realisation transactions, from
tenants.keuangan.generator. Existing finance rows of those years are replaced. Bulk inserts, no
outbox events (demo data is not a history of changes); ~0.5 s per year of 2,000 lines / 5,000
transactions.
"""

from __future__ import annotations

import datetime as dt
import zlib

from django.db import transaction

from platform_core.tenancy.schemas import current_schema
from tenants.keuangan.generator import Baris, buat_tahun
from tenants.keuangan.models import Apbdes, BarisAnggaran, Transaksi

BATCH = 5000


def _lines(apbdes: Apbdes, rows: list[Baris]) -> list[BarisAnggaran]:
    return [
        BarisAnggaran(
            apbdes=apbdes,
            kode_rekening=b.kode_rekening,
            kode_kegiatan=b.kode_kegiatan,
            sumber_dana=b.sumber_dana,
            uraian=b.uraian,
            jumlah=b.jumlah,
        )
        for b in rows
    ]


def isi_demo(tahun_awal: int, tahun: int, baris_per_tahun: int = 2000, transaksi_per_tahun: int = 5000) -> None:
    """Fills the current village schema with `tahun_awal`..`tahun` of realistic finance data."""
    tahun_akhir = tahun_awal + tahun - 1 if tahun < 100 else tahun
    if tahun_akhir < tahun_awal:
        raise ValueError("tahun must be >= tahun_awal (or a number of years)")
    seed = zlib.crc32(current_schema().encode())
    today = dt.date.today()
    with transaction.atomic():
        years = list(range(tahun_awal, tahun_akhir + 1))
        Transaksi.objects.filter(tahun__in=years).delete()
        BarisAnggaran.objects.filter(apbdes__tahun__in=years).delete()
        Apbdes.objects.filter(tahun__in=years).delete()
        for year in years:
            data = buat_tahun(year, baris=baris_per_tahun, transaksi=transaksi_per_tahun, seed=seed, hari_ini=today)
            awal = Apbdes.objects.create(
                tahun=year,
                versi=0,
                status=Apbdes.Status.DITETAPKAN,
                nomor_perdes=f"Perdes No. 1 Tahun {year - 1}",
                tanggal_penetapan=dt.date(year - 1, 12, 20),
                catatan="Data contoh",
            )
            BarisAnggaran.objects.bulk_create(_lines(awal, data.awal), batch_size=BATCH)
            if data.perubahan is not None:
                pak = Apbdes.objects.create(
                    tahun=year,
                    versi=1,
                    status=Apbdes.Status.DITETAPKAN,
                    nomor_perdes=f"Perdes No. 4 Tahun {year}",
                    tanggal_penetapan=dt.date(year, 9, 15),
                    catatan="Data contoh",
                )
                BarisAnggaran.objects.bulk_create(_lines(pak, data.perubahan), batch_size=BATCH)
            Transaksi.objects.bulk_create(
                [
                    Transaksi(
                        tahun=year,
                        tanggal=t.tanggal,
                        kode_rekening=t.kode_rekening,
                        kode_kegiatan=t.kode_kegiatan,
                        sumber_dana=t.sumber_dana,
                        jumlah=t.jumlah,
                        uraian=t.uraian,
                        no_bukti=t.no_bukti,
                    )
                    for t in data.transaksi
                ],
                batch_size=BATCH,
            )
