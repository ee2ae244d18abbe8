"""Reads of the population register (always the schema of the current village)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone

from tenants.penduduk.models import (
    AksesLog,
    Dusun,
    Keluarga,
    Mutasi,
    Penduduk,
    Peristiwa,
    Rt,
    RumahTangga,
    Rw,
)
from tenants.penduduk.nik import normalize_number
from tenants.penduduk.reference import Hubungan, JenisKelamin

#: What list pages show next to a resident: the family card and the territory path.
# The page's families and their territory path in one query each (not three for rt, rw, dusun).
LIST_RELATED = ("keluarga", Prefetch("rt", queryset=Rt.objects.select_related("rw__dusun")))
MAX_ID_LIST = 1000


def penduduk_count() -> int:
    return Penduduk.objects.count()


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February in a year that has none
        return today.replace(year=today.year - years, day=28)


def _name_filter(qs: QuerySet[Penduduk], text: str) -> QuerySet[Penduduk]:
    """Part of the name, case-insensitive: UPPER(nama) LIKE '%TEXT%' uses the penduduk_nama_trgm GIN index."""
    return qs.alias(nama_upper=Upper("nama")).filter(nama_upper__contains=text.upper())


def _name_similar(qs: QuerySet[Penduduk], text: str) -> QuerySet[Penduduk]:
    """Typo-tolerant: a word of the name is trigram-similar to `text` (`<%`, index-backed), most similar first."""
    wanted = text.upper()
    return (
        qs.alias(nama_upper=Upper("nama"))
        .filter(nama_upper__trigram_word_similar=wanted)
        .annotate(kemiripan=TrigramWordSimilarity(wanted, Upper("nama")))
        .order_by("-kemiripan", "nama", "id")
    )


def penduduk_list(
    *,
    q: str = "",
    jenis_kelamin: int | None = None,
    status_dasar: int | None = None,
    agama: int | None = None,
    pendidikan_kk: int | None = None,
    pekerjaan: int | None = None,
    dusun: int | None = None,
    rw: int | None = None,
    rt: int | None = None,
    umur_min: int | None = None,
    umur_max: int | None = None,
) -> QuerySet[Penduduk]:
    """Residents by name, with their family card and territory.

    `q` is the start of a NIK or No. KK (digits), or part of the name (case-insensitive); when no
    name contains it, names with a trigram-similar word are returned instead, most similar first
    (typos: "Ahmd" finds "Ahmad"). Territory filters take ids; ages are whole years on today's date
    in Asia/Jakarta.
    """
    # Prefetched, not joined: the (nama, id) index gives the first page without sorting the village, and
    # the family/territory rows of just that page come in one query each.
    qs = Penduduk.objects.prefetch_related(*LIST_RELATED).order_by("nama", "id")
    filters = {
        "jenis_kelamin": jenis_kelamin,
        "status_dasar": status_dasar,
        "agama": agama,
        "pendidikan_kk": pendidikan_kk,
        "pekerjaan": pekerjaan,
        "rt_id": rt,
        "rt__rw_id": rw,
        "rt__rw__dusun_id": dusun,
    }
    qs = qs.filter(**{name: value for name, value in filters.items() if value is not None})
    today = timezone.localdate()
    if umur_min is not None:
        qs = qs.filter(tanggal_lahir__lte=_years_ago(today, umur_min))
    if umur_max is not None:
        qs = qs.filter(tanggal_lahir__gt=_years_ago(today, umur_max + 1))
    q = q.strip()
    if not q:
        return qs
    number = normalize_number(q)
    if number.isdigit():
        # Family ids first: with a literal list both sides of the OR use their own index (a BitmapOr);
        # a subquery in the OR makes PostgreSQL scan every resident.
        matching = Keluarga.objects.filter(no_kk__startswith=number)
        found = list(matching.values_list("id", flat=True)[: MAX_ID_LIST + 1])
        families: Any = found if len(found) <= MAX_ID_LIST else matching.values("id")
        return qs.filter(Q(nik__startswith=number) | Q(keluarga_id__in=families))
    by_name = _name_filter(qs, q)
    if by_name.exists():
        return by_name
    return _name_similar(qs, q)


def penduduk_get(*, pk: int) -> Penduduk | None:
    return Penduduk.objects.select_related("keluarga", "rt__rw__dusun", "rumah_tangga").filter(pk=pk).first()


def penduduk_holding_nik(*, nik: str, exclude_pk: int | None = None) -> Penduduk | None:
    """The resident of this village who holds `nik`, if any."""
    qs = Penduduk.objects.filter(nik=nik)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def kepala_keluarga_of(*, keluarga: Keluarga, exclude_pk: int | None = None) -> Penduduk | None:
    qs = Penduduk.objects.filter(keluarga=keluarga, hubungan=Hubungan.KEPALA_KELUARGA)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def keluarga_list(*, q: str = "") -> QuerySet[Keluarga]:
    """Families with their members (head first) and territory. `q`: start of the No. KK, or part of the head's name."""
    members = Penduduk.objects.order_by("hubungan", "nama", "id")
    qs = (
        Keluarga.objects.select_related("rt__rw__dusun")
        .prefetch_related(Prefetch("anggota", queryset=members))
        .order_by("no_kk")
    )
    q = q.strip()
    if not q:
        return qs
    number = normalize_number(q)
    if number.isdigit():
        return qs.filter(no_kk__startswith=number)
    heads = _name_filter(Penduduk.objects.filter(hubungan=Hubungan.KEPALA_KELUARGA), q).values("keluarga_id")
    return qs.filter(pk__in=heads)


def keluarga_get(*, pk: int) -> Keluarga | None:
    return keluarga_list().filter(pk=pk).first()


def keluarga_count() -> int:
    return Keluarga.objects.count()


def rumah_tangga_list(*, q: str = "") -> QuerySet[RumahTangga]:
    """Households with their members (head first). `q`: start of the household number."""
    members = Penduduk.objects.order_by("hubungan_rtm", "nama", "id")
    qs = (
        RumahTangga.objects.select_related("rt__rw__dusun")
        .prefetch_related(Prefetch("anggota", queryset=members))
        .order_by("no_rtm")
    )
    if q.strip():
        qs = qs.filter(no_rtm__startswith=q.strip())
    return qs


def rumah_tangga_get(*, pk: int) -> RumahTangga | None:
    return rumah_tangga_list().filter(pk=pk).first()


def mutasi_for_penduduk(*, penduduk: Penduduk) -> QuerySet[Mutasi]:
    """Every change to one resident, newest first."""
    return Mutasi.objects.filter(penduduk=penduduk).select_related("peristiwa").order_by("-waktu", "-id")


def mutasi_for_keluarga(*, keluarga: Keluarga) -> QuerySet[Mutasi]:
    """Every change to one family card (members in and out, head, peristiwa of members), newest first."""
    return Mutasi.objects.filter(keluarga=keluarga).select_related("peristiwa").order_by("-waktu", "-id")


def mutasi_for_rumah_tangga(*, rumah_tangga: RumahTangga) -> QuerySet[Mutasi]:
    return Mutasi.objects.filter(rumah_tangga=rumah_tangga).select_related("peristiwa").order_by("-waktu", "-id")


def peristiwa_for_penduduk(*, penduduk: Penduduk) -> QuerySet[Peristiwa]:
    return Peristiwa.objects.filter(penduduk=penduduk).order_by("-tanggal_peristiwa", "-id")


def akses_log_for_penduduk(*, penduduk: Penduduk) -> QuerySet[AksesLog]:
    """Who read this resident's full record, newest first."""
    return AksesLog.objects.filter(penduduk=penduduk).order_by("-waktu", "-id")


def wilayah_tree() -> list[Dusun]:
    """Every dusun with its RW (rw_set) and their RT (rt_set) prefetched, in number order."""
    rts = Rt.objects.order_by("nomor")
    rws = Rw.objects.order_by("nomor").prefetch_related(Prefetch("rt_set", queryset=rts))
    return list(Dusun.objects.order_by("nama").prefetch_related(Prefetch("rw_set", queryset=rws)))


def dusun_get(*, pk: int) -> Dusun | None:
    return Dusun.objects.filter(pk=pk).first()


def rw_get(*, pk: int) -> Rw | None:
    return Rw.objects.select_related("dusun").filter(pk=pk).first()


def rt_get(*, pk: int) -> Rt | None:
    return Rt.objects.select_related("rw__dusun").filter(pk=pk).first()


def penduduk_per_jenis_kelamin() -> list[tuple[str, int]]:
    """(label, count) for every sex in the reference list, zeros included, for the operator's home chart."""
    counts = dict(Penduduk.objects.values_list("jenis_kelamin").annotate(n=Count("id")).order_by())
    return [(str(label), counts.get(value, 0)) for value, label in JenisKelamin.choices]


def keluarga_by_no_kk(*, no_kk: str) -> Keluarga | None:
    """The family card with this No. KK (spaces, dots and dashes ignored), if registered here."""
    number = normalize_number(no_kk.strip())
    return Keluarga.objects.select_related("rt__rw__dusun").filter(no_kk=number).first() if number else None
