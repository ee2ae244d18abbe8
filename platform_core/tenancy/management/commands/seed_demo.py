"""balai seed_demo: demo accounts (and a few demo residents) for `make run`. Idempotent."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.management.base import BaseCommand

from platform_core.accounts.models import User
from platform_core.accounts.services import user_create_with_role
from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import village_context

DEMO_PASSWORD = "balai-demo-2026"  # noqa: S105  # a demo, printed on screen
DEMO_VILLAGE = "18.01.17.2011"  # Bumi Jaya, Candipuro, Lampung Selatan

ACCOUNTS = [
    ("pmd", "provinsi", "18"),
    ("opd.lampungselatan", "kabupaten", "18.01"),
    ("camat.candipuro", "kecamatan", "18.01.17"),
    ("operator.bumijaya", "desa", DEMO_VILLAGE),
]

FIRST = ["Ahmad", "Siti", "Budi", "Dewi", "Made", "Nyoman", "Rahmat", "Sri", "Agus", "Wayan", "Yuni", "Eko"]
LAST = ["Saputra", "Lestari", "Wijaya", "Handayani", "Pratama", "Sari", "Hidayat", "Utami", "Setiawan", "Rahayu"]


class Command(BaseCommand):
    help = "Buat akun demo dan beberapa penduduk contoh (hanya untuk demo `make run`)."

    def handle(self, *args: Any, **opts: Any) -> None:
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@balai.localhost", DEMO_PASSWORD)
        for username, tingkat, kode in ACCOUNTS:
            if tingkat == "desa" and not Village.objects.filter(kode=kode).exists():
                continue
            if not User.objects.filter(username=username).exists():
                user_create_with_role(username=username, password=DEMO_PASSWORD, tingkat=tingkat, kode_wilayah=kode)
        village = Village.objects.filter(kode=DEMO_VILLAGE).first()
        if village is not None:
            with village_context(village):
                self._residents(village)
        self.stdout.write(f"Akun demo siap (kata sandi: {DEMO_PASSWORD}).")

    def _residents(self, village: Village) -> None:
        from tenants.penduduk.models import Keluarga, Penduduk

        if Penduduk.objects.exists():
            return
        rng = random.Random(18)  # reproducible demo
        region = village.kode.replace(".", "")[:6]
        serial = 0
        for k in range(20):
            kk = Keluarga.objects.create(
                no_kk=f"{region}{rng.randint(10, 28):02d}{rng.randint(1, 12):02d}{rng.randint(0, 99):02d}{k + 1:04d}",
                alamat=f"Jl. Demo No. {k + 1}",
                dusun=f"Dusun {1 + k % 3}",
                rw=f"{1 + k % 3:03d}",
                rt=f"{1 + k % 5:03d}",
            )
            for m in range(rng.randint(2, 5)):
                serial += 1
                female = m == 1 or (m > 1 and rng.random() < 0.5)
                born = (
                    dt.date(1960 + rng.randint(0, 20), rng.randint(1, 12), rng.randint(1, 28))
                    if m < 2
                    else (dt.date(2000 + rng.randint(0, 20), rng.randint(1, 12), rng.randint(1, 28)))
                )
                day = born.day + (40 if female else 0)
                Penduduk.objects.create(
                    nik=f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}",
                    nama=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    keluarga=kk,
                    hubungan=1 if m == 0 else (3 if m == 1 else 4),
                    jenis_kelamin=2 if female else 1,
                    tempat_lahir="Lampung Selatan",
                    tanggal_lahir=born,
                    agama=1,
                    pendidikan_kk=rng.randint(1, 8),
                    pekerjaan=rng.choice([1, 2, 3, 9, 19, 88]),
                    status_kawin=2 if m < 2 else 1,
                )
