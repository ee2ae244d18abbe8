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
        """About 70 residents in 20 families, through the register's own services (validated NIKs)."""
        from tenants.penduduk.models import Penduduk
        from tenants.penduduk.services import keluarga_create, penduduk_create, wilayah_rt_ensure

        if Penduduk.objects.exists():
            return
        rng = random.Random(18)  # reproducible demo
        region = village.kode.replace(".", "")[:6]
        serial = 0

        def nik(born: dt.date, female: bool) -> str:
            nonlocal serial
            serial += 1
            day = born.day + (40 if female else 0)
            return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"

        def person(born: dt.date, female: bool, hubungan: int, kawin: int) -> dict[str, Any]:
            return {
                "nik": nik(born, female),
                "nama": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "hubungan": hubungan,
                "tempat_lahir": "Lampung Selatan",
                "agama": 1,
                "pendidikan_kk": rng.randint(1, 8),
                "pekerjaan": rng.choice([1, 2, 3, 9, 19, 88]),
                "status_kawin": kawin,
            }

        for k in range(20):
            head_born = dt.date(1960 + rng.randint(0, 25), rng.randint(1, 12), rng.randint(1, 28))
            keluarga = keluarga_create(
                no_kk=f"{region}{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(10, 24):02d}{k + 1:04d}",
                kepala=person(head_born, False, 1, 2),
                alamat=f"Jl. Demo No. {k + 1}",
                rt=wilayah_rt_ensure(dusun=f"Dusun {1 + k % 3}", rw=f"{1 + k % 3:03d}", rt=f"{1 + k % 5:03d}"),
            )
            spouse_born = dt.date(head_born.year + rng.randint(0, 5), rng.randint(1, 12), rng.randint(1, 28))
            penduduk_create(**person(spouse_born, True, 3, 2), keluarga=keluarga)
            for _ in range(rng.randint(0, 3)):
                child_born = dt.date(2000 + rng.randint(0, 20), rng.randint(1, 12), rng.randint(1, 28))
                female = rng.random() < 0.5
                penduduk_create(**person(child_born, female, 4, 1), keluarga=keluarga)
