"""balai seed_demo: demo accounts and demo registers for `make run`. Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from platform_core.accounts.models import User
from platform_core.accounts.services import user_create_with_role
from platform_core.tenancy.models import Village

DEMO_PASSWORD = "balai-demo-2026"  # noqa: S105  # a demo, printed on screen
DEMO_VILLAGE = "18.01.17.2011"  # Bumi Jaya, Candipuro, Lampung Selatan
DEMO_REGISTERS = [(DEMO_VILLAGE, 2500), ("18.71.01.1003", 1200)]  # + Kelurahan Kedaton, Bandar Lampung

ACCOUNTS = [
    ("pmd", "provinsi", "18"),
    ("opd.lampungselatan", "kabupaten", "18.01"),
    ("camat.candipuro", "kecamatan", "18.01.17"),
    ("operator.bumijaya", "desa", DEMO_VILLAGE),
]


class Command(BaseCommand):
    help = "Buat akun demo dan data penduduk contoh (hanya untuk demo `make run`)."

    def handle(self, *args: Any, **opts: Any) -> None:
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@balai.localhost", DEMO_PASSWORD)
        for username, tingkat, kode in ACCOUNTS:
            if tingkat == "desa" and not Village.objects.filter(kode=kode).exists():
                continue
            if not User.objects.filter(username=username).exists():
                user_create_with_role(username=username, password=DEMO_PASSWORD, tingkat=tingkat, kode_wilayah=kode)
        # A register worth looking at (statistics, books, search): generated demo residents, only into
        # villages that are still empty, so a second `make run` keeps whatever the operator changed.
        for kode, residents in DEMO_REGISTERS:
            village = Village.objects.filter(kode=kode).first()
            if village is not None:
                call_command("demo_data", village=village.slug, residents=residents, verbosity=0)
        # Budgets and realisation for the demo desa (a kelurahan has no APBDes): the transparency portal,
        # the command-center screen and the province's finance indicators have something to show.
        if Village.objects.filter(kode=DEMO_VILLAGE).exists():
            call_command(
                "keuangan_demo", village=DEMO_VILLAGE, tahun_awal=2024, baris=400, transaksi=800, jika_kosong=True,
                verbosity=0,
            )  # fmt: skip
            call_command("demo_pembangunan", village=DEMO_VILLAGE, jumlah=24, jika_kosong=True, verbosity=0)
        self.stdout.write(f"Akun demo siap (kata sandi: {DEMO_PASSWORD}).")
