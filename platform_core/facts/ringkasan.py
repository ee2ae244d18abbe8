"""Rollups of the fact table per kecamatan, kabupaten and province, and composite scores, materialised.

The consoles read tens of rows (`Ringkasan`, `Skor`) instead of aggregating 2,651 villages x indicators
on every request. The numbers are the on-the-fly ones by construction: `rollup_langsung` and
`skor_desa_langsung` compute them, `ringkasan_segarkan` stores exactly what they return, and tests assert
the stored rows equal a fresh computation after a drain and after a recompute.

Kept current by the pipeline: `desa_hitung` (the outbox drain, in the drain's transaction) refreshes the
kecamatan, kabupaten and province of the village for the indicators whose fact changed; the full recompute
rebuilds everything at the end (`ringkasan_bangun`). Writers serialise on one transaction-level advisory
lock taken before they aggregate, so a refresh always sees every committed fact (no lost update when two
villages of one province drain at once).

Rollup per indicator follows its `agregasi` (platform_core.facts.registry):
- jumlah: SUM of village values;
- rasio: SUM(nilai * penyebut) / SUM(penyebut) over villages with both parts, i.e. SUM(pembilang) /
  SUM(penyebut) in the indicator's own unit (a percentage stays a percentage);
- rata / median: mean / median of the village values (the median only for indicators that need it);
- terbaru: not rolled up (a village's own value only).
A village without a value ("belum ada data", nilai NULL) is left out; a region where no village has a
value gets None, never 0.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.db import connection
from django.db.models import Aggregate, Avg, Count, DecimalField, F, Q, QuerySet, Sum
from django.db.models.functions import Left
from django.utils import timezone

from platform_core.facts import registry
from platform_core.facts.models import Fakta, Ringkasan, Skor

Tingkat = Literal["provinsi", "kabupaten", "kecamatan", "desa"]
TINGKAT: tuple[Tingkat, ...] = ("provinsi", "kabupaten", "kecamatan", "desa")
PANJANG_KODE: dict[Tingkat, int] = {"provinsi": 2, "kabupaten": 5, "kecamatan": 8, "desa": 13}
TINGKAT_WILAYAH: tuple[Tingkat, ...] = ("kecamatan", "kabupaten", "provinsi")
PILAR: tuple[registry.Pilar, ...] = ("pemerintahan", "ekonomi", "masyarakat")
KUNCI_KUNCI = 0x62616C6169  # pg_advisory_xact_lock key of rollup writers ("balai")


def tingkat_dari_kode(kode: str) -> Tingkat | None:
    """'18' → provinsi, '18.01' → kabupaten, '18.01.17' → kecamatan, '18.01.17.2011' → desa."""
    for tingkat, panjang in PANJANG_KODE.items():
        if len(kode) == panjang:
            return tingkat
    return None


# --- on-the-fly rollups ------------------------------------------------------------------------------


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


def agregat(queryset: QuerySet[Fakta], kelompok: Any, kunci: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """One GROUP BY (kelompok, indikator) with every aggregate an `agregasi` can need (the median only
    when one of the indicators asked for rolls up by median)."""
    diminta = set(kunci) if kunci is not None else None
    keys_median = [
        i.kunci for i in registry.semua() if i.agregasi == "median" and (diminta is None or i.kunci in diminta)
    ]
    bagian = Q(pembilang__isnull=False, penyebut__isnull=False, penyebut__gt=0, nilai__isnull=False)
    annotations: dict[str, Any] = {
        "s_nilai": Sum("nilai"),
        "r_nilai": Avg("nilai"),
        "n": Count("nilai"),
        "baris": Count("pk"),
        "s_bobot": Sum(F("nilai") * F("penyebut"), filter=bagian, output_field=DecimalField()),
        "s_pembilang": Sum("pembilang", filter=bagian),
        "s_penyebut": Sum("penyebut", filter=bagian),
    }
    if keys_median:
        annotations["m_nilai"] = Median("nilai", filter=Q(indikator__in=keys_median))
    return list(queryset.annotate(k=kelompok).values("k", "indikator").annotate(**annotations).order_by())


def angka_dari(row: dict[str, Any], agregasi: str) -> Angka:  # noqa: PLR0911  # one return per agregasi
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


def dalam(queryset: QuerySet[Any], wilayah: str, field_kode: str) -> QuerySet[Any]:
    """Rows of villages inside region `wilayah` ('18', '18.01', ..., or one village's kode)."""
    if tingkat_dari_kode(wilayah) == "desa":
        return queryset.filter(**{field_kode: wilayah})
    return queryset.filter(**{f"{field_kode}__startswith": wilayah + "."})


def _rollup_baris(
    *, periode: dt.date, tingkat: Tingkat, wilayah: str, kunci: Iterable[str] | None = None
) -> list[tuple[dict[str, Any], Angka]]:
    indikator = {i.kunci: i for i in registry.semua()}
    qs = dalam(Fakta.objects.filter(periode=periode), wilayah, "village__kode")
    daftar = list(kunci) if kunci is not None else None
    if daftar is not None:
        qs = qs.filter(indikator__in=daftar)
    out = []
    for row in agregat(qs, Left("village__kode", PANJANG_KODE[tingkat]), daftar):
        definisi = indikator.get(row["indikator"])
        if definisi is None:
            continue
        if tingkat == "desa":  # one village: its own value, whatever the rollup
            n = int(row["n"] or 0)
            out.append((row, Angka(row["s_nilai"], n, row["s_pembilang"], row["s_penyebut"])))
        else:
            out.append((row, angka_dari(row, definisi.agregasi)))
    return out


def rollup_langsung(
    *, periode: dt.date, tingkat: Tingkat, wilayah: str, kunci: Iterable[str] | None = None
) -> dict[str, dict[str, Angka]]:
    """{kode region at `tingkat`: {indicator: Angka}} for the regions inside `wilayah`, computed now
    from the fact table (one query). At tingkat "desa" the numbers are the villages' own values."""
    out: dict[str, dict[str, Angka]] = defaultdict(dict)
    for row, angka in _rollup_baris(periode=periode, tingkat=tingkat, wilayah=wilayah, kunci=kunci):
        out[row["k"]][row["indikator"]] = angka
    return dict(out)


# --- composite score -----------------------------------------------------------------------------------


@dataclass
class SkorDesa:
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


def skor_desa_langsung(
    *, periode: dt.date, wilayah: str | None = None, kode_desa: Sequence[str] = ()
) -> list[SkorDesa]:
    """Composite score of every village inside `wilayah` (or of the villages `kode_desa`) with at least
    one scored value, computed now. One query: normalisation and the per-pillar weighted mean run in SQL.
    A village missing an indicator is scored on the indicators it has (`berdata` says how many), a pillar
    only when at least BALAI_SKOR_MIN_BERDATA of its weighted indicators (or all, when fewer) have one."""
    from platform_core.tenancy.models import Village

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
    arg: Any
    if wilayah is None:
        kondisi, arg = "v.kode = ANY(%s)", list(kode_desa)
    elif tingkat_dari_kode(wilayah) == "desa":
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
    # A pillar is scored only when enough of its weighted indicators have a value: a village with no
    # register and no operator yet is "belum ada data", not a harsh 0 built from a single indicator.
    minimum = int(getattr(settings, "BALAI_SKOR_MIN_BERDATA", 2))
    per_pilar = {p: sum(1 for ind, _w in terbobot if ind.pilar == p) for p in PILAR}
    out = []
    for row in rows:
        pilar: dict[str, float | None] = {}
        berdata: dict[str, int] = {}
        for i, p in enumerate(PILAR):
            berdata[p] = int(row[3 + 2 * i])
            cukup = berdata[p] >= min(minimum, per_pilar[p])
            pilar[p] = row[2 + 2 * i] if cukup else None
        out.append(SkorDesa(village_id=row[0], kode=row[1], pilar=pilar, berdata=berdata, total=skor_total(pilar)))
    return out


def skor_wilayah_langsung(skor: Iterable[SkorDesa], tingkat: Tingkat) -> dict[str, dict[str, float | None]]:
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


# --- materialisation -------------------------------------------------------------------------------------


def _kunci_penulis() -> None:
    """Serialise rollup writers until the end of the caller's transaction; statements after this one see
    every fact committed by an earlier writer."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [KUNCI_KUNCI])


def _simpan_ringkasan(
    *, periode: dt.date, wilayah: Sequence[tuple[Tingkat, str]], kunci: Sequence[str] | None, now: dt.datetime
) -> int:
    """Recompute and store the rollups of these regions (each `(tingkat, kode)`), one query per region
    (one per level and root when a whole level is rebuilt); rows without facts any more are deleted."""
    baris: list[Ringkasan] = []
    for tingkat, kode in wilayah:
        for row, a in _rollup_baris(periode=periode, tingkat=tingkat, wilayah=kode, kunci=kunci):
            baris.append(
                Ringkasan(
                    tingkat=tingkat,
                    kode=row["k"],
                    indikator=row["indikator"],
                    periode=periode,
                    nilai=a.nilai,
                    pembilang=a.pembilang,
                    penyebut=a.penyebut,
                    dengan_data=a.desa_berdata,
                    jumlah_desa=int(row["baris"] or 0),
                    diperbarui=now,
                )
            )
    hapus = Q()
    for tingkat, kode in wilayah:
        q = (
            Q(tingkat=tingkat, kode=kode)
            if tingkat_dari_kode(kode) == tingkat
            else Q(tingkat=tingkat, kode__startswith=kode + ".")
        )
        hapus |= q
    lama = Ringkasan.objects.filter(hapus, periode=periode)
    if kunci is not None:
        lama = lama.filter(indikator__in=list(kunci))
    ada = {(r.kode, r.indikator) for r in baris}
    basi = [pk for pk, kode, ind in lama.values_list("pk", "kode", "indikator") if (kode, ind) not in ada]
    if basi:
        Ringkasan.objects.filter(pk__in=basi).delete()
    if baris:
        Ringkasan.objects.bulk_create(
            baris,
            update_conflicts=True,
            unique_fields=["kode", "indikator", "periode"],
            update_fields=["tingkat", "nilai", "pembilang", "penyebut", "dengan_data", "jumlah_desa", "diperbarui"],
            batch_size=2000,
        )
    return len(baris)


def _simpan_skor_desa(
    skor: Sequence[SkorDesa], *, periode: dt.date, kode_desa: Iterable[str], now: dt.datetime
) -> None:
    ada = {s.kode for s in skor}
    basi = [k for k in kode_desa if k not in ada]
    if basi:
        Skor.objects.filter(periode=periode, tingkat="desa", kode__in=basi).delete()
    if skor:
        Skor.objects.bulk_create(
            [
                Skor(
                    tingkat="desa",
                    kode=s.kode,
                    periode=periode,
                    pemerintahan=s.pilar.get("pemerintahan"),
                    ekonomi=s.pilar.get("ekonomi"),
                    masyarakat=s.pilar.get("masyarakat"),
                    total=s.total,
                    b_pemerintahan=s.berdata.get("pemerintahan", 0),
                    b_ekonomi=s.berdata.get("ekonomi", 0),
                    b_masyarakat=s.berdata.get("masyarakat", 0),
                    diperbarui=now,
                )
                for s in skor
            ],
            update_conflicts=True,
            unique_fields=["kode", "periode"],
            update_fields=[
                "pemerintahan",
                "ekonomi",
                "masyarakat",
                "total",
                "b_pemerintahan",
                "b_ekonomi",
                "b_masyarakat",
                "diperbarui",
            ],
            batch_size=2000,
        )


def _simpan_skor_wilayah(*, periode: dt.date, wilayah: Sequence[tuple[Tingkat, str]], now: dt.datetime) -> None:
    """Region scores of every region of level `tingkat` under each root `kode` (one statement); the
    caller deleted the old rows. A region's score is the mean of its villages' stored scores."""
    if not wilayah:
        return
    tabel = connection.ops.quote_name(Skor._meta.db_table)
    bagian = []
    params: list[Any] = []
    for tingkat, kode in wilayah:
        panjang = PANJANG_KODE[tingkat]
        bagian.append(
            f"SELECT %s, LEFT(kode, {panjang}), %s, AVG(pemerintahan), AVG(ekonomi), AVG(masyarakat), AVG(total), "
            "COUNT(pemerintahan), COUNT(ekonomi), COUNT(masyarakat), %s "
            f"FROM {tabel} WHERE tingkat = 'desa' AND periode = %s AND kode LIKE %s GROUP BY LEFT(kode, {panjang})"
        )
        params += [tingkat, periode, now, periode, kode + ".%"]
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {tabel} (tingkat, kode, periode, pemerintahan, ekonomi, masyarakat, total, "
            "b_pemerintahan, b_ekonomi, b_masyarakat, diperbarui) " + " UNION ALL ".join(bagian),
            params,
        )


def ringkasan_segarkan(*, periode: dt.date, kode_desa: Iterable[str], kunci: Iterable[str] | None = None) -> int:
    """Refresh the stored rollups of the kecamatan, kabupaten and province of these villages (only the
    indicators `kunci`, all when None) and the villages' and those regions' scores.

    Runs in the caller's transaction (the drain's, so the rollups commit with the facts) and holds the
    rollup writers' advisory lock until it ends. A handful of queries per region, whatever the number of
    villages in it. Returns the rollup rows written.
    """
    desa = sorted(set(kode_desa))
    if not desa:
        return 0
    daftar = sorted(set(kunci)) if kunci is not None else None
    now = timezone.now()
    _kunci_penulis()
    wilayah: list[tuple[Tingkat, str]] = sorted(
        {(t, k[: PANJANG_KODE[t]]) for k in desa for t in TINGKAT_WILAYAH}, key=lambda w: (len(w[1]), w[1])
    )
    n = _simpan_ringkasan(periode=periode, wilayah=wilayah, kunci=daftar, now=now)
    terbobot = {ind.kunci for ind, _w in bobot_indikator()}
    if daftar is None or terbobot & set(daftar):
        _simpan_skor_desa(skor_desa_langsung(periode=periode, kode_desa=desa), periode=periode, kode_desa=desa, now=now)
        _simpan_skor_wilayah_tepat(periode=periode, wilayah=wilayah, now=now)
    return n


def _simpan_skor_wilayah_tepat(*, periode: dt.date, wilayah: Sequence[tuple[Tingkat, str]], now: dt.datetime) -> None:
    """Region scores of exactly these regions (each its own row)."""
    if not wilayah:
        return
    tabel = connection.ops.quote_name(Skor._meta.db_table)
    bagian = []
    params: list[Any] = []
    for tingkat, kode in wilayah:
        bagian.append(
            "SELECT %s, %s, %s, AVG(pemerintahan), AVG(ekonomi), AVG(masyarakat), AVG(total), "
            "COUNT(pemerintahan), COUNT(ekonomi), COUNT(masyarakat), %s "
            f"FROM {tabel} WHERE tingkat = 'desa' AND periode = %s AND kode LIKE %s HAVING COUNT(*) > 0"
        )
        params += [tingkat, kode, periode, now, periode, kode + ".%"]
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {tabel} WHERE periode = %s AND kode = ANY(%s)", [periode, [k for _t, k in wilayah]])
        cur.execute(
            f"INSERT INTO {tabel} (tingkat, kode, periode, pemerintahan, ekonomi, masyarakat, total, "
            "b_pemerintahan, b_ekonomi, b_masyarakat, diperbarui) " + " UNION ALL ".join(bagian),
            params,
        )


def ringkasan_bangun(*, wilayah: str = "18", periode: dt.date | None = None) -> int:
    """Rebuild every stored rollup and score inside `wilayah` ('18' or a kabupaten/kecamatan code) for one
    period, or every period with facts. In the caller's transaction (wrap it in one), under the writers'
    lock; a few queries per period. Returns the rollup rows written."""
    _kunci_penulis()
    if periode is None:
        daftar = list(Fakta.objects.order_by().values_list("periode", flat=True).distinct())
    else:
        daftar = [periode]
    tingkat_akar = tingkat_dari_kode(wilayah)
    if tingkat_akar is None or tingkat_akar == "desa":
        raise ValueError(f"wilayah {wilayah!r} bukan kode provinsi, kabupaten atau kecamatan")
    now = timezone.now()
    n = 0
    for p in daftar:
        # the root itself, and every region below it, one query per level
        tingkat_bawah = [t for t in TINGKAT_WILAYAH if PANJANG_KODE[t] > PANJANG_KODE[tingkat_akar]]
        wilayah_set: list[tuple[Tingkat, str]] = [(tingkat_akar, wilayah), *((t, wilayah) for t in tingkat_bawah)]
        n += _simpan_ringkasan(periode=p, wilayah=wilayah_set, kunci=None, now=now)
        _simpan_skor_bangun(periode=p, wilayah=wilayah, now=now)
    # ancestors of a kabupaten/kecamatan: their rollups include this region
    leluhur: list[tuple[Tingkat, str]] = [
        (t, wilayah[: PANJANG_KODE[t]]) for t in TINGKAT_WILAYAH if PANJANG_KODE[t] < PANJANG_KODE[tingkat_akar]
    ]
    if leluhur:
        for p in daftar:
            n += _simpan_ringkasan(periode=p, wilayah=leluhur, kunci=None, now=now)
            _simpan_skor_wilayah_tepat(periode=p, wilayah=leluhur, now=now)
    return n


def _simpan_skor_bangun(*, periode: dt.date, wilayah: str, now: dt.datetime) -> None:
    skor = skor_desa_langsung(periode=periode, wilayah=wilayah)
    Skor.objects.filter(periode=periode, kode__startswith=wilayah + ".").delete()
    Skor.objects.filter(periode=periode, kode=wilayah).delete()
    _simpan_skor_desa(skor, periode=periode, kode_desa=(), now=now)
    akar = tingkat_dari_kode(wilayah)
    assert akar is not None
    per_tingkat: list[tuple[Tingkat, str]] = [
        (t, wilayah) for t in TINGKAT_WILAYAH if PANJANG_KODE[t] > PANJANG_KODE[akar]
    ]
    _simpan_skor_wilayah(periode=periode, wilayah=per_tingkat, now=now)
    _simpan_skor_wilayah_tepat(periode=periode, wilayah=[(akar, wilayah)], now=now)
