"""balai urls: print where to open Balai after `make run`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from platform_core.tenancy.models import Village


class Command(BaseCommand):
    help = "Tampilkan alamat yang bisa dibuka."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **opts: Any) -> None:
        port = opts["port"]
        apex = f"http://{settings.BASE_DOMAIN}:{port}"
        lines = [
            "",
            "Balai berjalan. Buka:",
            f"  Provinsi (publik)        {apex}/",
            f"  Konsol PMD/OPD/camat     {apex}/konsol/   (pmd / opd.lampungselatan / camat.candipuro)",
            f"  Admin Django             {apex}/admin/    (admin)",
            f"  API provinsi (OpenAPI)   {apex}/api/docs/",
        ]
        for village in Village.objects.order_by("kode")[:3]:
            lines.append(f"  {village}  http://{village.slug}.{settings.BASE_DOMAIN}:{port}/")
        desa = f"http://bumijaya-candipuro.{settings.BASE_DOMAIN}:{port}"
        lines += [
            f"  Operator Bumi Jaya       {desa}/operator/   (operator.bumijaya)",
            f"  Transparansi Bumi Jaya   {desa}/transparansi/   (APBDes, pembangunan, pengaduan)",
            f"  Layar balai desa         {desa}/layar/",
            f"  Layanan mandiri warga    {desa}/layanan/   (PIN dari operator: Operator > PIN layanan mandiri)",
            f"  Anjungan (kios)          {desa}/layanan/anjungan/",
            "  Kata sandi demo: balai-demo-2026",
            "Hentikan dengan Ctrl-C (semua proses dan server ikut berhenti).",
            "",
        ]
        self.stdout.write("\n".join(lines))
