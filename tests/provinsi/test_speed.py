"""Console speed at full province scale (2,651 villages, facts only). Opt-in: BALAI_KONSOL_SPEED=1.

The benchmark (bench/provinsi.py) measures the real thing; this is the quick check while
working on the screens: every page's server time p95 ≤ 50 ms through the Django test client.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from platform_core.accounts.models import User
from platform_core.facts import registry
from platform_core.facts.models import Aktivitas, Fakta, StatusDesa
from platform_core.facts.ringkasan import ringkasan_bangun
from platform_core.tenancy.models import Village
from platform_core.wilayah.models import Kecamatan
from tests.conftest import Villages

pytestmark = pytest.mark.skipif(not os.environ.get("BALAI_KONSOL_SPEED"), reason="set BALAI_KONSOL_SPEED=1")
N = 2651


def _province(periode: dt.date) -> None:
    kecamatan = list(Kecamatan.objects.filter(kode__startswith="18.").order_by("kode"))
    villages = [
        Village(
            kode=f"{kecamatan[i % len(kecamatan)].kode}.{5000 + i}",
            nama=f"Desa Cepat {i}",
            jenis="desa",
            kecamatan=kecamatan[i % len(kecamatan)],
            slug=f"cepat-{i}",
            schema_name=f"cepat_{i}",
        )
        for i in range(N)
    ]
    Village.objects.bulk_create(villages, batch_size=1000)
    now = timezone.now()
    rows = []
    for i, v in enumerate(villages):
        for ind in registry.semua():
            nilai = None if ind.pilar == "ekonomi" else Decimal(i % 50 + 1)
            py = Decimal(100) if ind.agregasi == "rasio" and nilai is not None else None
            rows.append(
                Fakta(
                    village=v,
                    indikator=ind.kunci,
                    periode=periode,
                    nilai=nilai,
                    penyebut=py,
                    pembilang=(nilai if py else None),
                    computed_at=now,
                )
            )
    Fakta.objects.bulk_create(rows, batch_size=5000)
    StatusDesa.objects.bulk_create(
        [StatusDesa(village=v, terakhir_aktif=now - dt.timedelta(days=i % 60)) for i, v in enumerate(villages)]
    )
    Aktivitas.objects.bulk_create([Aktivitas(village=v, jenis="x", keterangan="uji", waktu=now) for v in villages])
    ringkasan_bangun(wilayah="18", periode=periode)  # what `balai recompute` does at the end
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def test_console_pages_p95_under_50ms(villages: Villages, db: None) -> None:
    _province(dt.date(2031, 1, 1))
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="pmd"))
    pages = [
        "/konsol/provinsi/",
        "/konsol/kabupaten/18.01/",
        "/konsol/kecamatan/18.01.17/",
        "/konsol/desa/18.01.17.2011/",
        "/konsol/feed/18.01/",
        "/konsol/indikator/penduduk_jumlah/",
        "/konsol/indikator/rasio_ktp_el/?wilayah=18.01",
        "/data/indikator.json?tingkat=kabupaten",
        "/data/indikator.csv?tingkat=desa",
    ]
    hasil = {}
    for url in pages:
        samples = []
        for _ in range(25):
            t = time.perf_counter()
            assert client.get(url).status_code == 200, url
            samples.append((time.perf_counter() - t) * 1000)
        samples.sort()
        hasil[url] = (statistics.median(samples), samples[int(len(samples) * 0.95) - 1])
    for url, (med, p95) in hasil.items():
        print(f"{url}: median {med:.1f} ms, p95 {p95:.1f} ms")
    slow = {url: v for url, v in hasil.items() if v[1] > 50 and "indikator.csv" not in url}
    assert not slow, slow
