"""`balai backup ...`: base backup + point-in-time restore of the cluster, one village's dump/restore/archive.

balai backup basis                                       base backup of the whole cluster (var/backup/basis/)
balai backup pulihkan-cluster --waktu "2026-11-23 13:05" restore the cluster as it was then, on another port
balai backup hentikan-cluster --data DIR                 stop a restored cluster
balai backup desa --kode 18.01.17.2011                   pg_dump of one village (var/backup/desa/<kode>/)
balai backup pulihkan-desa --kode ... --berkas F.dump    that village back to the dump's state, nothing else
balai backup arsip-desa --kode ... [--berkas F.zip]      the village's data as CSV + manifest (zip)
balai backup malam [--kode ...]                          tonight's per-village dumps now (with retention)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from django.utils import timezone

from platform_core.backup.pg import BackupError, backup_root
from platform_core.runtime.servers import wal_archive_dir


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="balai backup", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="perintah", required=True)
    sub.add_parser("basis", help="backup basis seluruh cluster (pg_basebackup) + arsip WAL")
    p = sub.add_parser("pulihkan-cluster", help="pulihkan cluster ke suatu waktu di direktori dan port baru")
    p.add_argument("--waktu", required=True, help='"YYYY-MM-DD HH:MM:SS" (WIB kecuali ada zona)')
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--ke", type=Path, default=None, help="direktori tujuan (default var/backup/pulih/...)")
    p.add_argument("--hentikan", action="store_true", help="hentikan server hasil pemulihan setelah diperiksa")
    p = sub.add_parser("hentikan-cluster", help="hentikan cluster hasil pemulihan")
    p.add_argument("--data", type=Path, required=True)
    p = sub.add_parser("desa", help="pg_dump skema satu desa")
    p.add_argument("--kode", required=True)
    p.add_argument("--berkas", type=Path, default=None)
    p = sub.add_parser("pulihkan-desa", help="pulihkan satu desa dari dump-nya; desa lain tidak tersentuh")
    p.add_argument("--kode", required=True)
    p.add_argument("--berkas", type=Path, required=True)
    p.add_argument("--paksa", action="store_true", help="pulihkan walau versi skema (migrasi) berbeda")
    p.add_argument("--tanpa-cadangan-awal", action="store_true", help="jangan dump keadaan sekarang lebih dulu")
    p = sub.add_parser("arsip-desa", help="arsip data desa (zip: CSV per tabel + manifest)")
    p.add_argument("--kode", required=True)
    p.add_argument("--berkas", type=Path, default=None)
    p.add_argument("--oleh", default="", help="nama petugas yang meminta (dicatat)")
    p = sub.add_parser("malam", help="dump per desa seperti tugas malam (hanya desa yang berubah)")
    p.add_argument("--kode", action="append", default=[])
    p.add_argument("--semua", action="store_true", help="dump semua desa walau tidak berubah")
    return parser


def main(argv: list[str]) -> int:
    opts = _parser().parse_args(argv)
    try:
        return _run(opts)
    except BackupError as exc:
        print(f"GAGAL: {exc}", file=sys.stderr)
        return 1


def _run(opts: argparse.Namespace) -> int:  # noqa: PLR0911  # one return per subcommand
    from platform_core.backup import arsip, cluster, desa

    if opts.perintah == "basis":
        b = cluster.basis()
        print(f"backup basis: {b.path} ({b.seconds:.1f} s); WAL diarsipkan ke {wal_archive_dir()}")
        return 0
    if opts.perintah == "pulihkan-cluster":
        r = cluster.pulihkan(cluster.parse_waktu(opts.waktu), port=opts.port, ke=opts.ke)
        print(
            f"cluster dipulihkan ke {timezone.localtime(r.waktu):%Y-%m-%d %H:%M:%S %Z} dari {r.basis.name} "
            f"dalam {r.seconds:.1f} s\n  data: {r.data}\n  port: {r.port}  ({r.dsn})\n"
            f"  periksa: {r.villages} desa terdaftar, {r.schemas} skema desa"
        )
        if opts.hentikan:
            cluster.stop(r.data)
            print("  server hasil pemulihan dihentikan")
        else:
            print(f"  hentikan dengan: balai backup hentikan-cluster --data {r.data}")
        return 0
    if opts.perintah == "hentikan-cluster":
        cluster.stop(opts.data)
        return 0
    if opts.perintah == "desa":
        d = desa.dump(desa.village_by_kode(opts.kode), path=opts.berkas)
        print(f"{d.path} ({d.size_bytes / 1e6:.1f} MB, {d.seconds:.1f} s)")
        return 0
    if opts.perintah == "pulihkan-desa":
        village = desa.village_by_kode(opts.kode)
        pulih = desa.restore(village, opts.berkas, force=opts.paksa, safety_dump=not opts.tanpa_cadangan_awal)
        print(f"desa {village.kode} {village.nama} dipulihkan dari {opts.berkas} dalam {pulih.seconds:.1f} s")
        if pulih.safety_dump:
            print(f"  keadaan sebelum pemulihan disimpan di {pulih.safety_dump}")
        return 0
    if opts.perintah == "arsip-desa":
        village = desa.village_by_kode(opts.kode)
        path = opts.berkas or backup_root() / "arsip" / village.kode / f"{timezone.localtime():%Y-%m-%dT%H%M%S}.zip"
        a = arsip.to_file(village, path, oleh=opts.oleh or "konsol server")
        tabel, baris = len(a.manifest["tabel"]), a.manifest["jumlah_baris"]
        print(f"{path} ({a.size_bytes / 1e6:.1f} MB, {tabel} tabel, {baris} baris)")
        return 0
    if opts.perintah == "malam":
        from platform_core.backup.tasks import nightly_all

        hasil = nightly_all(kode=opts.kode or None, semua=opts.semua)
        print(f"{hasil['didump']} desa didump, {hasil['dilewati']} tidak berubah, {hasil['gagal']} gagal")
        return 1 if hasil["gagal"] else 0
    return 2
