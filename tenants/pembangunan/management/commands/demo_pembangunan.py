"""balai demo_pembangunan --village <slug|kode> [--jumlah 200] [--tanpa-foto] [--keuangan]"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import village_context
from tenants.pembangunan import demo
from tenants.pembangunan.models import Proyek


class Command(BaseCommand):
    help = (
        "Isi satu desa dengan kegiatan pembangunan DEMO (progres bertanggal, foto contoh) untuk mencoba portal "
        "transparansi; --keuangan juga mengisi 5 tahun APBDes dan realisasi contoh (modul keuangan). Kegiatan "
        "desa itu DIGANTI. Jangan dipakai pada desa dengan data sungguhan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--village", required=True, help="slug atau kode Kemendagri, mis. bumijaya-candipuro")
        parser.add_argument("--jumlah", type=int, default=200)
        parser.add_argument("--tanpa-foto", action="store_true")
        parser.add_argument("--keuangan", action="store_true", help="isi juga APBDes 5 tahun (2.000 baris/tahun)")
        parser.add_argument("--jika-kosong", action="store_true", help="lewati desa yang sudah punya kegiatan")

    def handle(self, *args: Any, **opts: Any) -> None:
        village = Village.objects.filter(Q(slug=opts["village"]) | Q(kode=opts["village"])).first()
        if village is None:
            raise CommandError(f"Desa {opts['village']!r} tidak ditemukan (slug atau kode).")
        t0 = time.perf_counter()
        with village_context(village):
            if opts["jika_kosong"] and Proyek.objects.exists():
                return
            if opts["keuangan"] and village.is_desa:
                from tenants.keuangan.demo import isi_demo

                isi_demo(dt.date.today().year - 4, 5, 2000, 5000)
            n = demo.isi_demo(jumlah=opts["jumlah"], foto=not opts["tanpa_foto"])
        self.stdout.write(
            f"{village}: {opts['jumlah']} kegiatan, {n} progres dalam {time.perf_counter() - t0:.1f} s. "
            f"Buka http://{village.slug}.localhost:8000/transparansi/"
        )
