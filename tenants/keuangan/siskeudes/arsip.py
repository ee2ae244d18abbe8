"""Safe reading of an uploaded zip of CSV tables: size, entry count, zip bomb and path checks.

Nothing is ever extracted to disk: members are read into memory with a hard byte limit each, so a
path like ../../etc/passwd cannot be written anywhere (such names are refused all the same).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_ZIP_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 300
MAX_MEMBER_BYTES = 80 * 1024 * 1024
MAX_TOTAL_BYTES = 250 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, per member; text CSVs compress 5-20x


class ArsipDitolak(Exception):
    def __init__(self, pesan: str) -> None:
        super().__init__(pesan)
        self.pesan = pesan


@dataclass
class Tabel:
    nama: str  # as in the zip, without folder and extension
    header: list[str]
    rows: list[list[str]]


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _parse_csv(text: str) -> tuple[list[str], list[list[str]]]:
    sample = text[:4096]
    first = sample.splitlines()[0] if sample else ""
    delimiter = max((",", ";", "\t", "|"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [r for r in reader if any(c.strip() for c in r)]
    if not rows:
        return [], []
    return [h.strip() for h in rows[0]], rows[1:]


def baca_zip(path: Path) -> dict[str, Tabel]:  # noqa: PLR0912  # one refusal per way a zip can be unsafe
    """{'ta_rab': Tabel(...), ...} keyed by lower-case table name. Raises ArsipDitolak with an Indonesian
    message for anything unsafe or unreadable."""
    size = path.stat().st_size
    if size > MAX_ZIP_BYTES:
        raise ArsipDitolak(
            f"File terlalu besar ({size / 1024 / 1024:.1f} MB; batas {MAX_ZIP_BYTES // 1024 // 1024} MB)."
        )
    if not zipfile.is_zipfile(path):
        raise ArsipDitolak(
            "File bukan arsip .zip. Unggah hasil ekspor Siskeudes berupa .zip berisi file CSV per tabel."
        )
    tables: dict[str, Tabel] = {}
    total = 0
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise ArsipDitolak(f"Arsip berisi terlalu banyak file ({len(infos)}; batas {MAX_ENTRIES}).")
            for info in infos:
                name = info.filename
                if info.is_dir():
                    continue
                pure = PurePosixPath(name.replace("\\", "/"))
                if pure.is_absolute() or ".." in pure.parts or ":" in name:
                    raise ArsipDitolak(f"Nama file tidak aman di dalam arsip: {name!r}. Arsip ditolak.")
                if info.flag_bits & 0x1:
                    raise ArsipDitolak("Arsip terkunci kata sandi. Ekspor ulang tanpa kata sandi.")
                if pure.suffix.lower() != ".csv":
                    continue
                if info.file_size > MAX_MEMBER_BYTES:
                    raise ArsipDitolak(f"File {pure.name} di dalam arsip terlalu besar.")
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                    raise ArsipDitolak(f"File {pure.name} mencurigakan (rasio kompresi tidak wajar). Arsip ditolak.")
                with zf.open(info) as member:
                    data = member.read(MAX_MEMBER_BYTES + 1)  # the header may lie: never read past the limit
                if len(data) > MAX_MEMBER_BYTES:
                    raise ArsipDitolak(f"File {pure.name} di dalam arsip terlalu besar.")
                total += len(data)
                if total > MAX_TOTAL_BYTES:
                    raise ArsipDitolak("Isi arsip terlalu besar setelah dibuka. Arsip ditolak.")
                key = pure.stem.lower()
                if key in tables:
                    raise ArsipDitolak(f"Tabel {pure.stem} ada lebih dari satu kali di dalam arsip.")
                header, rows = _parse_csv(_decode(data))
                tables[key] = Tabel(nama=pure.stem, header=header, rows=rows)
    except zipfile.BadZipFile:
        raise ArsipDitolak("Arsip .zip rusak dan tidak dapat dibaca.") from None
    except (NotImplementedError, RuntimeError):  # unsupported compression, encrypted member
        raise ArsipDitolak("Arsip memakai format yang tidak didukung. Ekspor ulang sebagai .zip biasa.") from None
    return tables
