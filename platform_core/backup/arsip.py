"""A village's own data, portable: a zip with every table of its schema as CSV and a manifest.

Personal data is included (it is the village's data, taken out by the village's operator or the
province); every export is logged (logger ``balai.backup`` and the province's activity feed, without
personal data). All tables are read in one REPEATABLE READ snapshot: the counts and checksums in the
manifest describe one consistent state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import psycopg
from django.utils import timezone

from platform_core.backup.pg import target
from platform_core.tenancy.models import Village

logger = logging.getLogger("balai.backup")

FORMAT = "balai-arsip-desa/1"

README = """Arsip data {sebutan} {nama} (kode {kode})
Dibuat {waktu} oleh {oleh}.

Isi:
- manifest.json: identitas desa, versi skema (daftar migrasi), jumlah baris dan SHA-256 tiap berkas.
- tabel/<nama tabel>.csv: seluruh isi tiap tabel (UTF-8, koma, baris pertama nama kolom).

Nilai disimpan apa adanya. Bila membuka CSV di spreadsheet, impor sebagai teks: nilai yang
diawali =, +, - atau @ jangan dijalankan sebagai rumus.

PERHATIAN: arsip ini memuat data pribadi penduduk (NIK, KK, tanggal lahir, dan lain-lain).
Simpan di tempat aman dan jangan dibagikan kepada pihak yang tidak berhak (UU 27/2022 tentang
Pelindungan Data Pribadi).
"""


@dataclass
class Arsip:
    manifest: dict[str, Any]
    size_bytes: int


def _tables(cur: psycopg.Cursor[Any], schema: str) -> list[tuple[str, list[str]]]:
    rows = cur.execute(
        "SELECT c.relname, coalesce(array_agg(a.attname ORDER BY array_position(i.indkey, a.attnum))"
        "       FILTER (WHERE a.attname IS NOT NULL), '{}') "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary "
        "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') GROUP BY c.relname ORDER BY c.relname",
        [schema],
    ).fetchall()
    return [(str(name), list(pk)) for name, pk in rows]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write(village: Village, out: IO[bytes], *, oleh: str) -> Arsip:
    """Write the village's archive (zip) to `out`; returns the manifest."""
    schema = village.schema_name
    db = target()
    now = timezone.localtime()
    entries: list[dict[str, Any]] = []
    with (
        psycopg.connect(host=db.host, port=db.port, user=db.user, password=db.password or None, dbname=db.dbname,
                        application_name="balai-arsip") as conn,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf,
    ):  # fmt: skip
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SET LOCAL statement_timeout = 0")
            migrasi = [
                f"{app}.{name}"
                for app, name in cur.execute(
                    f"SELECT app, name FROM {_quote(schema)}.django_migrations ORDER BY app, name"
                ).fetchall()
            ]
            for table, pk in _tables(cur, schema):
                order = ", ".join(_quote(c) for c in pk) if pk else "1"
                query = f"SELECT * FROM {_quote(schema)}.{_quote(table)} ORDER BY {order}"
                sql = f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)"
                digest = hashlib.sha256()
                name = f"tabel/{table}.csv"
                with zf.open(name, "w", force_zip64=True) as member, cur.copy(sql) as copy:
                    for block in copy:
                        data = bytes(block)
                        digest.update(data)
                        member.write(data)
                entries.append({"nama": table, "berkas": name, "baris": None, "sha256": digest.hexdigest()})
            # Row counts from the same snapshot (CSV lines over-count rows with newlines inside values).
            for entry in entries:
                row = cur.execute(f"SELECT count(*) FROM {_quote(schema)}.{_quote(entry['nama'])}").fetchone()
                entry["baris"] = int(row[0]) if row else 0
        checksum = hashlib.sha256("".join(f"{e['berkas']}:{e['sha256']}\n" for e in entries).encode()).hexdigest()
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "desa": {
                "kode": village.kode,
                "nama": village.nama,
                "jenis": village.jenis,
                "slug": village.slug,
                "kecamatan": village.kecamatan.nama,
                "kabupaten": village.kecamatan.kabupaten.nama,
            },
            "skema": {"nama": schema, "migrasi": migrasi},
            "dibuat": now.isoformat(),
            "dibuat_oleh": oleh,
            "tabel": entries,
            "jumlah_baris": sum(int(e["baris"]) for e in entries),
            "checksum": checksum,
            "checksum_cara": "sha256 dari baris '<berkas>:<sha256 berkas>\\n' untuk setiap tabel, urut nama",
        }
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        zf.writestr(
            "BACA-SAYA.txt",
            README.format(
                sebutan=village.sebutan,
                nama=village.nama,
                kode=village.kode,
                waktu=f"{now:%Y-%m-%d %H:%M %Z}",
                oleh=oleh,
            ),
        )
    size = out.tell() if out.seekable() else 0
    _log(village, oleh=oleh, manifest=manifest, waktu=now)
    return Arsip(manifest=manifest, size_bytes=size)


def _log(village: Village, *, oleh: str, manifest: dict[str, Any], waktu: dt.datetime) -> None:
    from platform_core.facts.services import aktivitas_catat

    logger.warning(
        "arsip data desa %s dibuat oleh %s: %s tabel, %s baris, checksum %s",
        village.kode,
        oleh,
        len(manifest["tabel"]),
        manifest["jumlah_baris"],
        manifest["checksum"],
    )
    aktivitas_catat(
        village_id=village.pk, jenis="desa.arsip_data", keterangan=f"Arsip data desa diunduh oleh {oleh}", waktu=waktu
    )


def to_file(village: Village, path: Path, *, oleh: str) -> Arsip:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        result = write(village, fh, oleh=oleh)
    tmp.replace(path)
    return result


def verify(source: Path | IO[bytes]) -> dict[str, Any]:
    """Check an archive against its own manifest (checksums and row counts); returns the manifest."""
    with zipfile.ZipFile(source) as zf:
        manifest: dict[str, Any] = json.loads(zf.read("manifest.json"))
        for entry in manifest["tabel"]:
            data = zf.read(entry["berkas"])
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise ValueError(f"checksum {entry['berkas']} tidak cocok")
        return manifest


def to_bytes(village: Village, *, oleh: str) -> bytes:
    buf = io.BytesIO()
    write(village, buf, oleh=oleh)
    return buf.getvalue()
