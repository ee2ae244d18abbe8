"""balai keuangan_demo: demo APBDes and realisation for one desa (make run, demos). Skips kelurahan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import village_context


class Command(BaseCommand):
    help = "Isi APBDes dan realisasi contoh untuk satu desa (hanya untuk demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--village", required=True, help="slug atau kode Kemendagri desa")
        parser.add_argument("--tahun-awal", type=int, default=dt.date.today().year - 4)
        parser.add_argument("--tahun", type=int, default=dt.date.today().year, help="tahun terakhir (inklusif)")
        parser.add_argument("--baris", type=int, default=2000)
        parser.add_argument("--transaksi", type=int, default=5000)
        parser.add_argument("--jika-kosong", action="store_true", help="lewati desa yang sudah punya APBDes")

    def handle(self, *args: Any, **opts: Any) -> None:
        from tenants.keuangan.demo import isi_demo
        from tenants.keuangan.models import Apbdes

        village = Village.objects.filter(Q(slug=opts["village"]) | Q(kode=opts["village"])).first()
        if village is None:
            raise CommandError(f"Desa {opts['village']!r} tidak ditemukan.")
        if not village.is_desa:
            self.stdout.write(f"{village}: kelurahan tidak memiliki APBDes, dilewati.")
            return
        with village_context(village):
            if opts["jika_kosong"] and Apbdes.objects.exists():
                self.stdout.write(f"{village}: sudah ada APBDes, dilewati.")
                return
            isi_demo(opts["tahun_awal"], opts["tahun"], opts["baris"], opts["transaksi"])
        self.stdout.write(f"{village}: APBDes contoh {opts['tahun_awal']}-{opts['tahun']} diisi.")
