"""Siskeudes export fixtures, written in the documented layout (docs/keuangan.md) from a generated year.

`tabel_contoh(tahun, ...)` gives {table name: (header, rows)} — tests mutate it (drop a table, change a
year, put in an unknown code) — and `tulis_zip(tables, path)` writes it as the zip of per-table CSVs
Siskeudes exports. `zip_contoh(path, tahun, baris=2000, transaksi=5000)` does both: a realistic year
for the bench. Revenue becomes TBP receipts; spending becomes LS payments (SPP) or UM advances
accounted for by an SPJ; BUMDes capital a PBY SPP.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from tenants.keuangan import kode as kl
from tenants.keuangan.generator import buat_tahun
from tenants.keuangan.siskeudes.layout import KOLOM_LENGKAP

KD_DESA = "01.02."
Tables = dict[str, tuple[list[str], list[list[str]]]]


def _kd_keg(keg: str) -> str:
    return f"{KD_DESA}{keg or '00.00.00'}."


def _rp(x: Decimal) -> str:
    return f"{x:.2f}"


def _tgl(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def tabel_contoh(  # noqa: PLR0915  # one table after the other
    tahun: int, *, baris: int = 60, transaksi: int = 150, seed: int = 7, hari_ini: dt.date | None = None
) -> Tables:
    data = buat_tahun(tahun, baris=baris, transaksi=transaksi, seed=seed, hari_ini=hari_ini or dt.date(tahun + 1, 3, 1))
    th = str(tahun)
    pak = data.perubahan or data.awal
    rinci: list[list[str]] = []
    rab: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    kegiatan: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    urut: dict[tuple[str, str], int] = defaultdict(int)
    for a, p in zip(data.awal, pak, strict=True):
        kd_keg, kd_rinci = _kd_keg(a.kode_kegiatan), a.kode_rekening + "."
        urut[(kd_keg, kd_rinci)] += 1
        no = urut[(kd_keg, kd_rinci)]
        rinci.append(
            [
                th,
                KD_DESA,
                kd_keg,
                kd_rinci,
                f"{no:02d}",
                str(no),
                a.sumber_dana,
                a.uraian,
                "1",
                "paket",
                _rp(a.jumlah),
                _rp(a.jumlah),
                "1",
                _rp(p.jumlah),
                _rp(p.jumlah),
                _rp(p.jumlah - a.jumlah),
            ]
        )
        rab[(kd_keg, kd_rinci)][0] += a.jumlah
        rab[(kd_keg, kd_rinci)][1] += p.jumlah
        if a.kode_kegiatan:
            kegiatan[a.kode_kegiatan][0] += a.jumlah
            kegiatan[a.kode_kegiatan][1] += p.jumlah
    tables: Tables = {}
    tables["Ta_Kegiatan"] = (
        list(KOLOM_LENGKAP["Ta_Kegiatan"]),
        [
            [th, KD_DESA, f"{KD_DESA}{k[:2]}.", _kd_keg(k), k + ".", kl.nama_kegiatan(k), _rp(v[0]), _rp(v[1])]
            for k, v in sorted(kegiatan.items())
        ],
    )
    tables["Ta_RAB"] = (
        list(KOLOM_LENGKAP["Ta_RAB"]),
        [[th, KD_DESA, k, r, _rp(v[0]), _rp(v[1] - v[0]), _rp(v[1])] for (k, r), v in rab.items()],
    )
    tables["Ta_RABRinci"] = (list(KOLOM_LENGKAP["Ta_RABRinci"]), rinci)

    tbp: list[list[str]] = []
    tbp_rinci: list[list[str]] = []
    spp: list[list[str]] = []
    spp_rinci: list[list[str]] = []
    spj: list[list[str]] = []
    spj_rinci: list[list[str]] = []
    n_tbp = n_spp = n_spj = 0
    for i, t in enumerate(data.transaksi):
        kd_keg, kd_rinci = _kd_keg(t.kode_kegiatan), t.kode_rekening + "."
        if t.kode_rekening.startswith(("4.", "6.1")):
            n_tbp += 1
            no_tbp = f"{n_tbp:04d}/TBP/{KD_DESA}/{th}"
            tbp.append([th, no_tbp, _tgl(t.tanggal), KD_DESA, t.uraian, _rp(t.jumlah), "1"])
            tbp_rinci.append([th, no_tbp, KD_DESA, kd_keg, kd_rinci, t.sumber_dana, _rp(t.jumlah)])
            continue
        n_spp += 1
        no_spp = f"{n_spp:04d}/SPP/{KD_DESA}/{th}"
        jenis = "PBY" if t.kode_rekening.startswith("6.2") else ("UM" if i % 10 < 3 else "LS")
        tgl_spp = t.tanggal - dt.timedelta(days=7) if jenis == "UM" else t.tanggal
        tgl_spp = max(tgl_spp, dt.date(tahun, 1, 2))
        spp.append([th, no_spp, _tgl(tgl_spp), jenis, KD_DESA, t.uraian, _rp(t.jumlah), "0.00"])
        spp_rinci.append([th, no_spp, KD_DESA, kd_keg, kd_rinci, t.sumber_dana, _rp(t.jumlah)])
        if jenis == "UM":
            n_spj += 1
            no_spj = f"{n_spj:04d}/SPJ/{KD_DESA}/{th}"
            spj.append([th, no_spj, _tgl(t.tanggal), KD_DESA, no_spp, t.uraian, _rp(t.jumlah)])
            spj_rinci.append(
                [th, no_spj, KD_DESA, kd_keg, kd_rinci, t.sumber_dana, f"{n_spj:04d}/BKT", _rp(t.jumlah), _rp(t.jumlah)]
            )
    tables["Ta_TBP"] = (list(KOLOM_LENGKAP["Ta_TBP"]), tbp)
    tables["Ta_TBPRinci"] = (list(KOLOM_LENGKAP["Ta_TBPRinci"]), tbp_rinci)
    tables["Ta_SPP"] = (list(KOLOM_LENGKAP["Ta_SPP"]), spp)
    tables["Ta_SPPRinci"] = (list(KOLOM_LENGKAP["Ta_SPPRinci"]), spp_rinci)
    tables["Ta_SPJ"] = (list(KOLOM_LENGKAP["Ta_SPJ"]), spj)
    tables["Ta_SPJRinci"] = (list(KOLOM_LENGKAP["Ta_SPJRinci"]), spj_rinci)
    tables["Ref_Bidang"] = (
        list(KOLOM_LENGKAP["Ref_Bidang"]),
        [[k.kode, k.nama] for k in kl.kegiatan().values() if k.tingkat == 1],
    )
    tables["Ref_Sumber"] = (
        list(KOLOM_LENGKAP["Ref_Sumber"]),
        [[k.kode, k.nama, str(i)] for i, k in enumerate(kl.sumber_dana().values(), start=1)],
    )
    return tables


def tulis_zip(tables: Tables, path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, (header, rows) in tables.items():
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(header)
            writer.writerows(rows)
            zf.writestr(f"{name}.csv", buf.getvalue())
    return path


def zip_contoh(path: Path, tahun: int, *, baris: int = 2000, transaksi: int = 5000, seed: int = 7) -> Path:
    return tulis_zip(tabel_contoh(tahun, baris=baris, transaksi=transaksi, seed=seed), path)
