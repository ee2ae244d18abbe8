"""Demo projects for the current village schema (make run, benchmarks, the portal's browser test).

`isi_demo(jumlah=200, tahun_awal=..., tahun_akhir=..., foto=True, seed=...)` writes `jumlah` projects spread
over the years with 0-5 dated progress entries each (past years mostly finished, some late; the current year
a mix), and optionally one re-encoded photo on each project's newest entry. Existing projects are replaced.
Bulk inserts, no outbox events (demo data is not a history of changes); the portal cache is invalidated.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from decimal import Decimal

from django.db import transaction
from PIL import Image, ImageDraw

from platform_core.tenancy.schemas import current_schema
from tenants.pembangunan import portal_cache, unggahan
from tenants.pembangunan.models import Progres, Proyek

JENIS = [
    ("Rabat beton jalan", "meter", 2_000_000),
    ("Pembangunan drainase", "meter", 1_200_000),
    ("Pembangunan talud", "meter", 1_500_000),
    ("Sumur bor air bersih", "unit", 45_000_000),
    ("Rehabilitasi posyandu", "unit", 60_000_000),
    ("Jembatan gantung", "unit", 180_000_000),
    ("Lampu penerangan jalan", "titik", 3_500_000),
    ("Gorong-gorong", "unit", 12_000_000),
    ("Pembangunan MCK umum", "unit", 55_000_000),
    ("Peningkatan jalan usaha tani", "meter", 900_000),
]
DUSUN = ["Sukamaju", "Sidorejo", "Karang Anyar", "Mekarsari", "Suka Damai", "Tanjung Harapan"]
BIDANG = ["02.03.01", "02.03.02", "02.02.01", "02.01.03", "02.04.01"]
SUMBER = ["DDS", "DDS", "DDS", "ADD", "PAD", "BKK"]
# Around Bumi Jaya, Candipuro (Lampung Selatan).
LAT, LNG = -5.55, 105.53


def _foto(rng: random.Random, judul: str) -> Image.Image:
    warna = (rng.randrange(40, 200), rng.randrange(80, 200), rng.randrange(40, 160))
    image = Image.new("RGB", (800, 600), warna)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 420, 800, 600), fill=(120, 110, 100))
    draw.text((30, 30), judul[:40], fill=(255, 255, 255))
    return image


def isi_demo(
    *,
    jumlah: int = 200,
    tahun_awal: int | None = None,
    tahun_akhir: int | None = None,
    foto: bool = True,
    seed: int = 0,
) -> int:
    """Replaces the village's projects with `jumlah` demo projects; returns the number of progress entries."""
    today = dt.date.today()
    tahun_akhir = tahun_akhir or today.year
    tahun_awal = tahun_awal or tahun_akhir - 4
    rng = random.Random(seed or zlib.crc32(current_schema().encode()))  # noqa: S311  # demo data, not secrets
    years = list(range(tahun_awal, tahun_akhir + 1))
    with transaction.atomic():
        for old in Progres.objects.exclude(foto=""):
            unggahan.hapus(old.foto, old.foto_kecil)
        Proyek.objects.all().delete()
        proyek_rows = []
        rencana = []
        for i in range(jumlah):
            tahun = years[i % len(years)]
            nama, satuan, harga = rng.choice(JENIS)
            dusun = rng.choice(DUSUN)
            volume = rng.randrange(1, 4) if satuan != "meter" else rng.randrange(50, 800, 10)
            anggaran = Decimal(round(volume * harga * rng.uniform(0.8, 1.2), -5))
            dana = {rng.choice(SUMBER): anggaran}
            if rng.random() < 0.25:  # some projects are co-funded
                bagian = Decimal(round(anggaran * Decimal("0.2"), -5))
                dana = {"DDS": anggaran - bagian, "PAD" if rng.random() < 0.5 else "ADD": bagian}
            mulai = dt.date(tahun, rng.randrange(3, 9), rng.randrange(1, 28))
            selesai = mulai + dt.timedelta(days=rng.randrange(30, 120))
            proyek_rows.append(
                Proyek(
                    nama=f"{nama} Dusun {dusun}",
                    tahun=tahun,
                    bidang=rng.choice(BIDANG),
                    lokasi=f"RT {rng.randrange(1, 12):03d} Dusun {dusun}",
                    dusun=dusun,
                    lat=Decimal(f"{LAT + rng.uniform(-0.03, 0.03):.6f}"),
                    lng=Decimal(f"{LNG + rng.uniform(-0.03, 0.03):.6f}"),
                    pendanaan={k: str(int(v)) for k, v in dana.items()},
                    anggaran=sum(dana.values()),
                    pelaksana="TPK Desa",
                    volume=Decimal(volume),
                    satuan=satuan,
                    manfaat="Memperlancar akses dan kegiatan ekonomi warga.",
                    mulai_rencana=mulai,
                    selesai_rencana=selesai,
                )
            )
            rencana.append((mulai, selesai))
        Proyek.objects.bulk_create(proyek_rows, batch_size=500)
        progres_rows: list[Progres] = []
        for proyek, (mulai, selesai) in zip(proyek_rows, rencana, strict=True):
            if mulai > today:
                continue
            lalu = selesai < today
            target = 100 if lalu and rng.random() < 0.85 else rng.randrange(10, 95)
            langkah = rng.randrange(1, 6)
            tanggal_akhir = min(today, selesai + dt.timedelta(days=rng.randrange(-10, 20)))
            hari = max((tanggal_akhir - mulai).days, 1)
            for k in range(1, langkah + 1):
                persen = target if k == langkah else max(1, target * k // langkah)
                tanggal = mulai + dt.timedelta(days=hari * k // langkah)
                progres_rows.append(
                    Progres(proyek=proyek, tanggal=tanggal, persen=persen, keterangan=f"Pekerjaan {persen}%")
                )
            proyek.progres_persen, proyek.progres_tanggal = target, mulai + dt.timedelta(days=hari)
        Progres.objects.bulk_create(progres_rows, batch_size=1000)
        Proyek.objects.bulk_update(proyek_rows, ["progres_persen", "progres_tanggal"], batch_size=500)
        if foto:
            terbaru: dict[int, Progres] = {}
            for row in progres_rows:
                terbaru[row.proyek_id] = row  # rows are in date order per project: the last one is the newest
            for row in terbaru.values():
                stored = unggahan.simpan_foto(_foto(rng, row.keterangan))
                row.foto, row.foto_kecil = stored.foto, stored.foto_kecil
            Progres.objects.bulk_update(list(terbaru.values()), ["foto", "foto_kecil"], batch_size=500)
        portal_cache.batalkan()
    return len(progres_rows)
