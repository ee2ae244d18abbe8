"""Code lists of village finance (Permendagri 20/2018), shipped as versioned data files.

Three lists live in tenants/keuangan/data/: `rekening.csv` (economic account codes: akun 4/5/6 ->
kelompok -> jenis -> obyek), `kegiatan.csv` (bidang 01-05 -> sub-bidang -> kegiatan) and
`sumber_dana.csv` (DDS, ADD, PBH, PAD, BKP, BKK, ... with the aliases other systems use).

They are the same for every village of a province, so they are not stored per village schema
(2,651 copies) and not in a public table (village rows could not reference it anyway under Citus):
they are read once per process into memory. A province edits them with an override folder (setting
KEUANGAN_KODE_OVERRIDE or env BALAI_KEUANGAN_KODE_OVERRIDE) holding files of the same names: a row
there adds a code or replaces the name of a shipped one; a row whose name is "-" removes the code.
Village rows store codes as text, never foreign keys.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

DATA_DIR = Path(__file__).resolve().parent / "data"

# Level names of an economic account code by the number of its parts.
TINGKAT_REKENING = {1: "akun", 2: "kelompok", 3: "jenis", 4: "obyek"}
TINGKAT_KEGIATAN = {1: "bidang", 2: "sub_bidang", 3: "kegiatan"}


@dataclass(frozen=True)
class Kode:
    kode: str
    nama: str

    @property
    def tingkat(self) -> int:
        return self.kode.count(".") + 1


def override_dir() -> Path | None:
    value = getattr(settings, "KEUANGAN_KODE_OVERRIDE", None) or os.environ.get("BALAI_KEUANGAN_KODE_OVERRIDE")
    return Path(value) if value else None


def _read(nama_file: str, *, urut_kode: bool = True) -> list[dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    sources = [DATA_DIR / nama_file]
    extra = override_dir()
    if extra is not None and (extra / nama_file).is_file():
        sources.append(extra / nama_file)
    for source in sources:
        with source.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                kode = (row.get("kode") or "").strip()
                if not kode:
                    continue
                if (row.get("nama") or "").strip() == "-":
                    rows.pop(kode, None)
                    continue
                rows[kode] = {k: (v or "").strip() for k, v in row.items() if k}
    if not urut_kode:
        return list(rows.values())  # file order (shipped rows first, then the province's new ones)
    return sorted(rows.values(), key=lambda r: _sort_key(r["kode"]))


def _sort_key(kode: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p for p in kode.split("."))


@cache
def rekening() -> dict[str, Kode]:
    """Economic account codes, '4' ... '6.2.9.01', in code order."""
    return {r["kode"]: Kode(r["kode"], r["nama"]) for r in _read("rekening.csv")}


@cache
def kegiatan() -> dict[str, Kode]:
    """Bidang ('01'), sub-bidang ('01.01') and kegiatan ('01.01.01') codes, in code order."""
    return {r["kode"]: Kode(r["kode"], r["nama"]) for r in _read("kegiatan.csv")}


@cache
def sumber_dana() -> dict[str, Kode]:
    """Sources of funds ('DDS', 'ADD', ...) in file order."""
    return {r["kode"]: Kode(r["kode"], r["nama"]) for r in _read("sumber_dana.csv", urut_kode=False)}


@cache
def alias_sumber_dana() -> dict[str, str]:
    """Every spelling of a source (its code, its aliases; upper case) -> its code."""
    out: dict[str, str] = {}
    for r in _read("sumber_dana.csv"):
        out[r["kode"].upper()] = r["kode"]
        for alias in (r.get("alias") or "").replace(";", " ").split():
            out[alias.upper()] = r["kode"]
    return out


def bersihkan_kode(kode: str) -> str:
    """'5.2.1.01.' (Siskeudes writes a trailing dot) -> '5.2.1.01'."""
    return kode.strip().strip(".").strip()


def obyek_rekening() -> list[Kode]:
    """The account codes a budget line may carry (obyek level)."""
    return [k for k in rekening().values() if k.tingkat == 4]


def kegiatan_saja() -> list[Kode]:
    return [k for k in kegiatan().values() if k.tingkat == 3]


def nama_rekening(kode: str) -> str:
    k = rekening().get(kode)
    return k.nama if k else kode


def nama_kegiatan(kode: str) -> str:
    k = kegiatan().get(kode)
    return k.nama if k else kode


def nama_sumber(kode: str) -> str:
    k = sumber_dana().get(kode)
    return k.nama if k else kode


def induk(kode: str) -> list[str]:
    """'5.2.1.01' -> ['5', '5.2', '5.2.1', '5.2.1.01'] (the code and its ancestors, top first)."""
    parts = kode.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def reset_cache() -> None:
    """Forget the loaded lists (tests, or after editing the override files)."""
    for fn in (rekening, kegiatan, sumber_dana, alias_sumber_dana):
        fn.cache_clear()
