"""balai recompute [--provinsi 18 | --kabupaten 18.01 | --kecamatan 18.01.17 | --village slug] [--workers 2]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from platform_core.facts import services


class Command(BaseCommand):
    help = (
        "Hitung ulang semua indikator terdaftar untuk desa-desa di wilayah, per batch desa (satu koneksi "
        "database per batch, ditutup sesudahnya), lalu laporkan berapa fakta yang berbeda dari yang tersimpan "
        "(drift) dan sudah dikoreksi. Aman dijalankan kapan saja; desa yang sedang diproses drain dilewati."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--provinsi", help="kode provinsi, mis. 18 (bawaan: semua desa)")
        scope.add_argument("--kabupaten", help="kode kabupaten/kota, mis. 18.01")
        scope.add_argument("--kecamatan", help="kode kecamatan, mis. 18.01.17")
        scope.add_argument("--village", help="slug atau kode Kemendagri satu desa")
        parser.add_argument("--workers", type=int, default=1, help="proses paralel (mis. 2)")
        parser.add_argument("--batch", type=int, default=50, help="desa per koneksi database")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        kode = opts["provinsi"] or opts["kabupaten"] or opts["kecamatan"]
        ids = services.villages_di(kode=kode, slug=opts["village"])
        if not ids:
            raise CommandError("Tidak ada desa aktif di wilayah itu (sudah di-provision?).")
        if opts["batch"] < 1 or opts["workers"] < 1:
            raise CommandError("--batch dan --workers harus bilangan bulat positif.")
        with tqdm(
            total=len(ids), unit="desa", desc="Hitung ulang", disable=opts["no_progress"] or opts["verbosity"] == 0
        ) as bar:
            hasil = services.hitung_ulang(
                village_ids=ids,
                batch=opts["batch"],
                workers=opts["workers"],
                on_progress=bar.update,  # type: ignore[arg-type]  # tqdm returns bool | None
            )
        self.stdout.write(
            f"{hasil.villages} desa, {hasil.fakta} fakta dihitung dalam {hasil.seconds:.1f} s; "
            f"drift dikoreksi: {hasil.drift} fakta"
            + (
                f" ({', '.join(f'{k} {v}' for k, v in sorted(hasil.drift_per_indikator.items()))})"
                if hasil.drift
                else ""
            )
            + (f"; {hasil.dilewati} desa dilewati (sedang diproses)." if hasil.dilewati else ".")
        )
