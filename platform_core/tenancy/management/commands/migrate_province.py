"""balai migrate: shared apps, then the template schema, then the villages that are behind."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from platform_core.tenancy.models import Village
from platform_core.tenancy.provisioning import ensure_template


class Command(BaseCommand):
    help = "Migrasi skema public, skema templat, lalu skema desa yang tertinggal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--skip-villages", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        verbosity = opts["verbosity"]
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        changed = ensure_template(verbosity=verbosity)
        self.stdout.write("Skema templat " + ("diperbarui." if changed else "sudah mutakhir."))
        if changed and not opts["skip_villages"] and Village.objects.exists():
            # Stock per-schema path for now; the province-scale executor is issue 7.
            call_command("migrate_schemas", tenant=True, interactive=False, verbosity=verbosity)
