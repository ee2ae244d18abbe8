"""balai lint_migrations: refuse migrations unsafe for a rolling deploy (run by `make lint`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from platform_core.tenancy.migrasi import lint


class Command(BaseCommand):
    help = "Tolak migrasi yang tidak aman untuk deploy bergulir di ribuan skema desa (docs/migrations.md)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--semua", action="store_true", help="tampilkan juga catatan")

    def handle(self, *args: Any, **opts: Any) -> None:
        if lint.main(verbose=opts["semua"] or opts["verbosity"] > 1) != 0:
            raise CommandError("Ada migrasi yang tidak aman; lihat docs/migrations.md (ekspansi/kontraksi).")
