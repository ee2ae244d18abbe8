"""Reads of the population register (always the schema of the current village)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from tenants.penduduk.models import Keluarga, Penduduk
from tenants.penduduk.nik import normalize_number
from tenants.penduduk.reference import Hubungan, JenisKelamin


def penduduk_count() -> int:
    return Penduduk.objects.count()


def penduduk_list(
    *,
    q: str = "",
    jenis_kelamin: int | None = None,
    status_dasar: int | None = None,
    agama: int | None = None,
    pendidikan_kk: int | None = None,
    pekerjaan: int | None = None,
) -> QuerySet[Penduduk]:
    """Residents by name. `q` matches part of the name, or the start of the NIK or No. KK."""
    qs = Penduduk.objects.select_related("keluarga").order_by("nama", "id")
    q = q.strip()
    if q:
        number = normalize_number(q)
        if number.isdigit():
            qs = qs.filter(Q(nik__startswith=number) | Q(keluarga__no_kk__startswith=number))
        else:
            qs = qs.filter(nama__icontains=q)
    filters = {
        "jenis_kelamin": jenis_kelamin,
        "status_dasar": status_dasar,
        "agama": agama,
        "pendidikan_kk": pendidikan_kk,
        "pekerjaan": pekerjaan,
    }
    return qs.filter(**{name: value for name, value in filters.items() if value is not None})


def penduduk_get(*, pk: int) -> Penduduk | None:
    return Penduduk.objects.select_related("keluarga").filter(pk=pk).first()


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
    """Families with their members (head first). `q` matches the start of the No. KK."""
    members = Penduduk.objects.order_by("hubungan", "nama", "id")
    qs = Keluarga.objects.prefetch_related(Prefetch("anggota", queryset=members)).order_by("no_kk")
    number = normalize_number(q.strip())
    if number:
        qs = qs.filter(no_kk__startswith=number)
    return qs


def keluarga_get(*, pk: int) -> Keluarga | None:
    return keluarga_list().filter(pk=pk).first()


def keluarga_count() -> int:
    return Keluarga.objects.count()


def penduduk_per_jenis_kelamin() -> list[tuple[str, int]]:
    """(label, count) for every sex in the reference list, zeros included, for the operator's home chart."""
    counts = dict(Penduduk.objects.values_list("jenis_kelamin").annotate(n=Count("id")).order_by())
    return [(str(label), counts.get(value, 0)) for value, label in JenisKelamin.choices]
