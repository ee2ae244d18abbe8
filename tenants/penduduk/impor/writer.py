"""The bulk write of a validated import: territory, families, residents, history, one event.

COPY on the Django connection's psycopg cursor with ids reserved from the tables' sequences, so
families, residents and their mutasi rows are linked without a round trip per row. Measured for
15,000 rows (2 shared cores): ~1.1 s by COPY against 7-9 s by bulk_create (model instances, RETURNING).
Runs inside the caller's transaction; the database still checks every unique constraint
(NIK, No. KK, one head per family).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.utils import timezone

from tenants.outbox.services import outbox_emit
from tenants.penduduk import reference as ref
from tenants.penduduk.events import REGISTER_DIIMPOR
from tenants.penduduk.impor.validation import Row
from tenants.penduduk.models import Dusun, Keluarga, Mutasi, Penduduk, Rt, Rw
from tenants.penduduk.nik import TEMPORARY_SERIAL_DIGITS, kode_desa_digits


@dataclass
class Written:
    penduduk: int
    keluarga: int
    wilayah: int  # dusun + RW + RT created
    perlu_diperiksa: int


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh ids from the model's id sequence (one query)."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY rows into the model's table in the current schema (search_path set by the tenant connection)."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _wilayah_ensure(paths: set[tuple[str, str, str]]) -> tuple[dict[tuple[str, str, str], int], int]:
    """Rt id for every (dusun, rw, rt) path, creating what is missing. Dusun names match case-insensitively."""
    created = 0
    dusun_by_key = {d.nama.upper(): d for d in Dusun.objects.all()}
    for nama in sorted({p[0] for p in paths}):
        if nama.upper() not in dusun_by_key:
            dusun_by_key[nama.upper()] = Dusun.objects.create(nama=nama)
            created += 1
    rw_by_key = {(rw.dusun_id, rw.nomor): rw for rw in Rw.objects.all()}
    for dusun_nama, rw_nomor in sorted({(p[0], p[1]) for p in paths}):
        dusun = dusun_by_key[dusun_nama.upper()]
        if (dusun.pk, rw_nomor) not in rw_by_key:
            rw_by_key[(dusun.pk, rw_nomor)] = Rw.objects.create(dusun=dusun, nomor=rw_nomor)
            created += 1
    rt_by_key = {(rt.rw_id, rt.nomor): rt.pk for rt in Rt.objects.all()}
    result: dict[tuple[str, str, str], int] = {}
    for path in sorted(paths):
        rw = rw_by_key[(dusun_by_key[path[0].upper()].pk, path[1])]
        if (rw.pk, path[2]) not in rt_by_key:
            rt_by_key[(rw.pk, path[2])] = Rt.objects.create(rw=rw, nomor=path[2]).pk
            created += 1
        result[path] = rt_by_key[(rw.pk, path[2])]
    return result, created


def _temporary_niks(*, kode_desa: str, count: int) -> list[str]:
    """`count` consecutive free temporary NIKs of the village, under the same advisory lock as the services."""
    if count == 0:
        return []
    prefix = "0" + kode_desa_digits(kode_desa)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"balai.nik_sementara.{prefix}"])
    highest = Penduduk.objects.filter(nik__startswith=prefix).aggregate(m=models.Max("nik"))["m"]
    start = int(highest[len(prefix) :]) + 1 if highest else 1
    if start + count > 10**TEMPORARY_SERIAL_DIGITS:
        raise ValueError("temporary NIK serials of this village are exhausted")
    return [f"{prefix}{serial:0{TEMPORARY_SERIAL_DIGITS}d}" for serial in range(start, start + count)]


PENDUDUK_FIELDS = [f for f in Penduduk._meta.concrete_fields if f.name != "id"]


def write_import(
    *,
    rows: list[Row],
    kode_desa: str,
    petugas_id: int | None,
    petugas_nama: str,
    keterangan: str,
    job_id: int | None,
) -> Written:
    """Writes validated rows. Must run inside a transaction (the caller's): all or nothing.

    Creates missing dusun/RW/RT, one Keluarga per No. KK (address and RT from its head's row), one
    Penduduk per row, one Mutasi (aksi=diimpor) per resident and one outbox event with counts only.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("write_import must run inside the import's transaction")
    now = timezone.now()
    rt_ids, wilayah_created = _wilayah_ensure({r.wilayah for r in rows if r.wilayah})

    # Families: the head's row gives the address and RT.
    heads: dict[str, Row] = {}
    for row in rows:
        if row.no_kk and (row.no_kk not in heads or row.fields.get("hubungan") == ref.Hubungan.KEPALA_KELUARGA):
            heads[row.no_kk] = row
    keluarga_ids = dict(zip(heads, reserve_ids(Keluarga, len(heads)), strict=True))
    copy_rows(
        Keluarga,
        ["id", "no_kk", "alamat", "rt_id", "created_at", "updated_at"],
        (
            (keluarga_ids[no_kk], no_kk, head.alamat, rt_ids.get(head.wilayah) if head.wilayah else None, now, now)
            for no_kk, head in heads.items()
        ),
    )

    temporary = iter(_temporary_niks(kode_desa=kode_desa, count=sum(1 for r in rows if r.nik_kosong)))
    penduduk_ids = reserve_ids(Penduduk, len(rows))
    columns = ["id", *[f.column for f in PENDUDUK_FIELDS]]
    defaults = {f.attname: f.get_default() for f in PENDUDUK_FIELDS}
    flagged = 0

    def penduduk_rows() -> Iterable[list[Any]]:
        nonlocal flagged
        for pk, row in zip(penduduk_ids, rows, strict=True):
            values = {
                **defaults,
                **row.fields,
                "keluarga_id": keluarga_ids.get(row.no_kk) if row.no_kk else None,
                "rt_id": rt_ids.get(row.wilayah) if row.wilayah else None,
                "created_at": now,
                "updated_at": now,
            }
            if row.nik_kosong:
                values["nik"] = next(temporary)
                values["nik_sementara"] = True
            flagged += bool(values["perlu_diperiksa"])
            yield [pk, *(values[f.attname] for f in PENDUDUK_FIELDS)]

    copy_rows(Penduduk, columns, penduduk_rows())
    keterangan = keterangan[:300]
    copy_rows(
        Mutasi,
        ["penduduk_id", "keluarga_id", "aksi", "perubahan", "keterangan", "petugas_id", "petugas_nama", "waktu"],
        (
            (
                pk,
                keluarga_ids.get(row.no_kk) if row.no_kk else None,
                Mutasi.Aksi.DIIMPOR,
                "{}",
                keterangan,
                petugas_id,
                petugas_nama,
                now,
            )
            for pk, row in zip(penduduk_ids, rows, strict=True)
        ),
    )
    written = Written(penduduk=len(rows), keluarga=len(heads), wilayah=wilayah_created, perlu_diperiksa=flagged)
    outbox_emit(
        topic=REGISTER_DIIMPOR,
        payload={
            "import_job_id": job_id,
            "penduduk_dibuat": written.penduduk,
            "keluarga_dibuat": written.keluarga,
            "wilayah_dibuat": written.wilayah,
            "perlu_diperiksa": written.perlu_diperiksa,
        },
    )
    return written
