"""Register files in OpenSID's layout, generated at test time (reproducible, any size).

NIKs are built from Candipuro (18.01.17) and the recorded birth date and sex, so they agree
unless a test breaks them on purpose; No. KK from the same kecamatan.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from tenants.penduduk.impor.columns import COLUMNS

HEADER = [c.name for c in COLUMNS if c.opensid]
KECAMATAN = "180117"
DUSUN = ["Dusun I", "Dusun II", "Dusun III", "Sukamaju"]


def nik_for(born: dt.date, *, perempuan: bool, serial: int, kecamatan: str = KECAMATAN) -> str:
    day = born.day + (40 if perempuan else 0)
    return f"{kecamatan}{day:02d}{born:%m%y}{serial:04d}"


def kk_for(serial: int) -> str:
    return f"{KECAMATAN}{10 + serial // 9999 % 20:02d}0120{serial % 9999 + 1:04d}"


def person(**overrides: Any) -> dict[str, Any]:
    """One row as a dict of OpenSID column -> value."""
    born = overrides.pop("born", dt.date(1985, 5, 12))
    perempuan = overrides.pop("perempuan", False)
    serial = overrides.pop("serial", 1)
    row: dict[str, Any] = {
        "alamat": "Jl. Raya Candipuro No. 1",
        "dusun": "Dusun I",
        "rw": "001",
        "rt": "002",
        "nama": "Budi Santoso",
        "no_kk": kk_for(1),
        "nik": nik_for(born, perempuan=perempuan, serial=serial),
        "sex": 2 if perempuan else 1,
        "tempatlahir": "Lampung Selatan",
        "tanggallahir": dt.datetime(born.year, born.month, born.day),
        "agama_id": 1,
        "pendidikan_kk_id": 5,
        "pekerjaan_id": 9,
        "status_kawin": 2,
        "kk_level": 1,
        "warganegara_id": 1,
        "golongan_darah_id": 13,
    }
    row.update(overrides)
    return row


def family_rows(count: int, *, seed: int = 7) -> list[dict[str, Any]]:
    """`count` residents in families of 1-6, head first; realistic enough for speed and round trips."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    used: set[str] = set()
    family = 0
    while len(rows) < count:
        family += 1
        size = min(rng.choice([1, 2, 3, 3, 4, 4, 5, 6]), count - len(rows))
        dusun = DUSUN[family % len(DUSUN)]
        rw = "-" if dusun == "Sukamaju" else f"{family % 5 + 1:03d}"
        rt = f"{family % 7 + 1:03d}"
        no_kk = kk_for(family)
        for member in range(size):
            perempuan = member == 1 or rng.random() < 0.5
            if member == 0:
                born, level = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40)), 1
            elif member == 1:
                born, level = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40)), 3
            else:
                born, level = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 30)), 4
            serial = 1
            while (nik := nik_for(born, perempuan=perempuan, serial=serial)) in used:
                serial += 1
            used.add(nik)
            rows.append(
                person(
                    born=born,
                    perempuan=perempuan,
                    serial=serial,
                    nama=f"Warga {family} {member}",
                    no_kk=no_kk,
                    dusun=dusun,
                    rw=rw,
                    rt=rt,
                    alamat=f"Jl. Uji No. {family}",
                    kk_level=level,
                    status_kawin=2 if level in (1, 3) else 1,
                    agama_id=rng.choice([1, 1, 1, 2, 3, 4]),
                    pekerjaan_id=rng.randrange(1, 90),
                    pendidikan_kk_id=rng.randrange(1, 11),
                    nama_ayah=f"Ayah {family}",
                    nama_ibu=f"Ibu {family}",
                    ktp_el=2,
                    status_rekam=3,
                    id_asuransi=rng.choice([1, 2, 3]),
                )
            )
    return rows


def _cell(ws: Any, value: Any) -> Any:
    """Text stays text, even when it starts with "=" (openpyxl would write a formula)."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_xlsx(path: Path, rows: Sequence[dict[str, Any]], *, header: Sequence[str] = HEADER) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data Penduduk")
    ws.append(list(header))
    for row in rows:
        ws.append([_cell(ws, row.get(name)) for name in header])
    wb.save(path)
    return path


def write_csv(
    path: Path,
    rows: Sequence[dict[str, Any]],
    *,
    header: Sequence[str] = HEADER,
    delimiter: str = ",",
    bom: bool = False,
) -> Path:
    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.datetime | dt.date):
            return f"{value:%d-%m-%Y}"
        return str(value)

    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        for row in rows:
            writer.writerow([text(row.get(name)) for name in header])
    return path
