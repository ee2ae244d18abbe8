"""Reads of village finance (always the schema of the current village).

The contract the public portal builds on (keep stable): `tahun_tersedia`, `ringkasan_apbdes`,
`realisasi_bulanan`. Amounts are Decimal (rupiah, 2 decimals); percentages Decimal with 2 decimals,
or None when the budget is zero.

Totals are sums of budget lines, never stored. Realisation is matched to the budget in force (the
latest ditetapkan version of the year) by codes, so an amendment replaces the original budget.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from tenants.keuangan import kode as kl
from tenants.keuangan.models import Apbdes, BarisAnggaran, ImporSiskeudes, Transaksi

NOL = Decimal("0.00")
CACHE_TTL = 3600
SERATUS = Decimal(100)


def persen(realisasi: Decimal, anggaran: Decimal) -> Decimal | None:
    if not anggaran:
        return None
    return (realisasi * SERATUS / anggaran).quantize(Decimal("0.01"))


# --- versions -------------------------------------------------------------------------------------------


def tahun_tersedia() -> list[int]:
    """Years that have a ditetapkan APBDes, newest first."""
    return list(
        Apbdes.objects.filter(status=Apbdes.Status.DITETAPKAN)
        .order_by("-tahun")
        .values_list("tahun", flat=True)
        .distinct()
    )


def tahun_semua() -> list[int]:
    """Every year with any APBDes version or transaction (operator pages), newest first."""
    years = set(Apbdes.objects.values_list("tahun", flat=True)) | set(
        Transaksi.objects.values_list("tahun", flat=True).distinct()
    )
    return sorted(years, reverse=True)


def apbdes_berlaku(tahun: int) -> Apbdes | None:
    """The budget in force for realisation: the latest ditetapkan version of the year."""
    return Apbdes.objects.filter(tahun=tahun, status=Apbdes.Status.DITETAPKAN).order_by("-versi").first()


def apbdes_list(tahun: int | None = None) -> QuerySet[Apbdes]:
    qs = Apbdes.objects.all()
    if tahun is not None:
        qs = qs.filter(tahun=tahun)
    return qs.order_by("-tahun", "-versi")


def apbdes_get(pk: int) -> Apbdes | None:
    return Apbdes.objects.filter(pk=pk).first()


def baris_list(apbdes: Apbdes) -> QuerySet[BarisAnggaran]:
    return apbdes.baris.order_by("kode_rekening", "kode_kegiatan", "id")


def transaksi_list(tahun: int, *, jenis: str = "", q: str = "") -> QuerySet[Transaksi]:
    qs = Transaksi.objects.filter(tahun=tahun)
    if jenis in ("4", "5", "6"):
        qs = qs.filter(kode_rekening__startswith=jenis + ".")
    if q:
        qs = qs.filter(uraian__icontains=q) | qs.filter(no_bukti__icontains=q) | qs.filter(kode_rekening__startswith=q)
    return qs.order_by("-tanggal", "-id")


def impor_list() -> QuerySet[ImporSiskeudes]:
    return ImporSiskeudes.objects.order_by("-created_at")


# --- totals ---------------------------------------------------------------------------------------------


def _jumlah_per_awalan(rows: dict[str, Decimal]) -> dict[str, Decimal]:
    """{'4.2.1.01': x, ...} -> the six totals of an APBDes."""

    def s(prefix: str) -> Decimal:
        return sum((v for k, v in rows.items() if k == prefix or k.startswith(prefix + ".")), NOL)

    pendapatan, belanja = s("4"), s("5")
    penerimaan, pengeluaran = s("6.1"), s("6.2")
    surplus = pendapatan - belanja
    netto = penerimaan - pengeluaran
    return {
        "pendapatan": pendapatan,
        "belanja": belanja,
        "surplus_defisit": surplus,
        "pembiayaan_penerimaan": penerimaan,
        "pembiayaan_pengeluaran": pengeluaran,
        "pembiayaan_netto": netto,
        "silpa": surplus + netto,
    }


def anggaran_per_rekening(apbdes: Apbdes) -> dict[str, Decimal]:
    rows = apbdes.baris.values("kode_rekening").annotate(j=Sum("jumlah")).values_list("kode_rekening", "j")
    return {k: v or NOL for k, v in rows}


def realisasi_per_rekening(tahun: int, sampai: dt.date | None = None) -> dict[str, Decimal]:
    qs = Transaksi.objects.filter(tahun=tahun)
    if sampai is not None:
        qs = qs.filter(tanggal__lte=sampai)
    rows = qs.values("kode_rekening").annotate(j=Sum("jumlah")).values_list("kode_rekening", "j")
    return {k: v or NOL for k, v in rows}


def total_apbdes(apbdes: Apbdes) -> dict[str, Decimal]:
    """Pendapatan, belanja, surplus/defisit, pembiayaan penerimaan/pengeluaran/netto and SiLPA, computed."""
    return _jumlah_per_awalan(anggaran_per_rekening(apbdes))


def total_realisasi(tahun: int, sampai: dt.date | None = None) -> dict[str, Decimal]:
    return _jumlah_per_awalan(realisasi_per_rekening(tahun, sampai))


# --- the portal contract --------------------------------------------------------------------------------


def _per_kunci(apbdes: Apbdes, tahun: int, kolom: str, awalan: str = "5") -> dict[str, tuple[Decimal, Decimal]]:
    """Belanja (or another account group) budget and realisation grouped by a column's value."""
    anggaran = dict(
        apbdes.baris.filter(kode_rekening__startswith=awalan + ".")
        .values(kolom)
        .annotate(j=Sum("jumlah"))
        .values_list(kolom, "j")
    )
    realisasi = dict(
        Transaksi.objects.filter(tahun=tahun, kode_rekening__startswith=awalan + ".")
        .values(kolom)
        .annotate(j=Sum("jumlah"))
        .values_list(kolom, "j")
    )
    keys = set(anggaran) | set(realisasi)
    return {k: (anggaran.get(k) or NOL, realisasi.get(k) or NOL) for k in keys}


def _baris_ringkas(kode: str, nama: str, anggaran: Decimal, realisasi: Decimal) -> dict[str, Any]:
    return {
        "kode": kode,
        "nama": nama,
        "anggaran": anggaran,
        "realisasi": realisasi,
        "persen": persen(realisasi, anggaran),
    }


def per_bidang(apbdes: Apbdes) -> list[dict[str, Any]]:
    """Belanja per bidang: budget in force and realisation of the year; always the five bidang 01-05 (zero when
    nothing is budgeted), plus "00" only when belanja without a kegiatan code exists."""
    agg: dict[str, list[Decimal]] = defaultdict(lambda: [NOL, NOL])
    for bidang in (k for k in kl.kegiatan() if "." not in k):  # every bidang 01-05, even without spending
        agg[bidang] = [NOL, NOL]
    for kegiatan, (a, r) in _per_kunci(apbdes, apbdes.tahun, "kode_kegiatan").items():
        bidang = (kegiatan or "").split(".")[0] or "00"
        agg[bidang][0] += a
        agg[bidang][1] += r
    return [
        _baris_ringkas(b, kl.nama_kegiatan(b) if b != "00" else "Tanpa bidang", a, r)
        for b, (a, r) in sorted(agg.items())
    ]


def per_sumber(apbdes: Apbdes) -> list[dict[str, Any]]:
    """Belanja per sumber dana (how Dana Desa, ADD, ... are used), in code-list order."""
    data = _per_kunci(apbdes, apbdes.tahun, "sumber_dana")
    order = list(kl.sumber_dana())
    keys = sorted(data, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [_baris_ringkas(k, kl.nama_sumber(k), *data[k]) for k in keys]


def _cap(tahun: int) -> tuple[Any, ...]:
    """A fingerprint of the year's finance data in one query: it changes with every write (a version or
    line saved bumps Apbdes.updated_at; a transaction added/edited bumps its updated_at, a deleted one the
    count), so cached figures keyed by it are never stale and need no invalidation."""
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT (SELECT max(updated_at) FROM {Apbdes._meta.db_table} WHERE tahun = %s),"  # table names from models
            f" (SELECT max(updated_at) FROM {Transaksi._meta.db_table} WHERE tahun = %s),"
            f" (SELECT count(*) FROM {Transaksi._meta.db_table} WHERE tahun = %s)",
            [tahun, tahun, tahun],
        )
        row = cur.fetchone()
    return tuple(row) if row else ()


def _cached(nama: str, tahun: int, hitung: Any) -> Any:
    """`hitung()` cached in the (per-village) default cache under the year's fingerprint; without Redis it
    is simply computed."""
    cap = hashlib.blake2s(repr(_cap(tahun)).encode(), digest_size=12).hexdigest()
    key = f"keuangan:{nama}:{tahun}:{cap}"
    try:
        hit = cache.get(key)
    except Exception:  # the cache is an optimisation: pages serve with Redis down
        return hitung()
    if hit is not None:
        return hit
    value = hitung()
    with contextlib.suppress(Exception):
        cache.set(key, value, CACHE_TTL)
    return value


def diperbarui(tahun: int) -> dt.datetime | None:
    stamps = [x for x in _cap(tahun)[:2] if x is not None]
    return max(stamps) if stamps else None


def ringkasan_apbdes(tahun: int) -> dict[str, Any] | None:
    """Transparency summary of a year's APBDes in force, or None when none is ditetapkan (cached, see _cached)."""
    return _cached("ringkasan", tahun, lambda: _ringkasan(tahun))  # type: ignore[no-any-return]


def _ringkasan(tahun: int) -> dict[str, Any] | None:
    apbdes = apbdes_berlaku(tahun)
    if apbdes is None:
        return None
    total = total_apbdes(apbdes)
    real = total_realisasi(tahun)
    return {
        "tahun": tahun,
        "versi": apbdes.label,
        "pendapatan": total["pendapatan"],
        "belanja": total["belanja"],
        "pembiayaan_penerimaan": total["pembiayaan_penerimaan"],
        "pembiayaan_pengeluaran": total["pembiayaan_pengeluaran"],
        "surplus_defisit": total["surplus_defisit"],
        "silpa": total["silpa"],
        "realisasi_pendapatan": real["pendapatan"],
        "realisasi_belanja": real["belanja"],
        "realisasi_pembiayaan_penerimaan": real["pembiayaan_penerimaan"],
        "realisasi_pembiayaan_pengeluaran": real["pembiayaan_pengeluaran"],
        "per_bidang": per_bidang(apbdes),
        "per_sumber": per_sumber(apbdes),
        "diperbarui": diperbarui(tahun),
    }


def realisasi_bulanan(tahun: int) -> list[dict[str, Any]]:
    """Cumulative realisation per month: [{bulan: 1..12, pendapatan, belanja}]. For the current year the list
    stops at the current month (no flat future). Cached like ringkasan_apbdes."""
    today = timezone.localdate()
    return _cached(f"bulanan{today:%Y%m}", tahun, lambda: _bulanan(tahun, today))  # type: ignore[no-any-return]


def _bulanan(tahun: int, today: dt.date) -> list[dict[str, Any]]:
    rows = (
        Transaksi.objects.filter(tahun=tahun)
        .annotate(bulan=ExtractMonth("tanggal"))
        .values("bulan")
        .annotate(
            pendapatan=Sum("jumlah", filter=Q(kode_rekening__startswith="4.")),
            belanja=Sum("jumlah", filter=Q(kode_rekening__startswith="5.")),
        )
        .values_list("bulan", "pendapatan", "belanja")
    )
    per_bulan = {b: (p or NOL, s or NOL) for b, p, s in rows}
    last = 12 if tahun < today.year else (today.month if tahun == today.year else 0)
    out: list[dict[str, Any]] = []
    p_total, b_total = NOL, NOL
    for bulan in range(1, last + 1):
        p, b = per_bulan.get(bulan, (NOL, NOL))
        p_total += p
        b_total += b
        out.append({"bulan": bulan, "pendapatan": p_total, "belanja": b_total})
    return out


# --- realisation report ---------------------------------------------------------------------------------


@dataclass
class BarisLaporan:
    kode: str
    uraian: str
    tingkat: int  # 1 = top level (akun/bidang), deeper = more indented; 0 = a computed total row
    anggaran: Decimal = NOL
    realisasi: Decimal = NOL
    tebal: bool = False
    anak: list[str] = field(default_factory=list)

    @property
    def selisih(self) -> Decimal:
        """Lebih/(kurang): realisation minus budget."""
        return self.realisasi - self.anggaran

    @property
    def persen(self) -> Decimal | None:
        return persen(self.realisasi, self.anggaran)


@dataclass
class Laporan:
    tahun: int
    periode: str  # "semester1" | "tahun"
    per: str  # "rekening" | "bidang"
    apbdes: Apbdes | None
    sampai: dt.date
    baris: list[BarisLaporan]

    @property
    def judul(self) -> str:
        masa = "Semester I" if self.periode == "semester1" else "Tahun Anggaran"
        dasar = "per Bidang" if self.per == "bidang" else ""
        return f"Laporan Realisasi Pelaksanaan APBDes {dasar} {masa} {self.tahun}".replace("  ", " ")


PERIODE = {"semester1": "Semester I (Januari-Juni)", "tahun": "Satu tahun (Januari-Desember)"}


def _sampai(tahun: int, periode: str) -> dt.date:
    return dt.date(tahun, 6, 30) if periode == "semester1" else dt.date(tahun, 12, 31)


def laporan_realisasi(tahun: int, *, periode: str = "tahun", per: str = "rekening") -> Laporan:
    """The realisation report: uraian, anggaran, realisasi, lebih/(kurang), %, with subtotals per level.

    per="rekening": every account level (akun, kelompok, jenis, obyek) of 4/5/6, then surplus/defisit,
    pembiayaan netto and SiLPA. per="bidang": belanja by bidang, sub-bidang and kegiatan, then the total.
    Budget = the version in force; realisation = transactions dated up to the end of the period.
    """
    periode = periode if periode in PERIODE else "tahun"
    per = per if per in ("rekening", "bidang") else "rekening"
    apbdes = apbdes_berlaku(tahun)
    sampai = _sampai(tahun, periode)
    hitung = _laporan_rekening if per == "rekening" else _laporan_bidang
    baris = hitung(tahun, apbdes, sampai)
    return Laporan(tahun=tahun, periode=periode, per=per, apbdes=apbdes, sampai=sampai, baris=baris)


def _tree(
    anggaran: dict[str, Decimal], realisasi: dict[str, Decimal], nama: Any, top_order: list[str]
) -> dict[str, BarisLaporan]:
    nodes: dict[str, BarisLaporan] = {}
    for source, attr in ((anggaran, "anggaran"), (realisasi, "realisasi")):
        for code, value in source.items():
            for level, c in enumerate(kl.induk(code), start=1):
                node = nodes.get(c)
                if node is None:
                    node = nodes[c] = BarisLaporan(kode=c, uraian=nama(c), tingkat=level, tebal=level < 3)
                setattr(node, attr, getattr(node, attr) + value)
    return nodes


def _ordered(nodes: dict[str, BarisLaporan]) -> list[BarisLaporan]:
    return [nodes[k] for k in sorted(nodes, key=kl._sort_key)]


def _laporan_rekening(tahun: int, apbdes: Apbdes | None, sampai: dt.date) -> list[BarisLaporan]:
    anggaran = anggaran_per_rekening(apbdes) if apbdes else {}
    realisasi = realisasi_per_rekening(tahun, sampai)
    nodes = _tree(anggaran, realisasi, kl.nama_rekening, ["4", "5", "6"])
    for akun in ("4", "5", "6"):
        nodes.setdefault(akun, BarisLaporan(kode=akun, uraian=kl.nama_rekening(akun), tingkat=1, tebal=True))
    for kel in ("6.1", "6.2"):
        nodes.setdefault(kel, BarisLaporan(kode=kel, uraian=kl.nama_rekening(kel), tingkat=2, tebal=True))
    ordered = _ordered(nodes)
    a_total = _jumlah_per_awalan(anggaran)
    r_total = _jumlah_per_awalan(realisasi)

    def total(label: str, key: str) -> BarisLaporan:
        return BarisLaporan(kode="", uraian=label, tingkat=0, anggaran=a_total[key], realisasi=r_total[key], tebal=True)

    out: list[BarisLaporan] = []
    for row in ordered:
        if row.kode == "5":
            out.append(total("JUMLAH PENDAPATAN", "pendapatan"))
        if row.kode == "6":
            out.append(total("JUMLAH BELANJA", "belanja"))
            out.append(total("SURPLUS/(DEFISIT)", "surplus_defisit"))
        if row.kode == "6.2":
            out.append(total("JUMLAH PENERIMAAN PEMBIAYAAN", "pembiayaan_penerimaan"))
        out.append(row)
    out.append(total("JUMLAH PENGELUARAN PEMBIAYAAN", "pembiayaan_pengeluaran"))
    out.append(total("PEMBIAYAAN NETTO", "pembiayaan_netto"))
    out.append(total("SISA LEBIH/(KURANG) PEMBIAYAAN ANGGARAN (SiLPA)", "silpa"))
    return out


def _laporan_bidang(tahun: int, apbdes: Apbdes | None, sampai: dt.date) -> list[BarisLaporan]:
    anggaran: dict[str, Decimal] = {}
    if apbdes is not None:
        anggaran = {
            k or "00": v or NOL
            for k, v in apbdes.baris.filter(kode_rekening__startswith="5.")
            .values("kode_kegiatan")
            .annotate(j=Sum("jumlah"))
            .values_list("kode_kegiatan", "j")
        }
    realisasi = {
        k or "00": v or NOL
        for k, v in Transaksi.objects.filter(tahun=tahun, kode_rekening__startswith="5.", tanggal__lte=sampai)
        .values("kode_kegiatan")
        .annotate(j=Sum("jumlah"))
        .values_list("kode_kegiatan", "j")
    }

    def nama(c: str) -> str:
        return "Tanpa bidang/kegiatan" if c == "00" else kl.nama_kegiatan(c)

    nodes = _tree(anggaran, realisasi, nama, [])
    out = _ordered(nodes)
    out.append(
        BarisLaporan(
            kode="",
            uraian="JUMLAH BELANJA",
            tingkat=0,
            anggaran=sum(anggaran.values(), NOL),
            realisasi=sum(realisasi.values(), NOL),
            tebal=True,
        )
    )
    return out
