"""balai demo-data --village <slug> --residents N [--seed S] | --provinsi 18 --total 9100000 [--workers 2]"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Q
from tqdm import tqdm

from platform_core.tenancy.models import Village
from tenants.penduduk import demo


class Command(BaseCommand):
    help = (
        "Isi desa dengan data penduduk DEMO yang realistis dan dapat diulang (seed tetap): wilayah dusun/RW/RT, "
        "rumah tangga, keluarga (tepat satu kepala) dan penduduk dengan NIK/No. KK valid, dimuat dengan COPY. "
        "Hanya desa yang masih kosong yang diisi: desa yang sudah berisi penduduk, keluarga, dusun atau rumah "
        "tangga dilewati tanpa diubah (aman dijalankan ulang; mode provinsi melanjutkan yang belum terisi). "
        "Data demo TIDAK menulis mutasi, peristiwa, log akses maupun event outbox per penduduk: provinsi tidak "
        "menerima event untuknya. Jangan dipakai pada desa dengan data sungguhan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--village", help="slug atau kode Kemendagri desa, mis. bumijaya atau 18.01.17.2011")
        parser.add_argument("--residents", type=int, help="jumlah penduduk desa itu")
        parser.add_argument("--provinsi", help="kode wilayah (provinsi, kabupaten atau kecamatan), mis. 18")
        parser.add_argument("--total", type=int, help="jumlah penduduk seluruh wilayah, mis. 9100000")
        parser.add_argument("--workers", type=int, default=2, help="proses paralel (mode provinsi)")
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["village"] and opts["provinsi"]:
            raise CommandError("Pilih salah satu: --village atau --provinsi.")
        if opts["village"]:
            self._village(opts)
        elif opts["provinsi"]:
            self._province(opts)
        else:
            raise CommandError("Sebutkan --village <slug> --residents N, atau --provinsi 18 --total N.")

    def _village(self, opts: dict[str, Any]) -> None:
        n = opts["residents"]
        if not n or n < 1:
            raise CommandError("--residents harus bilangan bulat positif.")
        key = opts["village"]
        village = Village.objects.filter(Q(slug=key) | Q(kode=key)).first()
        if village is None:
            raise CommandError(f"Desa {key!r} tidak ditemukan (sudah di-provision?).")
        info = demo.VillageInfo.from_code(village.kode)
        with transaction.atomic(), connection.cursor() as cur:
            result = demo.fill_schema(
                cursor=cur.cursor, schema=village.schema_name, info=info, residents=n, seed=opts["seed"]
            )
        if result.skipped:
            self.stdout.write(
                f"{village} ({village.kode}) sudah berisi data; tidak diubah. Demo-data hanya mengisi desa kosong."
            )
            return
        self.stdout.write(
            f"{village} ({village.kode}): {result.residents} penduduk, {result.families} keluarga dimuat "
            f"dalam {result.seconds:.1f} s (seed {opts['seed']})."
        )

    def _province(self, opts: dict[str, Any]) -> None:
        total = opts["total"]
        if not total or total < 1:
            raise CommandError("--total harus bilangan bulat positif.")
        started = time.monotonic()
        with tqdm(
            total=total, unit="penduduk", unit_scale=True, desc="Demo data",
            disable=opts["no_progress"] or opts["verbosity"] == 0,
        ) as bar:  # fmt: skip
            result = demo.fill_province(
                prefix=opts["provinsi"], total=total, seed=opts["seed"], workers=opts["workers"],
                on_progress=bar.update,  # type: ignore[arg-type]  # tqdm returns bool | None
            )  # fmt: skip
        if not result.villages:
            raise CommandError(f"Belum ada desa ter-provision di wilayah {opts['provinsi']} (balai provision).")
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Wilayah {opts['provinsi']}: {result.villages} desa, {result.filled} diisi "
            f"({result.residents} penduduk, {result.families} keluarga), {result.skipped} sudah berisi data "
            f"dan dilewati; {elapsed:.0f} s."
        )
