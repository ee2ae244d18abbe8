"""What the province, kabupaten and kecamatan consoles read: the fact table, rolled up.

Reads only platform_core.facts (Fakta, Ringkasan, Skor, StatusDesa, Aktivitas, KehadiranOperator,
StatusIdm) and the public reference tables, never a village schema. Kecamatan, kabupaten and province
numbers and scores are read from the rollups the pipeline materialises (platform_core.facts.ringkasan:
tens of rows per page, computed by the same code as `rollup_langsung`); village numbers from the facts.

Rollup per indicator follows its `agregasi` (platform_core.facts.registry):
- jumlah: SUM of village values;
- rasio: SUM(pembilang) / SUM(penyebut), computed as the village values weighted by their
  denominators, SUM(nilai * penyebut) / SUM(penyebut), which is the same number in the
  indicator's own unit (a percentage stays a percentage);
- rata / median: mean / median of the village values;
- terbaru: not rolled up (a village's own value only).
A village without a value ("belum ada data", nilai NULL) is left out of every rollup; a
region where no village has a value gets None, never 0.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Left
from django.utils import timezone

from platform_core.facts import registry
from platform_core.facts.models import Aktivitas, Fakta, KehadiranOperator, Ringkasan, StatusIdm
from platform_core.facts.models import Skor as SkorTersimpan
from platform_core.facts.ringkasan import (
    KOSONG,
    PANJANG_KODE,
    PILAR,
    TINGKAT,
    Angka,
    SkorDesa,
    Tingkat,
    bobot_indikator,
    rollup_langsung,
    skor_desa_langsung,
    skor_total,
    skor_wilayah_langsung,
    tingkat_dari_kode,
)
from platform_core.facts.ringkasan import dalam as _dalam
from platform_core.tenancy.models import Village
from platform_core.wilayah.models import Kabupaten, Kecamatan, Provinsi

# Re-exported for the views and tests (the rollup and score core lives in platform_core.facts.ringkasan).
__all__ = [
    "KOSONG",
    "PANJANG_KODE",
    "PILAR",
    "TINGKAT",
    "Angka",
    "SkorDesa",
    "Tingkat",
    "bobot_indikator",
    "rollup_langsung",
    "skor_desa_langsung",
    "skor_total",
    "skor_wilayah_langsung",
    "tingkat_dari_kode",
]

PILAR_LABEL = {"pemerintahan": "Smart government", "ekonomi": "Smart economy", "masyarakat": "Smart people"}

SEPI_HARI = 30
DARING_MENIT = 5


def tingkat_bawah(tingkat: Tingkat) -> Tingkat:
    """The level one below (a village is its own lowest level)."""
    return TINGKAT[min(TINGKAT.index(tingkat) + 1, len(TINGKAT) - 1)]


# --- time zones -----------------------------------------------------------------------

# Province codes (Kemendagri) by Indonesian time zone; everything else is WIB.
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}


def zona_waktu(kode_wilayah: str) -> tuple[str, ZoneInfo]:
    """('WIB', Asia/Jakarta) for Lampung (18); WITA/WIT from the province code."""
    provinsi = kode_wilayah[:2]
    if provinsi in _WIT:
        return "WIT", ZoneInfo("Asia/Jayapura")
    if provinsi in _WITA:
        return "WITA", ZoneInfo("Asia/Makassar")
    return "WIB", ZoneInfo("Asia/Jakarta")


JAM_KERJA = (dt.time(8, 0), dt.time(15, 0))


def jam_kerja(kode_wilayah: str, *, sekarang: dt.datetime | None = None) -> bool:
    """Office hours (08:00-15:00, Monday to Friday) in the region's own time zone."""
    _nama, zona = zona_waktu(kode_wilayah)
    lokal = (sekarang or timezone.now()).astimezone(zona)
    return lokal.weekday() < 5 and JAM_KERJA[0] <= lokal.time() < JAM_KERJA[1]


# --- periods --------------------------------------------------------------------------


def periode_daftar() -> list[dt.date]:
    """Periods with facts, newest first (from the province rollups: a few rows per period)."""
    return list(
        Ringkasan.objects.filter(tingkat="provinsi").order_by("-periode").values_list("periode", flat=True).distinct()
    )


def periode_terbaru() -> dt.date | None:
    daftar = periode_daftar()
    return daftar[0] if daftar else None


def periode_parse(teks: str | None) -> dt.date | None:
    """'2026-05' → 2026-05-01; anything else → None."""
    if not teks:
        return None
    try:
        tahun, bulan = teks.split("-", 1)
        return dt.date(int(tahun), int(bulan), 1)
    except ValueError:
        return None


# --- rollups --------------------------------------------------------------------------


def rollup(
    *, periode: dt.date, tingkat: Tingkat, wilayah: str, kunci: Iterable[str] | None = None
) -> dict[str, dict[str, Angka]]:
    """{kode region at `tingkat`: {indicator: Angka}} for the regions inside `wilayah`. One query.

    Kecamatan, kabupaten and province numbers are read from the stored rollups (Ringkasan, kept current by
    the pipeline); at tingkat "desa" they are the villages' own facts (terbaru included).
    """
    if tingkat == "desa":
        return nilai_desa(periode=periode, wilayah=wilayah, kunci=kunci)
    qs = Ringkasan.objects.filter(periode=periode, tingkat=tingkat)
    qs = qs.filter(kode=wilayah) if tingkat_dari_kode(wilayah) == tingkat else qs.filter(kode__startswith=wilayah + ".")
    if kunci is not None:
        qs = qs.filter(indikator__in=list(kunci))
    out: dict[str, dict[str, Angka]] = defaultdict(dict)
    for kode, ind, nilai, berdata, pembilang, penyebut in qs.values_list(
        "kode", "indikator", "nilai", "dengan_data", "pembilang", "penyebut"
    ):
        out[kode][ind] = Angka(nilai, berdata, pembilang, penyebut)
    return dict(out)


def nilai_desa(*, periode: dt.date, wilayah: str, kunci: Iterable[str] | None = None) -> dict[str, dict[str, Angka]]:
    """{village kode: {indicator: Angka}}: the villages' own facts inside `wilayah`. One query.

    The same numbers as `rollup_langsung(tingkat="desa")` (a village's own value, pembilang/penyebut only
    when both are set with penyebut > 0 and a value) without its GROUP BY and aggregates: a plain read of
    one row per village and indicator (the kabupaten console reads hundreds of villages per request).
    """
    terdaftar = {i.kunci for i in registry.semua()}
    qs = _dalam(Fakta.objects.filter(periode=periode), wilayah, "village__kode")
    if kunci is not None:
        qs = qs.filter(indikator__in=list(kunci))
    out: dict[str, dict[str, Angka]] = defaultdict(dict)
    for kode, ind, nilai, pembilang, penyebut in qs.values_list(
        "village__kode", "indikator", "nilai", "pembilang", "penyebut"
    ).order_by():
        if ind not in terdaftar:
            continue
        if nilai is None:
            out[kode][ind] = Angka(None, 0)
        elif pembilang is not None and penyebut is not None and penyebut > 0:
            out[kode][ind] = Angka(nilai, 1, pembilang, penyebut)
        else:
            out[kode][ind] = Angka(nilai, 1)
    return dict(out)


TINGKAT_DARI_PANJANG: dict[int, str] = {2: "provinsi", 5: "kabupaten", 8: "kecamatan"}


def ringkasan_cap(*, periode: dt.date, kode: str) -> dt.datetime | None:
    """When the region's own stored rollups of the period were last refreshed (a village's drain refreshes
    those of its kecamatan, kabupaten and province): the consoles' per-region cache version. One indexed
    query over the region's few dozen rows."""
    tingkat = TINGKAT_DARI_PANJANG.get(len(kode))
    if tingkat is None:
        return None
    qs = Ringkasan.objects.filter(periode=periode, tingkat=tingkat, kode=kode)
    cap: dt.datetime | None = qs.aggregate(t=Max("diperbarui"))["t"]
    return cap


def tren(
    *, wilayah: str, kunci: Sequence[str], bulan: int = 12, terbaru: dt.date | None = None
) -> dict[str, list[tuple[dt.date, Angka]]]:
    """{indicator: [(periode, Angka)]} for the region as a whole, oldest first. One query (stored rollups)."""
    terbaru = terbaru or periode_terbaru()
    if terbaru is None:
        return {}
    awal = _bulan_mundur(terbaru, bulan - 1)
    out: dict[str, list[tuple[dt.date, Angka]]] = {k: [] for k in kunci}
    rows = (
        Ringkasan.objects.filter(kode=wilayah, indikator__in=list(kunci), periode__gte=awal, periode__lte=terbaru)
        .order_by("periode")
        .values_list("indikator", "periode", "nilai", "dengan_data", "pembilang", "penyebut")
    )
    for ind, periode, nilai, berdata, pembilang, penyebut in rows:
        out[ind].append((periode, Angka(nilai, berdata, pembilang, penyebut)))
    return out


def _bulan_mundur(tanggal: dt.date, bulan: int) -> dt.date:
    indeks = tanggal.year * 12 + tanggal.month - 1 - bulan
    return dt.date(indeks // 12, indeks % 12 + 1, 1)


# --- composite score --------------------------------------------------------------------


def jumlah_indikator_berbobot() -> dict[str, int]:
    hitung: dict[str, int] = defaultdict(int)
    for ind, _w in bobot_indikator():
        hitung[ind.pilar] += 1
    return dict(hitung)


def normalisasi(ind: registry.Indikator, nilai: Decimal) -> float:
    """0..1, 1 = best: (nilai - batas_bawah) / (batas_atas - batas_bawah), clipped, flipped when arah < 0."""
    x = float((nilai - ind.batas_bawah) / (ind.batas_atas - ind.batas_bawah))
    x = min(max(x, 0.0), 1.0)
    return x if ind.arah > 0 else 1.0 - x


def _skor_dari(row: SkorTersimpan) -> SkorDesa:
    return SkorDesa(
        village_id=0,
        kode=row.kode,
        pilar={"pemerintahan": row.pemerintahan, "ekonomi": row.ekonomi, "masyarakat": row.masyarakat},
        berdata={"pemerintahan": row.b_pemerintahan, "ekonomi": row.b_ekonomi, "masyarakat": row.b_masyarakat},
        total=row.total,
    )


def skor_desa(*, periode: dt.date, wilayah: str) -> list[SkorDesa]:
    """Stored composite score of every village inside `wilayah` with at least one scored value. One query.

    (`village_id` is not stored: villages are named by `kode`.) The scores are computed by
    platform_core.facts.ringkasan.skor_desa_langsung when the village's facts change.
    """
    qs = SkorTersimpan.objects.filter(periode=periode, tingkat="desa")
    qs = qs.filter(kode=wilayah) if tingkat_dari_kode(wilayah) == "desa" else qs.filter(kode__startswith=wilayah + ".")
    kolom = ("kode", *PILAR, *(f"b_{p}" for p in PILAR), "total")
    out = []
    for r in qs.order_by("kode").values_list(*kolom):
        out.append(
            SkorDesa(
                village_id=0,
                kode=r[0],
                pilar=dict(zip(PILAR, r[1:4], strict=True)),
                berdata=dict(zip(PILAR, r[4:7], strict=True)),
                total=r[7],
            )
        )
    return out


def skor_wilayah_tersimpan(*, periode: dt.date, tingkat: Tingkat, wilayah: str) -> dict[str, dict[str, float | None]]:
    """{region kode at `tingkat` inside `wilayah` (or `wilayah` itself): {pilar..., "total"}}: the mean of
    its villages' scores, stored. One query."""
    qs = SkorTersimpan.objects.filter(periode=periode, tingkat=tingkat)
    qs = qs.filter(kode=wilayah) if tingkat_dari_kode(wilayah) == tingkat else qs.filter(kode__startswith=wilayah + ".")
    return {
        r.kode: {"pemerintahan": r.pemerintahan, "ekonomi": r.ekonomi, "masyarakat": r.masyarakat, "total": r.total}
        for r in qs
    }


skor_wilayah = skor_wilayah_langsung
Skor = SkorDesa


@dataclass(frozen=True)
class Peringkat:
    village: Village
    skor: float
    berdata: int


def peringkat(skor: Sequence[SkorDesa], *, n: int = 10) -> dict[str, dict[str, list[Peringkat]]]:
    """{pilar or "total": {"atas": top n, "bawah": bottom n}}; village names in one query."""
    pilihan: dict[str, tuple[list[SkorDesa], list[SkorDesa]]] = {}
    for p in (*PILAR, "total"):

        def nilai(s: SkorDesa, p: str = p) -> float | None:
            return s.total if p == "total" else s.pilar.get(p)

        ada = sorted((s for s in skor if nilai(s) is not None), key=lambda s: (nilai(s), s.kode))
        pilihan[p] = (list(reversed(ada[-n:])), ada[:n])
    kode = {s.kode for atas, bawah in pilihan.values() for s in (*atas, *bawah)}
    villages = (
        Village.objects.select_related("kecamatan__kabupaten").in_bulk(list(kode), field_name="kode") if kode else {}
    )
    out: dict[str, dict[str, list[Peringkat]]] = {}
    for p, (atas, bawah) in pilihan.items():

        def baris(daftar: list[SkorDesa], p: str = p) -> list[Peringkat]:
            return [
                Peringkat(
                    villages[s.kode],
                    float((s.total if p == "total" else s.pilar[p]) or 0),
                    sum(s.berdata.values()) if p == "total" else s.berdata.get(p, 0),
                )
                for s in daftar
            ]

        out[p] = {"atas": baris(atas), "bawah": baris(bawah)}
    return out


def peringkat_tersimpan(*, periode: dt.date, wilayah: str, n: int = 10) -> dict[str, dict[str, list[Peringkat]]]:
    """The same as `peringkat(skor_desa(...))` from the stored scores: top and bottom `n` villages per
    pillar and overall in one query (eight ORDER BY ... LIMIT n), village names in a second."""
    from django.db import connection

    tabel = connection.ops.quote_name(SkorTersimpan._meta.db_table)
    bagian = []
    params: list[Any] = []
    kolom = (*PILAR, "total")
    for i, p in enumerate(kolom):
        for arah, urut in (("atas", "DESC"), ("bawah", "ASC")):
            bagian.append(
                f"(SELECT {i}, '{arah}', kode, {p}, b_pemerintahan, b_ekonomi, b_masyarakat FROM {tabel} "
                f"WHERE periode = %s AND tingkat = 'desa' AND kode LIKE %s AND {p} IS NOT NULL "
                f"ORDER BY {p} {urut}, kode {urut} LIMIT %s)"
            )
            params += [periode, wilayah + ".%", n]
    with connection.cursor() as cur:
        cur.execute(" UNION ALL ".join(bagian), params)
        rows = cur.fetchall()
    kode = {r[2] for r in rows}
    villages = (
        Village.objects.select_related("kecamatan__kabupaten").in_bulk(list(kode), field_name="kode") if kode else {}
    )
    out: dict[str, dict[str, list[Peringkat]]] = {p: {"atas": [], "bawah": []} for p in kolom}
    urutan = sorted(rows, key=lambda r: (r[0], r[1], -r[3] if r[1] == "atas" else r[3]))
    for i, arah, k, nilai, *berdata in urutan:
        p = kolom[i]
        jumlah = sum(berdata) if p == "total" else berdata[PILAR.index(p)]
        out[p][arah].append(Peringkat(villages[k], float(nilai or 0), jumlah))
    for p in kolom:  # ties: the order of `peringkat` (by score, then kode)
        out[p]["atas"].sort(key=lambda r: (r.skor, r.village.kode), reverse=True)
        out[p]["bawah"].sort(key=lambda r: (r.skor, r.village.kode))
    return out


# --- freshness, quiet villages, activity, presence ---------------------------------------

KESEGARAN = (
    ("hari_ini", "Hari ini"),
    ("minggu", "≤ 7 hari"),
    ("bulan", "≤ 30 hari"),
    ("lama", "> 30 hari"),
    ("belum", "Belum pernah"),
)


def _awal_hari(kode_wilayah: str, sekarang: dt.datetime) -> dt.datetime:
    _nama, zona = zona_waktu(kode_wilayah)
    lokal = sekarang.astimezone(zona)
    return lokal.replace(hour=0, minute=0, second=0, microsecond=0)


def kesegaran(*, wilayah: str, tingkat: Tingkat, sekarang: dt.datetime | None = None) -> dict[str, dict[str, int]]:
    """{region kode at `tingkat`: {bucket: villages}} by days since the village last did anything.

    Buckets are exclusive: hari ini, ≤ 7 hari, ≤ 30 hari, > 30 hari, belum pernah. One query.
    """
    sekarang = sekarang or timezone.now()
    hari_ini = _awal_hari(wilayah, sekarang)
    t = "status_fakta__terakhir_aktif"
    rows = (
        _dalam(Village.objects.aktif(), wilayah, "kode")  # suspended/retired: quiet by decision, no alarm
        .annotate(k=Left("kode", PANJANG_KODE[tingkat]))
        .values("k")
        .annotate(
            hari_ini=Count("pk", filter=Q(**{f"{t}__gte": hari_ini})),
            minggu=Count("pk", filter=Q(**{f"{t}__lt": hari_ini, f"{t}__gte": sekarang - dt.timedelta(days=7)})),
            bulan=Count(
                "pk",
                filter=Q(
                    **{
                        f"{t}__lt": sekarang - dt.timedelta(days=7),
                        f"{t}__gte": sekarang - dt.timedelta(days=30),
                    }
                )
                & Q(**{f"{t}__lt": hari_ini}),
            ),
            lama=Count("pk", filter=Q(**{f"{t}__lt": sekarang - dt.timedelta(days=30)})),
            belum=Count("pk", filter=Q(**{f"{t}__isnull": True})),
        )
        .order_by()
    )
    return {r["k"]: {b: int(r[b]) for b, _label in KESEGARAN} for r in rows}


def kesegaran_total(per_wilayah: dict[str, dict[str, int]]) -> dict[str, int]:
    total = {b: 0 for b, _label in KESEGARAN}
    for per in per_wilayah.values():
        for b, n in per.items():
            total[b] += n
    return total


def desa_sepi(
    *, wilayah: str, hari: int = SEPI_HARI, batas: int | None = 20, sekarang: dt.datetime | None = None
) -> tuple[list[Village], int]:
    """Villages with no activity in `hari` days (never active first), and how many in all. Two queries."""
    sekarang = sekarang or timezone.now()
    qs = _dalam(Village.objects.aktif(), wilayah, "kode").filter(  # suspended/retired: no alarm
        Q(status_fakta__terakhir_aktif__isnull=True)
        | Q(status_fakta__terakhir_aktif__lt=sekarang - dt.timedelta(days=hari))
    )
    daftar = qs.select_related("kecamatan__kabupaten", "status_fakta").order_by(
        F("status_fakta__terakhir_aktif").asc(nulls_first=True), "kode"
    )
    if batas is None:
        hasil = list(daftar)
        return hasil, len(hasil)
    hasil = list(daftar[:batas])
    return hasil, (len(hasil) if len(hasil) < batas else qs.count())


def aktivitas_terbaru(*, wilayah: str, batas: int = 20) -> list[Aktivitas]:
    """The live feed of a region (type, count, village; no personal data). One query."""
    return list(
        _dalam(Aktivitas.objects.all(), wilayah, "village__kode")
        .select_related("village__kecamatan")
        .order_by("-waktu", "-id")[:batas]
    )


def operator_daring(*, wilayah: str, sekarang: dt.datetime | None = None) -> list[tuple[Village, int]]:
    """Villages with an operator seen in the last 5 minutes, and how many operators. One query."""
    sekarang = sekarang or timezone.now()
    rows = (
        _dalam(KehadiranOperator.objects.all(), wilayah, "village__kode")
        .filter(terakhir_terlihat__gte=sekarang - dt.timedelta(minutes=DARING_MENIT))
        .values("village_id", "village__nama", "village__kode", "village__jenis")
        .annotate(n=Count("user_id", distinct=True))
        .order_by("village__kode")
    )
    out = []
    for r in rows:
        v = Village(pk=r["village_id"], nama=r["village__nama"], kode=r["village__kode"], jenis=r["village__jenis"])
        out.append((v, int(r["n"])))
    return out


def operator_aktif_minggu(*, wilayah: str, sekarang: dt.datetime | None = None) -> int:
    sekarang = sekarang or timezone.now()
    return (
        _dalam(KehadiranOperator.objects.all(), wilayah, "village__kode")
        .filter(terakhir_terlihat__gte=sekarang - dt.timedelta(days=7))
        .values("user_id")
        .distinct()
        .count()
    )


# --- IDM ----------------------------------------------------------------------------------


def idm_sebaran(*, wilayah: str) -> tuple[int | None, list[tuple[str, int]]]:
    """(latest year, [(status, villages)]) of the imported IDM statuses in the region. Two queries."""
    qs = _dalam(StatusIdm.objects.all(), wilayah, "village__kode")
    tahun = qs.aggregate(t=Max("tahun"))["t"]
    if tahun is None:
        return None, []
    rows = qs.filter(tahun=tahun).values("status").annotate(n=Count("pk")).order_by()
    urutan = {s: i for i, s in enumerate(IDM_STATUS)}
    hasil = sorted(((r["status"], int(r["n"])) for r in rows), key=lambda r: urutan.get(r[0], 99))
    return tahun, hasil


def idm_desa(*, wilayah: str) -> dict[int, StatusIdm]:
    """Latest IDM status per village of the region (village id → row). One query."""
    qs = _dalam(StatusIdm.objects.all(), wilayah, "village__kode").order_by("village_id", "-tahun")
    return {row.village_id: row for row in qs.distinct("village_id")}


IDM_STATUS = ("Sangat Tertinggal", "Tertinggal", "Berkembang", "Maju", "Mandiri")
# Permendesa 2/2016: upper bounds of each status (domain.md); configurable as BALAI_IDM_AMBANG.
IDM_AMBANG = (
    (Decimal("0.4907"), "Sangat Tertinggal"),
    (Decimal("0.5989"), "Tertinggal"),
    (Decimal("0.7072"), "Berkembang"),
    (Decimal("0.8155"), "Maju"),
)


def idm_status_dari_skor(skor: Decimal) -> str:
    ambang = getattr(settings, "BALAI_IDM_AMBANG", IDM_AMBANG)
    for batas, status in ambang:
        if skor <= Decimal(str(batas)):
            return str(status)
    return "Mandiri"


# --- reference names -------------------------------------------------------------------------


def nama_wilayah(kode: str) -> str | None:
    """'Provinsi Lampung', 'Kabupaten Lampung Selatan', 'Kecamatan Candipuro', 'Desa Bumi Jaya'."""
    tingkat = tingkat_dari_kode(kode)
    if tingkat == "provinsi":
        p = Provinsi.objects.filter(kode=kode).first()
        return f"Provinsi {p.nama}" if p else None
    if tingkat == "kabupaten":
        k = Kabupaten.objects.filter(kode=kode).first()
        return k.nama_lengkap if k else None
    if tingkat == "kecamatan":
        c = Kecamatan.objects.filter(kode=kode).first()
        return f"Kecamatan {c.nama}" if c else None
    if tingkat == "desa":
        v = Village.objects.filter(kode=kode).first()
        return str(v) if v else None
    return None


def wilayah_anak(kode: str) -> dict[str, str]:
    """{kode: name} of the regions one level below `kode` (villages below a kecamatan). One query."""
    tingkat = tingkat_dari_kode(kode)
    if tingkat == "provinsi":
        return {k.kode: k.nama_lengkap for k in Kabupaten.objects.filter(provinsi_id=kode).order_by("kode")}
    if tingkat == "kabupaten":
        return {c.kode: c.nama for c in Kecamatan.objects.filter(kabupaten_id=kode).order_by("kode")}
    if tingkat == "kecamatan":
        return {v.kode: v.nama for v in Village.objects.filter(kecamatan_id=kode).only("kode", "nama").order_by("kode")}
    return {}


def desa_di(kode: str) -> list[Village]:
    """Villages inside a region, with kecamatan (one query)."""
    return list(_dalam(Village.objects.all(), kode, "kode").select_related("kecamatan").order_by("kode"))
