"""One village's schema: dump (pg_dump -n, custom format) and restore in one transaction.

Restore never touches another schema: the village's current schema is renamed aside, the dump
recreates it under its own name, the renamed one is dropped, and all of it is one transaction
(psql --single-transaction, ON_ERROR_STOP). A corrupt or foreign dump is refused before anything
starts; an error half-way rolls everything back: the village stays as it was.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from platform_core.backup.pg import BackupError, backup_root, pg_binary, run, target
from platform_core.tenancy.models import Village

logger = logging.getLogger("balai.backup")

RETENSI_HARI = int(os.environ.get("BALAI_BACKUP_DESA_RETENSI_HARI", "14"))
LOCK_TIMEOUT = os.environ.get("BALAI_BACKUP_LOCK_TIMEOUT", "30s")
# pg_dump 15 asks the catalog for materialized-view dependencies with a recursive join over pg_depend;
# with ~800k pg_depend rows (2,651 village schemas) and statistics taken part-way through provisioning,
# the planner picked a merge join under a nested loop that took ~40 s, for a database without a single
# materialized view. Without merge joins: 15 ms (bench `backup`: one village's pg_dump 40 s -> 5 s).
PG_DUMP_OPTIONS = os.environ.get("BALAI_PG_DUMP_OPTIONS", "-c enable_mergejoin=off")


def village_by_kode(kode: str) -> Village:
    village = Village.objects.filter(kode=kode.strip()).first()
    if village is None:
        raise BackupError(f"Desa dengan kode {kode} tidak ada.")
    return village


def folder_desa(village: Village) -> Path:
    return backup_root() / "desa" / village.kode


@dataclass
class Dump:
    path: Path
    schema: str
    seconds: float
    size_bytes: int


def dump(village: Village, *, path: Path | None = None) -> Dump:
    """pg_dump of the village's schema only (custom format), written atomically."""
    if path is None:
        stamp = timezone.localtime().strftime("%Y-%m-%dT%H%M%S")
        path = folder_desa(village) / f"{stamp}.dump"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    db = target()
    t0 = time.perf_counter()
    cmd = [
        pg_binary("pg_dump"),
        *db.args(),
        "-Fc",
        "-Z",
        "6",
        f"--schema={village.schema_name}",
        "--lock-wait-timeout=60s",
        "--no-owner",
        "--no-privileges",
        "-f",
        str(tmp),
    ]
    try:
        run(cmd, env={**db.env(), "PGOPTIONS": PG_DUMP_OPTIONS})
    except BackupError:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)
    seconds = time.perf_counter() - t0
    logger.info("backup desa %s (%s) -> %s in %.2fs", village.kode, village.schema_name, path, seconds)
    return Dump(path=path, schema=village.schema_name, seconds=seconds, size_bytes=path.stat().st_size)


# --- reading a dump ------------------------------------------------------------------------------------

_TOC_SCHEMA = re.compile(r"^\d+; \d+ \d+ SCHEMA - (\S+) ")


@dataclass
class DumpInfo:
    schemas: list[str]
    migrations: set[tuple[str, str]] = field(default_factory=set)


def inspect(path: Path, schema: str | None = None) -> DumpInfo:
    """The schemas a dump holds and the migrations recorded in it for `schema` (or its only schema).

    BackupError if the file is unreadable."""
    if not path.is_file():
        raise BackupError(f"Berkas {path} tidak ada.")
    try:
        toc = run([pg_binary("pg_restore"), "-l", str(path)]).stdout
    except BackupError as exc:
        raise BackupError(f"Berkas {path.name} rusak atau bukan dump pg_dump format custom: {exc}") from exc
    schemas = [m.group(1) for line in toc.splitlines() if (m := _TOC_SCHEMA.match(line))]
    info = DumpInfo(schemas=schemas)
    wanted = schema if schema in schemas else (schemas[0] if len(schemas) == 1 else None)
    if wanted:
        data = run(
            [
                pg_binary("pg_restore"),
                "--data-only",
                f"--schema={wanted}",
                "--table=django_migrations",
                "-f",
                "-",
                str(path),
            ]
        ).stdout
        in_copy = False
        for line in data.splitlines():
            if line.startswith("COPY "):
                in_copy = True
                continue
            if in_copy:
                if line == "\\.":
                    break
                cols = line.split("\t")
                if len(cols) >= 3:
                    info.migrations.add((cols[1], cols[2]))
    return info


def applied_migrations(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cur:
        cur.execute(f'SELECT app, name FROM "{schema}".django_migrations')
        return {(str(a), str(n)) for a, n in cur.fetchall()}


# --- restore ---------------------------------------------------------------------------------------------


@dataclass
class Restore:
    village: str
    source: Path
    seconds: float
    safety_dump: Path | None


def _prelude(schema: str, aside: str) -> str:
    return (
        "\\set ON_ERROR_STOP on\n"
        f"SET lock_timeout = '{LOCK_TIMEOUT}';\n"
        f'ALTER SCHEMA "{schema}" RENAME TO "{aside}";\n'
    )


def _epilogue(schema: str, aside: str) -> str:
    # The restored schema must be there and readable before the old one goes.
    return f'SELECT count(*) FROM "{schema}".django_migrations;\nDROP SCHEMA "{aside}" CASCADE;\n'


def restore(village: Village, source: Path, *, force: bool = False, safety_dump: bool = True) -> Restore:
    """Put the village's schema back to the dump's state, in one transaction; nothing else changes."""
    schema = village.schema_name
    info = inspect(source, schema)
    if schema not in info.schemas:
        found = ", ".join(info.schemas[:5]) or "tidak ada skema"
        raise BackupError(
            f"Berkas {source.name} bukan cadangan desa {village.kode} (skema {schema}); isinya: {found}. "
            "Tidak ada yang diubah."
        )
    # A whole-database dump works too: only this schema's objects are taken out of it.
    whole = len(info.schemas) > 1
    current = applied_migrations(schema)
    if info.migrations != current and not force:
        lebih = sorted(current - info.migrations)
        kurang = sorted(info.migrations - current)
        raise BackupError(
            "Versi skema cadangan berbeda dengan desa sekarang "
            f"(migrasi yang tidak ada di cadangan: {len(lebih)}, yang tidak ada di desa: {len(kurang)}). "
            "Pulihkan dengan --paksa lalu jalankan `balai migrate`, atau pakai cadangan yang lebih baru. "
            "Tidak ada yang diubah."
        )
    t0 = time.perf_counter()
    before = (
        dump(village, path=folder_desa(village) / f"sebelum-pulih-{timezone.localtime():%Y-%m-%dT%H%M%S}.dump")
        if safety_dump
        else None
    )
    aside = f"{schema}__pulih"
    db = target()
    with tempfile.TemporaryDirectory(prefix="balai-pulih-") as tmpdir:
        script = Path(tmpdir) / "restore.sql"
        # The whole script is produced (and pg_restore's exit code checked) before the transaction starts:
        # a dump that breaks half-way (truncated, corrupt data block) is refused here.
        try:
            only = ["--schema", schema] if whole else []
            run([pg_binary("pg_restore"), "--no-owner", "--no-privileges", *only, "-f", str(script), str(source)])
        except BackupError as exc:
            raise BackupError(
                f"Berkas {source.name} tidak dapat dibaca sampai habis: {exc}. Tidak ada yang diubah."
            ) from exc
        full = Path(tmpdir) / "all.sql"
        with full.open("w") as out:
            out.write(_prelude(schema, aside))
            if whole:  # pg_restore --schema leaves out the CREATE SCHEMA itself
                out.write(f'CREATE SCHEMA "{schema}";\n')
            with script.open() as body:
                for chunk in iter(lambda: body.read(1 << 20), ""):
                    out.write(chunk)
            out.write("\n" + _epilogue(schema, aside))
        try:
            run(
                [
                    pg_binary("psql"),
                    *db.args(),
                    "-X",
                    "-q",
                    "--single-transaction",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-f",
                    str(full),
                ],
                env=db.env(),
            )
        except BackupError as exc:
            raise BackupError(f"Pemulihan desa {village.kode} gagal dan dibatalkan seluruhnya: {exc}") from exc
    seconds = time.perf_counter() - t0
    logger.warning("desa %s dipulihkan dari %s dalam %.2fs", village.kode, source, seconds)
    _refresh_facts(village)
    return Restore(village=village.kode, source=source, seconds=seconds, safety_dump=before.path if before else None)


def _refresh_facts(village: Village) -> None:
    """The province's facts about this village describe the state before the restore: recompute them."""
    from platform_core.facts import registry
    from platform_core.facts.services import desa_hitung
    from platform_core.tenancy.schemas import village_context

    try:
        with village_context(village), transaction.atomic():
            desa_hitung(village_id=village.pk, indikator=registry.semua(), computed_at=timezone.now())
    except Exception:  # the restore itself is committed; the nightly recompute catches up
        logger.exception("fakta desa %s tidak dapat dihitung ulang setelah pemulihan", village.kode)


# --- nightly dumps with retention ---------------------------------------------------------------------


def newest_dump(village: Village) -> Path | None:
    folder = folder_desa(village)
    dumps = sorted(folder.glob("????-??-??*.dump")) if folder.is_dir() else []
    return dumps[-1] if dumps else None


def prune(village: Village, *, keep_days: int = RETENSI_HARI, today: dt.date | None = None) -> list[Path]:
    """Delete dated dumps older than `keep_days`; the newest dump is always kept."""
    folder = folder_desa(village)
    if not folder.is_dir():
        return []
    today = today or timezone.localdate()
    dumps = sorted(p for p in folder.glob("*.dump") if re.match(r"^(sebelum-pulih-)?\d{4}-\d{2}-\d{2}", p.name))
    newest = newest_dump(village)
    removed = []
    for p in dumps:
        m = re.search(r"(\d{4}-\d{2}-\d{2})", p.name)
        if m and p != newest and (today - dt.date.fromisoformat(m.group(1))).days > keep_days:
            p.unlink()
            removed.append(p)
    return removed


def nightly(village: Village, *, changed_since: dt.datetime | None, full_every_days: int = 7) -> Dump | None:
    """Tonight's dump of a village if it changed since its newest dump (or that dump is a week old)."""
    newest = newest_dump(village)
    today = timezone.localdate()
    if newest is not None:
        taken = dt.datetime.fromtimestamp(newest.stat().st_mtime, tz=dt.UTC)
        fresh = (timezone.now() - taken).days < full_every_days
        unchanged = changed_since is None or changed_since < taken
        if fresh and unchanged:
            prune(village, today=today)
            return None
    result = dump(village, path=folder_desa(village) / f"{today.isoformat()}.dump")
    prune(village, today=today)
    return result
