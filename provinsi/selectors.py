"""What the province, kabupaten and kecamatan consoles read: the fact table, rolled up.

Reads only platform_core.facts (Fakta, StatusDesa, Aktivitas, KehadiranOperator, StatusIdm)
and the public reference tables, never a village schema. Every rollup is one GROUP BY over
the fact table for all regions of a level at once, never a query per village or region.

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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Aggregate, Avg, Count, DecimalField, F, Max, Q, QuerySet, Sum
from django.db.models.functions import Left
from django.utils import timezone

from platform_core.facts import registry
from platform_core.facts.models import Aktivitas, Fakta, KehadiranOperator, StatusIdm
from platform_core.tenancy.models import Village
from platform_core.wilayah.models import Kabupaten, Kecamatan, Provinsi

Tingkat = Literal["provinsi", "kabupaten", "kecamatan", "desa"]
TINGKAT: tuple[Tingkat, ...] = ("provinsi", "kabupaten", "kecamatan", "desa")
PANJANG_KODE: dict[Tingkat, int] = {"provinsi": 2, "kabupaten": 5, "kecamatan": 8, "desa": 13}
PILAR: tuple[registry.Pilar, ...] = ("pemerintahan", "ekonomi", "masyarakat")
PILAR_LABEL = {"pemerintahan": "Smart government", "ekonomi": "Smart economy", "masyarakat": "Smart people"}

SEPI_HARI = 30
DARING_MENIT = 5


def tingkat_dari_kode(kode: str) -> Tingkat | None:
    """'18' → provinsi, '18.01' → kabupaten, '18.01.17' → kecamatan, '18.01.17.2011' → desa."""
    for tingkat, panjang in PANJANG_KODE.items():
        if len(kode) == panjang:
            return tingkat
    return None


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
    """Periods with facts, newest first."""
    return list(Fakta.objects.order_by("-periode").values_list("periode", flat=True).distinct())


def periode_terbaru() -> dt.date | None:
    periode: dt.date | None = Fakta.objects.aggregate(p=Max("periode"))["p"]
    return periode


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


class Median(Aggregate):
    """PERCENTILE_CONT(0.5): the median of the village values (NULLs ignored)."""

    function = "PERCENTILE_CONT"
    template = "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DecimalField(max_digits=20, decimal_places=4)


@dataclass(frozen=True)
class Angka:
    """One rolled-up number of one region; `nilai=None` is "belum ada data"."""

    nilai: Decimal | None
    desa_berdata: int = 0
    pembilang: Decimal | None = None
    penyebut: Decimal | None = None


KOSONG = Angka(None)


def _agregat(queryset: QuerySet[Fakta], kelompok: Any) -> list[dict[str, Any]]:
    """One GROUP BY (kelompok, indikator) with every aggregate an `agregasi` can need."""
    keys_median = [i.kunci for i in registry.semua() if i.agregasi == "median"]
    bagian = Q(pembilang__isnull=False, penyebut__isnull=False, penyebut__gt=0, nilai__isnull=False)
    annotations: dict[str, Any] = {
        "s_nilai": Sum("nilai"),
        "r_nilai": Avg("nilai"),
        "n": Count("nilai"),
        "s_bobot": Sum(F("nilai") * F("penyebut"), filter=bagian, output_field=DecimalField()),
        "s_pembilang": Sum("pembilang", filter=bagian),
        "s_penyebut": Sum("penyebut", filter=bagian),
    }
    if keys_median:
        annotations["m_nilai"] = Median("nilai", filter=Q(indikator__in=keys_median))
    return list(queryset.annotate(k=kelompok).values("k", "indikator").annotate(**annotations).order_by())


def _angka(row: dict[str, Any], agregasi: str) -> Angka:  # noqa: PLR0911  # one return per agregasi
    n = int(row["n"] or 0)
    if n == 0:
        return Angka(None)
    if agregasi == "jumlah":
        return Angka(row["s_nilai"], n)
    if agregasi == "rata":
        return Angka(row["r_nilai"], n)
    if agregasi == "median":
        m = row.get("m_nilai")
        return Angka(Decimal(str(m)) if m is not None else None, n)
    if agregasi == "rasio":
        penyebut = row["s_penyebut"]
        if not penyebut:
            return Angka(None, n)
        return Angka(row["s_bobot"] / penyebut, n, row["s_pembilang"], penyebut)
    return Angka(None, n)  # terbaru: no rollup


def _dalam(queryset: QuerySet[Any], wilayah: str, field_kode: str) -> QuerySet[Any]:
    """Rows of villages inside region `wilayah` ('18', '18.01', ..., or one village's kode)."""
    if tingkat_dari_kode(wilayah) == "desa":
        return queryset.filter(**{field_kode: wilayah})
    return queryset.filter(**{f"{field_kode}__startswith": wilayah + "."})


def rollup(
    *, periode: dt.date, tingkat: Tingkat, wilayah: str, kunci: Iterable[str] | None = None
) -> dict[str, dict[str, Angka]]:
    """{kode region at `tingkat`: {indicator: Angka}} for the regions inside `wilayah`.

    One query. At tingkat "desa" the numbers are the villages' own values (terbaru included).
    """
    indikator = {i.kunci: i for i in registry.semua()}
    qs = _dalam(Fakta.objects.filter(periode=periode), wilayah, "village__kode")
    if kunci is not None:
        qs = qs.filter(indikator__in=list(kunci))
    out: dict[str, dict[str, Angka]] = defaultdict(dict)
    for row in _agregat(qs, Left("village__kode", PANJANG_KODE[tingkat])):
        definisi = indikator.get(row["indikator"])
        if definisi is None:
            continue
        if tingkat == "desa":  # one village: its own value, whatever the rollup
            n = int(row["n"] or 0)
            out[row["k"]][row["indikator"]] = Angka(row["s_nilai"], n, row["s_pembilang"], row["s_penyebut"])
        else:
            out[row["k"]][row["indikator"]] = _angka(row, definisi.agregasi)
    return dict(out)


def tren(*, wilayah: str, kunci: Sequence[str], bulan: int = 12) -> dict[str, list[tuple[dt.date, Angka]]]:
    """{indicator: [(periode, Angka)]} for the region as a whole, oldest first. One query."""
    indikator = {i.kunci: i for i in registry.semua()}
    terbaru = periode_terbaru()
    if terbaru is None:
        return {}
    awal = _bulan_mundur(terbaru, bulan - 1)
    qs = _dalam(Fakta.objects.filter(periode__gte=awal, indikator__in=list(kunci)), wilayah, "village__kode")
    out: dict[str, list[tuple[dt.date, Angka]]] = {k: [] for k in kunci}
    for row in sorted(_agregat(qs, F("periode")), key=lambda r: r["k"]):
        definisi = indikator.get(row["indikator"])
        if definisi is not None:
            out[row["indikator"]].append((row["k"], _angka(row, definisi.agregasi)))
    return out


def _bulan_mundur(tanggal: dt.date, bulan: int) -> dt.date:
    indeks = tanggal.year * 12 + tanggal.month - 1 - bulan
    return dt.date(indeks // 12, indeks % 12 + 1, 1)


# --- composite score --------------------------------------------------------------------


@dataclass
class Skor:
    """A village's composite score (0..1) per pillar and overall; None = nothing to score."""

    village_id: int
    kode: str
    pilar: dict[str, float | None] = field(default_factory=dict)
    berdata: dict[str, int] = field(default_factory=dict)  # weighted indicators with a value
    total: float | None = None


def bobot_indikator() -> list[tuple[registry.Indikator, float]]:
    """Registered indicators that count towards the score, with their weights (settings)."""
    bobot: dict[str, dict[str, float]] = getattr(settings, "BALAI_SKOR_BOBOT", {})
    out = []
    for ind in registry.semua():
        w = bobot.get(ind.pilar, {}).get(ind.kunci)
        if w and ind.arah != 0 and ind.batas_atas != ind.batas_bawah:
            out.append((ind, float(w)))
    return out


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


def skor_total(pilar: dict[str, float | None]) -> float | None:
    """Weighted mean of the pillars that have a score (BALAI_SKOR_PILAR_BOBOT)."""
    bobot: dict[str, float] = getattr(settings, "BALAI_SKOR_PILAR_BOBOT", {})
    num = den = 0.0
    for p, nilai in pilar.items():
        w = float(bobot.get(p, 0))
        if nilai is not None and w:
            num += w * nilai
            den += w
    return num / den if den else None


def skor_desa(*, periode: dt.date, wilayah: str) -> list[Skor]:
    """Composite score of every village inside `wilayah` with at least one scored value.

    One query: normalisation and the per-pillar weighted mean run in SQL. A village
    missing an indicator is scored on the indicators it has (`berdata` says how many).
    """
    terbobot = bobot_indikator()
    if not terbobot:
        return []
    values = ", ".join(["(%s, %s, %s::float, %s::numeric, %s::numeric, %s::int)"] * len(terbobot))
    params: list[Any] = []
    for ind, w in terbobot:
        params += [ind.kunci, ind.pilar, w, ind.batas_bawah, ind.batas_atas - ind.batas_bawah, ind.arah]
    kolom = []
    for p in PILAR:
        kolom.append(
            f"SUM(b.bobot * n.x) FILTER (WHERE b.pilar = '{p}') "
            f"/ NULLIF(SUM(b.bobot) FILTER (WHERE b.pilar = '{p}'), 0), "
            f"COUNT(*) FILTER (WHERE b.pilar = '{p}')"
        )
    if tingkat_dari_kode(wilayah) == "desa":
        kondisi, arg = "v.kode = %s", wilayah
    else:
        kondisi, arg = "v.kode LIKE %s", wilayah + ".%"
    sql = f"""
        WITH b(indikator, pilar, bobot, lo, span, arah) AS (VALUES {values})
        SELECT f.village_id, v.kode, {", ".join(kolom)}
        FROM {Fakta._meta.db_table} f
        JOIN {Village._meta.db_table} v ON v.id = f.village_id
        JOIN b ON b.indikator = f.indikator
        CROSS JOIN LATERAL (
            SELECT CASE WHEN b.arah > 0 THEN c ELSE 1 - c END AS x
            FROM (SELECT LEAST(GREATEST(((f.nilai - b.lo) / b.span)::float, 0), 1) AS c) z
        ) n
        WHERE f.periode = %s AND f.nilai IS NOT NULL AND {kondisi}
        GROUP BY f.village_id, v.kode
    """
    with connection.cursor() as cur:
        cur.execute(sql, [*params, periode, arg])
        rows = cur.fetchall()
    out = []
    for row in rows:
        pilar: dict[str, float | None] = {}
        berdata: dict[str, int] = {}
        for i, p in enumerate(PILAR):
            pilar[p] = row[2 + 2 * i]
            berdata[p] = int(row[3 + 2 * i])
        out.append(Skor(village_id=row[0], kode=row[1], pilar=pilar, berdata=berdata, total=skor_total(pilar)))
    return out


def skor_wilayah(skor: Iterable[Skor], tingkat: Tingkat) -> dict[str, dict[str, float | None]]:
    """{region kode: {pilar..., "total"}}: the mean of its villages' scores (villages without one left out)."""
    jumlah: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for s in skor:
        kode = s.kode[: PANJANG_KODE[tingkat]]
        for p, nilai in [*s.pilar.items(), ("total", s.total)]:
            if nilai is not None:
                jumlah[kode][p].append(nilai)
    return {
        kode: {p: (sum(v) / len(v) if v else None) for p, v in ((p, per[p]) for p in (*PILAR, "total"))}
        for kode, per in jumlah.items()
    }


@dataclass(frozen=True)
class Peringkat:
    village: Village
    skor: float
    berdata: int


def peringkat(skor: Sequence[Skor], *, n: int = 10) -> dict[str, dict[str, list[Peringkat]]]:
    """{pilar or "total": {"atas": top n, "bawah": bottom n}}; village names in one query."""
    pilihan: dict[str, tuple[list[Skor], list[Skor]]] = {}
    for p in (*PILAR, "total"):

        def nilai(s: Skor, p: str = p) -> float | None:
            return s.total if p == "total" else s.pilar.get(p)

        ada = sorted((s for s in skor if nilai(s) is not None), key=lambda s: (nilai(s), s.kode))
        pilihan[p] = (list(reversed(ada[-n:])), ada[:n])
    ids = {s.village_id for atas, bawah in pilihan.values() for s in (*atas, *bawah)}
    villages = Village.objects.select_related("kecamatan__kabupaten").in_bulk(ids) if ids else {}
    out: dict[str, dict[str, list[Peringkat]]] = {}
    for p, (atas, bawah) in pilihan.items():

        def baris(daftar: list[Skor], p: str = p) -> list[Peringkat]:
            return [
                Peringkat(
                    villages[s.village_id],
                    float((s.total if p == "total" else s.pilar[p]) or 0),
                    sum(s.berdata.values()) if p == "total" else s.berdata.get(p, 0),
                )
                for s in daftar
            ]

        out[p] = {"atas": baris(atas), "bawah": baris(bawah)}
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
        _dalam(Village.objects.all(), wilayah, "kode")
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
    qs = _dalam(Village.objects.all(), wilayah, "kode").filter(
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
