"""Village finance: Siskeudes import of a realistic year, finance reads, and (when present) the public portal.

One process against a fresh database ``bench_keuangan``:

A. provision kecamatan Candipuro (18.01.17); the bench village Bumi Jaya (18.01.17.2011) gets 5 fiscal years
   of demo finance (``tenants.keuangan.demo.isi_demo``): ~2,000 budget lines per version (awal + perubahan)
   and ~5,000 transactions per year. Timed as ``demo_fill_s``.
B. Siskeudes import: ``tenants.keuangan.siskeudes.contoh.zip_contoh`` writes a realistic export (2,000
   Ta_RABRinci lines, 5,000 realisation rows over TBP/SPP/SPJ) in the documented layout; ``impor_file``
   (the code the Celery task runs: read zip, check every row, write in one transaction) imports it into
   another desa, IMPORT_ROUNDS times (each a full replace of the year). Metric ``siskeudes_import_s`` =
   median; ``siskeudes_import_max_s`` the slowest.
C. reads the portal builds on: ``ringkasan_apbdes`` + ``realisasi_bulanan`` of the current year, and the public
   open-data JSON through Django's test Client (whole middleware stack), ROUNDS times after a warm-up.
D. if ``bench/keuangan_portal.py`` exists (the portal's own bench), ``measure_portal(village)`` is called and
   its metrics (portal_p95_ms, page_kb, ...) are merged.

Baseline: none measured (Siskeudes itself has no import of its own export to compare with); the issue's
targets are the yardstick: import <= 20 s, portal p95 <= 100 ms, page <= 500 KB.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import log, machine, migrate_shared, quiet_gc, setup_django, summary, write_result

NAME = "keuangan"
KECAMATAN = "18.01.17"
VILLAGE = "18.01.17.2011"  # Bumi Jaya: 5 years of finance, the portal's village
TARGET = "18.01.17.2012"  # the Siskeudes import target
YEARS = int(os.environ.get("BALAI_BENCH_KEUANGAN_YEARS", "5"))
LINES = int(os.environ.get("BALAI_BENCH_KEUANGAN_LINES", "2000"))
TRANSACTIONS = int(os.environ.get("BALAI_BENCH_KEUANGAN_TRANSACTIONS", "5000"))
IMPORT_ROUNDS = int(os.environ.get("BALAI_BENCH_IMPORT_ROUNDS", "3"))
ROUNDS = int(os.environ.get("BALAI_BENCH_ROUNDS", "40"))
TARGET_IMPORT_S = 20.0
TARGET_PORTAL_P95_MS = 100.0
TARGET_PAGE_KB = 500.0


def _import_rounds(notes: list[str]) -> dict[str, Any]:
    from platform_core.tenancy.models import Village
    from platform_core.tenancy.schemas import village_context
    from tenants.keuangan.models import BarisAnggaran, Transaksi
    from tenants.keuangan.siskeudes.contoh import zip_contoh
    from tenants.keuangan.siskeudes.impor import impor_file

    tahun = dt.date.today().year - 1
    target = Village.objects.get(kode=TARGET)
    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = zip_contoh(Path(tmp) / "siskeudes.zip", tahun, baris=LINES, transaksi=TRANSACTIONS)
        gen_s = time.perf_counter() - t0
        size_kb = path.stat().st_size / 1024
        log(f"B: export written in {gen_s:.1f}s ({size_kb:.0f} KB zip)")
        with village_context(target):
            for i in range(IMPORT_ROUNDS):
                t0 = time.perf_counter()
                job = impor_file(path, tahun=tahun)
                times.append(time.perf_counter() - t0)
                if job.status != "berhasil":
                    raise SystemExit(f"import failed: {job.pesan} {job.laporan.get('galat', [])[:5]}")
                log(f"B: import {i + 1}/{IMPORT_ROUNDS} in {times[-1]:.2f}s: {job.pesan}")
            lines = BarisAnggaran.objects.filter(apbdes__tahun=tahun).count()
            trx = Transaksi.objects.filter(tahun=tahun).count()
    notes.append(
        f"Import: {lines:,} budget lines (awal + perubahan) and {trx:,} transactions from a {size_kb:.0f} KB zip; "
        "every round replaces the year (delete + insert) in one transaction."
    )
    return {
        "siskeudes_import_s": round(statistics.median(times), 2),
        "siskeudes_import_max_s": round(max(times), 2),
        "siskeudes_import_lines": lines,
        "siskeudes_import_transactions": trx,
        "siskeudes_zip_kb": round(size_kb),
    }


def _reads(village: Any, host: str) -> tuple[dict[str, Any], dict[str, list[float]]]:
    from django.test import Client

    from platform_core.tenancy.schemas import village_context
    from tenants.keuangan import selectors

    tahun = max(selectors_years(village))
    ringkasan: list[float] = []
    opendata: list[float] = []
    client = Client(HTTP_HOST=host)
    url = f"/api/keuangan/terbuka/{tahun}/"
    assert client.get(url).status_code == 200
    with quiet_gc():
        for _ in range(ROUNDS):
            with village_context(village):
                t0 = time.perf_counter()
                selectors.ringkasan_apbdes(tahun)
                selectors.realisasi_bulanan(tahun)
                ringkasan.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            r = client.get(url)
            opendata.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200
    return (
        {**summary(ringkasan, "ringkasan", "ms", 1), **summary(opendata, "opendata", "ms", 1)},
        {"ringkasan_ms": ringkasan, "opendata_ms": opendata},
    )


def selectors_years(village: Any) -> list[int]:
    from platform_core.tenancy.schemas import village_context
    from tenants.keuangan.selectors import tahun_tersedia

    with village_context(village):
        return tahun_tersedia()


def _portal(village: Any, notes: list[str]) -> dict[str, Any]:
    spec = importlib.util.find_spec("bench.keuangan_portal")
    if spec is None:
        notes.append("bench/keuangan_portal.py not present: portal_p95_ms and page_kb not measured here.")
        return {}
    module = importlib.import_module("bench.keuangan_portal")
    log("D: measuring the portal (bench/keuangan_portal.py)")
    return dict(module.measure_portal(village))


def main() -> None:
    started = time.time()
    setup_django("bench_keuangan")
    from django.conf import settings

    from platform_core.tenancy import routing
    from platform_core.tenancy.models import Village
    from platform_core.tenancy.provisioning import provision, village_specs
    from platform_core.tenancy.schemas import village_context
    from tenants.keuangan.demo import isi_demo

    mach = machine()
    migrate_shared()
    specs = [s for s in village_specs([KECAMATAN]) if s.kode in (VILLAGE, TARGET)]
    provision(specs)
    routing.invalidate()
    village = Village.objects.get(kode=VILLAGE)
    notes: list[str] = []

    last = dt.date.today().year
    t0 = time.perf_counter()
    with village_context(village):
        isi_demo(last - YEARS + 1, last, LINES, TRANSACTIONS)
    demo_s = time.perf_counter() - t0
    log(f"A: {YEARS} years x {LINES} lines / {TRANSACTIONS} transactions in {demo_s:.1f}s")

    imports = _import_rounds(notes)
    host = f"{village.slug}.{settings.BASE_DOMAIN}"
    reads, samples = _reads(village, host)
    log("C: " + ", ".join(f"{k} {v}" for k, v in reads.items() if k.endswith("p95_ms")))
    portal = _portal(village, notes)

    metrics: dict[str, Any] = {"demo_fill_s": round(demo_s, 1), **imports, **reads, **portal}
    checks = {"siskeudes_import_s": TARGET_IMPORT_S, "siskeudes_import_max_s": TARGET_IMPORT_S}
    if "portal_p95_ms" in metrics:
        checks["portal_p95_ms"] = TARGET_PORTAL_P95_MS
    if "page_kb" in metrics:
        checks["page_kb"] = TARGET_PAGE_KB
    for key, limit in checks.items():
        met = metrics[key] <= limit
        notes.append(f"{key} {metrics[key]} {'<=' if met else '>'} {limit:g}: {'met' if met else 'NOT met'}")
    ours = f"import {metrics['siskeudes_import_s']} s"
    if "portal_p95_ms" in metrics:
        ours += f", portal p95 {metrics['portal_p95_ms']} ms"
    write_result(
        NAME,
        machine_info=mach,
        params={
            "years": YEARS,
            "lines_per_year": LINES,
            "transactions_per_year": TRANSACTIONS,
            "import_rounds": IMPORT_ROUNDS,
            "rounds": ROUNDS,
        },
        metrics=metrics,
        baseline={"siskeudes_import_s_target": TARGET_IMPORT_S, "portal_p95_ms_target": TARGET_PORTAL_P95_MS},
        headline="siskeudes_import_s",
        ratio=None,
        samples=samples,
        table={
            "headline": "Siskeudes import of a realistic year (2,000 lines, 5,000 transactions)",
            "ours": ours,
            "baseline": "none measured",
            "target": "import <= 20 s; portal p95 <= 100 ms, <= 500 KB",
        },
        notes=notes,
        started=started,
    )


if __name__ == "__main__":
    main()
