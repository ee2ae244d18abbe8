"""Realistic village finance years, generated (demo data, test fixtures, benchmarks).

`buat_tahun` makes one fiscal year as plain rows: the budget lines of the original APBDes, the lines
of an amendment (or None) and the realisation transactions. It balances like a real APBDes: each
source's spending equals its revenue (Dana Desa less the BUMDes capital, SiLPA spent from SiLPA).
`tenants.keuangan.demo` writes such a year into a village schema; `tenants.keuangan.siskeudes.contoh`
writes it as a Siskeudes export zip (the documented layout) for the importer's tests and the bench.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from tenants.keuangan import kode as kl

RIBU = Decimal(1000)


@dataclass
class Baris:
    kode_rekening: str
    kode_kegiatan: str
    sumber_dana: str
    uraian: str
    jumlah: Decimal


@dataclass
class Trx:
    tanggal: dt.date
    kode_rekening: str
    kode_kegiatan: str
    sumber_dana: str
    jumlah: Decimal
    uraian: str
    no_bukti: str


@dataclass
class Tahun:
    tahun: int
    awal: list[Baris]
    perubahan: list[Baris] | None
    transaksi: list[Trx]


# Revenue of a typical Lampung desa (rupiah), varied +-15% per village and year.
PENDAPATAN = [
    ("4.1.1.01", "PAD", "Bagi hasil BUMDes", 15_000_000),
    ("4.1.2.01", "PAD", "Sewa tanah kas desa", 12_000_000),
    ("4.1.4.99", "PAD", "Lain-lain PAD yang sah", 5_000_000),
    ("4.2.1.01", "DDS", "Dana Desa", 950_000_000),
    ("4.2.2.01", "PBH", "Bagi hasil pajak daerah", 30_000_000),
    ("4.2.2.02", "PBH", "Bagi hasil retribusi daerah", 15_000_000),
    ("4.2.3.01", "ADD", "Alokasi Dana Desa", 420_000_000),
    ("4.2.4.01", "BKP", "Bantuan keuangan provinsi", 50_000_000),
    ("4.2.5.01", "BKK", "Bantuan keuangan kabupaten", 100_000_000),
    ("4.3.6.01", "PAD", "Bunga bank", 2_000_000),
]
SILPA = 60_000_000
PENYERTAAN_MODAL = 50_000_000

# Spending codes by kind of activity (first digits of the kegiatan code).
REKENING_BARANG = [
    "5.2.1.01",
    "5.2.1.02",
    "5.2.1.05",
    "5.2.1.06",
    "5.2.1.07",
    "5.2.2.01",
    "5.2.2.04",
    "5.2.3.01",
    "5.2.3.03",
    "5.2.4.02",
    "5.2.7.01",
]
REKENING_MODAL = ["5.3.4.01", "5.3.4.02", "5.3.5.01", "5.3.5.02", "5.3.5.05", "5.3.5.06", "5.3.6.02"]
SILTAP = {
    "01.01.01": ["5.1.1.01", "5.1.1.02"],
    "01.01.02": ["5.1.2.01", "5.1.2.02"],
    "01.01.03": ["5.1.3.01", "5.1.3.02", "5.1.3.03", "5.1.3.04"],
    "01.01.05": ["5.1.4.01", "5.1.4.02"],
}
UANG_MUKA_SUMBER = ("DDS", "ADD", "PBH", "PAD", "BKP", "BKK", "SILPA")


def _rp(x: float) -> Decimal:
    return (Decimal(int(x)) / RIBU).quantize(Decimal(1)) * RIBU


def _split(total: Decimal, weights: list[float]) -> list[Decimal]:
    """`total` split by weights into whole thousands that add up exactly."""
    s = sum(weights) or 1.0
    parts = [_rp(float(total) * w / s) for w in weights]
    parts[-1] += total - sum(parts, Decimal(0))
    return parts


def _tanggal(r: random.Random, tahun: int, akhir: dt.date, awal_bulan: int = 2) -> dt.date:
    start = dt.date(tahun, awal_bulan, 1)
    if akhir < start:
        start = dt.date(tahun, 1, 1)
    days = max((akhir - start).days, 0)
    # spending bunches late in the year, as it does in villages
    return start + dt.timedelta(days=int(days * (r.random() ** 0.7)))


def buat_tahun(  # noqa: PLR0912, PLR0915  # one year, table by table
    tahun: int, *, baris: int = 2000, transaksi: int = 5000, seed: int = 0, hari_ini: dt.date | None = None
) -> Tahun:
    r = random.Random(f"{seed}-{tahun}")  # noqa: S311  # demo data, not secrets
    hari_ini = hari_ini or dt.date.today()
    akhir = min(dt.date(tahun, 12, 31), hari_ini)
    fraksi_tahun = max(min((akhir - dt.date(tahun, 1, 1)).days / 365, 1.0), 0.0)
    faktor = 1 + (tahun - 2020) * 0.03

    awal: list[Baris] = []
    sumber_total: dict[str, Decimal] = {}
    for rek, sumber, uraian, nilai in PENDAPATAN:
        jumlah = _rp(nilai * faktor * r.uniform(0.85, 1.15))
        awal.append(Baris(rek, "", sumber, uraian, jumlah))
        sumber_total[sumber] = sumber_total.get(sumber, Decimal(0)) + jumlah
    silpa = _rp(SILPA * r.uniform(0.5, 1.5))
    modal = _rp(PENYERTAAN_MODAL * r.uniform(0.8, 1.2))
    awal.append(Baris("6.1.1.01", "", "SILPA", "SiLPA tahun sebelumnya", silpa))
    awal.append(Baris("6.2.2.01", "", "DDS", "Penyertaan modal BUMDes", modal))
    sumber_total["SILPA"] = silpa
    sumber_total["DDS"] -= modal

    n_belanja = max(baris - len(awal), len(SILTAP) * 2)
    kegiatan = kl.kegiatan_saja()
    belanja: list[tuple[str, str, str]] = []
    for keg, reks in SILTAP.items():
        for rek in reks:
            belanja.append((rek, keg, "ADD"))
    while len(belanja) < n_belanja:
        keg = r.choice(kegiatan).kode
        modal_kind = keg.startswith("02.") or keg.endswith((".06", ".07", ".08"))
        rek = r.choice(REKENING_MODAL if modal_kind and r.random() < 0.6 else REKENING_BARANG)
        if keg.startswith("02.") or keg.startswith("04.") or keg.startswith("05."):
            sumber = r.choices(UANG_MUKA_SUMBER, weights=(70, 8, 4, 3, 4, 8, 3))[0]
        else:
            sumber = r.choices(UANG_MUKA_SUMBER, weights=(25, 45, 8, 8, 2, 8, 4))[0]
        belanja.append((rek, keg, sumber))
    by_source: dict[str, list[int]] = {}
    for i, (_, _, s) in enumerate(belanja):
        by_source.setdefault(s, []).append(i)
    amounts: list[Decimal] = [Decimal(0)] * len(belanja)
    for s, idx in by_source.items():
        weights = [r.lognormvariate(0, 1.0) * (6 if belanja[i][0].startswith("5.1") else 1) for i in idx]
        for i, a in zip(idx, _split(sumber_total.get(s, Decimal(0)), weights), strict=True):
            amounts[i] = a
    for s, total in sumber_total.items():
        if s not in by_source and total:  # a source with no spending line: give it one
            belanja.append(("5.2.1.01", "01.01.04", s))
            amounts.append(total)
    for n, ((rek, keg, s), a) in enumerate(zip(belanja, amounts, strict=True), start=1):
        awal.append(Baris(rek, keg, s, f"{kl.nama_rekening(rek)} ({n})"[:250], a))

    perubahan: list[Baris] | None = None
    if fraksi_tahun >= 0.75:
        perubahan = [Baris(b.kode_rekening, b.kode_kegiatan, b.sumber_dana, b.uraian, b.jumlah) for b in awal]
        # move 5% of belanja between lines of the same source: totals per source stay balanced
        belanja_idx = [i for i, b in enumerate(perubahan) if b.kode_rekening.startswith("5.")]
        for _ in range(max(len(belanja_idx) // 20, 1)):
            i = r.choice(belanja_idx)
            sama = [j for j in belanja_idx if j != i and perubahan[j].sumber_dana == perubahan[i].sumber_dana]
            if not sama:
                continue
            j = r.choice(sama)
            geser = _rp(float(perubahan[i].jumlah) * 0.3)
            perubahan[i].jumlah -= geser
            perubahan[j].jumlah += geser

    berlaku = perubahan or awal
    trx: list[Trx] = []
    pend = [b for b in berlaku if b.kode_rekening.startswith("4.") or b.kode_rekening.startswith("6.1")]
    spend = [b for b in berlaku if b.kode_rekening.startswith("5.") or b.kode_rekening.startswith("6.2")]
    n_pend = min(max(transaksi // 50, len(pend)), transaksi)
    n_spend = max(transaksi - n_pend, 0)
    tbp = 0
    for b, k in zip(pend, _alloc(n_pend, len(pend), r), strict=True):
        target = b.jumlah * Decimal(str(min(r.uniform(0.9, 1.02) * (fraksi_tahun**0.8), 1.02)))
        for part in _split(_rp(float(target)), [r.random() + 0.5 for _ in range(k)]) if k else []:
            tbp += 1
            trx.append(
                Trx(_tanggal(r, tahun, akhir, 1), b.kode_rekening, "", b.sumber_dana, part, b.uraian, f"TBP/{tbp:05d}")
            )
    spp = 0
    # about 4% of lines are not spent at all; the others get the transactions, by the square root of size
    rates = [0.0 if r.random() < 0.04 else r.uniform(0.85, 1.0) * (fraksi_tahun**1.2) for _ in spend]
    weights = [float(b.jumlah) ** 0.5 if rate else 0.0 for b, rate in zip(spend, rates, strict=True)]
    for b, rate, n in zip(spend, rates, _alloc_weighted(n_spend, weights, r), strict=True):
        k = min(n, int(b.jumlah // RIBU))  # never split below Rp 1,000 a payment
        if not k or not rate:
            continue
        for part in _split(_rp(float(b.jumlah) * rate), [r.random() + 0.5 for _ in range(k)]):
            if not part:
                continue
            spp += 1
            trx.append(
                Trx(
                    _tanggal(r, tahun, akhir),
                    b.kode_rekening,
                    b.kode_kegiatan,
                    b.sumber_dana,
                    part,
                    b.uraian,
                    f"SPP/{spp:05d}",
                )
            )
    trx.sort(key=lambda t: (t.tanggal, t.no_bukti))
    return Tahun(tahun=tahun, awal=awal, perubahan=perubahan, transaksi=trx)


def _alloc(n: int, slots: int, r: random.Random) -> list[int]:
    if slots == 0:
        return []
    base = [n // slots] * slots
    for i in r.sample(range(slots), n % slots):
        base[i] += 1
    return base


def _alloc_weighted(n: int, weights: list[float], r: random.Random) -> list[int]:
    if not weights:
        return []
    s = sum(weights) or 1.0
    out = [int(n * w / s) for w in weights]
    rest = n - sum(out)
    for i in r.choices(range(len(weights)), weights=weights, k=rest):
        out[i] += 1
    return out
