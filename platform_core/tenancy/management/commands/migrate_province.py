"""balai migrate: shared apps, then the template schema, then the villages that are behind.

The village part replays SQL captured once on the template (platform_core.tenancy.migrasi):
no per-village catalog scan. See docs/migrations.md.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from platform_core.tenancy.migrasi.province import migrate_province


class Command(BaseCommand):
    help = "Migrasi skema public, skema templat, lalu skema desa yang tertinggal."
    # As Django's own migrate: no system-check pass first (a deploy runs `check --deploy` on its own);
    # it is a second of the ten the no-op deploy may take.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--skip-villages", action="store_true")
        parser.add_argument("--jobs", type=int, default=2, help="koneksi paralel (bawaan 2)")
        parser.add_argument("--batch", type=int, default=50, help="desa per koneksi (bawaan 50)")
        parser.add_argument("--desa", action="append", default=[], help="hanya desa ini (kode atau skema)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        bars: list[Any] = []

        def progress_factory(total: int) -> Callable[[int], object]:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="desa", desc="migrasi desa", file=sys.stderr, disable=opts["no_progress"])
            bars.append(bar)
            return bar.update

        try:
            report = migrate_province(
                verbosity=opts["verbosity"],
                jobs=max(1, opts["jobs"]),
                batch_size=max(1, opts["batch"]),
                only=opts["desa"] or None,
                skip_villages=opts["skip_villages"],
                progress_factory=progress_factory,
                say=self.stdout.write,
                warn=lambda m: self.stderr.write(self.style.WARNING(m)),
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            for bar in bars:
                bar.close()
        v = report.villages
        if opts["skip_villages"]:
            return
        if not v.behind_before:
            self.stdout.write(f"Semua {v.villages} desa sudah mutakhir ({report.seconds:.1f} s).")
            return
        self.stdout.write(
            f"Desa: {v.behind_before} diproses, {v.behind_before - len(v.failed)} berhasil, "
            f"{len(v.failed)} gagal; {v.at_target}/{v.villages} pada target ({report.seconds:.1f} s)."
        )
        for item in v.stock:
            self.stderr.write(self.style.WARNING(f"Jalur stok: {item}"))
        for schema, error in sorted(v.failed.items()):
            self.stderr.write(self.style.ERROR(f"GAGAL {schema}: {error}"))
        if v.failed:
            raise CommandError(f"{len(v.failed)} desa gagal dimigrasi; perbaiki lalu jalankan lagi `balai migrate`.")
