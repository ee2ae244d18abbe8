"""The public transparency portal of one village: server time per page and page weight.

`measure_portal(village)` is called by bench/keuangan.py after it loaded the village's finance (5 years of
~2,000 budget lines); it fills 200 demo projects with progress and photos when the village has none, then
requests every public page (transparansi/…, layar/) through Django's test Client in-process (the whole
middleware stack, DEBUG off) in rotating order, ROUNDS times after a warm-up round, twice: with the
per-village portal cache (ours) and with it bypassed, every figure computed per request (baseline),
alternating page by page in the same run.

Page weight: the HTML plus every stylesheet, script and icon font it loads (photos excluded), gzip-compressed
as they travel from a server that compresses (WhiteNoise's compressed files, nginx gzip); the raw size is
reported beside it.

Standalone (`python -m bench.keuangan_portal` inside `balai dev exec` on the bench ports) it provisions
Bumi Jaya, loads 15,000 residents, 5 years x 2,000 budget lines / 5,000 transactions and 200 projects,
measures, and writes bench/results/keuangan_portal.json.
"""

from __future__ import annotations

import gzip
import os
import re
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import log, pct, quiet_gc

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
PROYEK = 200
TARGET_P95_MS = 100.0
TARGET_PAGE_KB = 500.0
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')
CSS_URL = re.compile(r"url\(([^)]+\.woff2)[^)]*\)")


def _pages(village: Any) -> dict[str, str]:
    from django.urls import reverse

    from tenants.pembangunan.models import Proyek

    pk = Proyek.objects.order_by("id").values_list("pk", flat=True).first()
    pages = {
        "beranda": "/",
        "transparansi": reverse("transparansi"),
        "proyek": reverse("transparansi-proyek"),
        "proyek_hal3": reverse("transparansi-proyek") + "?page=3",
        "proyek_terlambat": reverse("transparansi-proyek") + "?status=terlambat",
        "proyek_detail": reverse("transparansi-proyek-detail", args=[pk]),
        "dokumen": reverse("transparansi-dokumen"),
        "penduduk": reverse("transparansi-penduduk"),
        "pengaduan": reverse("transparansi-pengaduan"),
        "layar": reverse("layar"),
        "layar_isi": reverse("layar-isi"),
        "opendata_json": reverse("transparansi-data-json"),
    }
    if village.is_desa:
        pages["apbdes"] = reverse("transparansi-apbdes")
    return pages


def _static_bytes(url: str) -> bytes:
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    prefix = static("")
    path = finders.find(url.split("?", maxsplit=1)[0].removeprefix(prefix))
    return Path(path).read_bytes() if path else b""


def _weight(html: bytes) -> tuple[float, float, int]:
    """(gzip KB, raw KB, number of files) of a page and the assets it loads, photos excluded."""
    files = [html]
    for url in ASSET.findall(html.decode(errors="replace")):
        body = _static_bytes(url)
        files.append(body)
        if url.endswith(".css"):
            base = url.rsplit("/", 1)[0]
            for found in set(CSS_URL.findall(body.decode(errors="replace"))):
                files.append(_static_bytes(f"{base}/{found.strip(chr(39) + chr(34))}"))
    raw = sum(len(f) for f in files)
    gz = sum(len(gzip.compress(f, 6)) if not f.startswith(b"wOF2") else len(f) for f in files)
    return round(gz / 1024, 1), round(raw / 1024, 1), len(files)


@contextmanager
def _no_cache() -> Iterator[None]:
    """Baseline: every figure computed and every page rendered per request (no stamp: the portal cache and
    its HTML fragments are bypassed, as when Redis is down)."""
    from tenants.pembangunan import portal_cache

    original = portal_cache.stempel

    def no_stamp() -> str | None:
        return None

    portal_cache.stempel = no_stamp
    try:
        yield
    finally:
        portal_cache.stempel = original


def measure_portal(village: Any, *, rounds: int = ROUNDS, proyek: int = PROYEK) -> dict[str, Any]:
    """Server-time p95 (ms) of every public page and the heaviest page's weight (KB). See the module doc."""
    from django.conf import settings
    from django.test import Client

    from platform_core.tenancy import schemas
    from tenants.pembangunan import demo
    from tenants.pembangunan.models import Proyek

    with schemas.village_context(village):
        if not Proyek.objects.exists():
            t0 = time.perf_counter()
            demo.isi_demo(jumlah=proyek)
            log(f"portal: {proyek} demo projects with progress and photos in {time.perf_counter() - t0:.1f}s")
        pages = _pages(village)
        n_proyek = Proyek.objects.count()
    schemas.activate(None)
    host = f"{village.slug}.{settings.BASE_DOMAIN}"
    client = Client(HTTP_HOST=host)
    ours: dict[str, list[float]] = {n: [] for n in pages}
    base: dict[str, list[float]] = {n: [] for n in pages}
    weights: dict[str, tuple[float, float, int]] = {}
    names = list(pages)
    for round_no in range(rounds + 1):  # round 0 warms up
        shift = round_no % len(names)
        for name in names[shift:] + names[:shift]:
            for kind in ("ours", "base"):
                with quiet_gc():
                    if kind == "base":
                        with _no_cache():
                            t0 = time.perf_counter()
                            response = client.get(pages[name])
                            elapsed = (time.perf_counter() - t0) * 1000
                    else:
                        t0 = time.perf_counter()
                        response = client.get(pages[name])
                        elapsed = (time.perf_counter() - t0) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{pages[name]} answered {response.status_code}")
                if round_no:
                    (ours if kind == "ours" else base)[name].append(elapsed)
                if round_no == 1 and kind == "ours" and response["Content-Type"].startswith("text/html"):
                    weights[name] = _weight(response.content)
        if round_no % 10 == 0:
            log(f"portal round {round_no}/{rounds}")
    per_page = {
        name: {
            "p95_ms": round(pct(ours[name], 95), 1),
            "median_ms": round(statistics.median(ours[name]), 1),
            "baseline_p95_ms": round(pct(base[name], 95), 1),
            **(
                {"kb_gzip": weights[name][0], "kb_raw": weights[name][1], "files": weights[name][2]}
                if name in weights
                else {}
            ),
        }
        for name in names
    }
    slowest = max(per_page, key=lambda n: per_page[n]["p95_ms"])
    heaviest = max(weights, key=lambda n: weights[n][0])
    every_ours = [x for v in ours.values() for x in v]
    every_base = [x for v in base.values() for x in v]
    return {
        "portal_p95_ms": per_page[slowest]["p95_ms"],
        "portal_slowest_page": slowest,
        "portal_all_pages_p95_ms": round(pct(every_ours, 95), 1),
        "portal_median_ms": round(statistics.median(every_ours), 1),
        "portal_baseline_p95_ms": max(p["baseline_p95_ms"] for p in per_page.values()),
        "portal_baseline_all_pages_p95_ms": round(pct(every_base, 95), 1),
        "page_kb": weights[heaviest][0],
        "page_kb_raw": weights[heaviest][1],
        "page_heaviest": heaviest,
        "portal_proyek": n_proyek,
        "portal_rounds": rounds,
        "pages": per_page,
    }


def main() -> None:
    from bench.common import machine, migrate_shared, setup_django, write_result

    started = time.time()
    setup_django("bench_keuangan_portal")
    from django.db import connection

    from platform_core.tenancy import routing, schemas
    from platform_core.tenancy.models import Village
    from platform_core.tenancy.provisioning import provision, village_specs
    from tenants.keuangan.demo import isi_demo
    from tenants.penduduk import demo as penduduk_demo

    kode = "18.01.17.2011"
    mach = machine()
    migrate_shared()
    provision([s for s in village_specs(["18.01.17"]) if s.kode == kode])
    routing.invalidate()
    village = Village.objects.get(kode=kode)
    this_year = time.localtime().tm_year
    with schemas.village_context(village):
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            penduduk_demo.fill_schema(
                cursor=cur,
                schema=village.schema_name,
                info=penduduk_demo.VillageInfo.from_code(kode),
                residents=15000,
                seed=7,
            )
        isi_demo(this_year - 4, 5, 2000, 5000)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        log(f"village loaded (15,000 residents, 5 x 2,000 budget lines) in {time.perf_counter() - t0:.0f}s")
    schemas.activate(None)
    metrics = measure_portal(village)
    pages = metrics.pop("pages")
    flat = {**metrics, **{f"{n}_p95_ms": p["p95_ms"] for n, p in pages.items()}}
    baseline = {"portal_p95_ms": metrics["portal_baseline_p95_ms"]}
    ratio = metrics["portal_baseline_p95_ms"] / metrics["portal_p95_ms"] if metrics["portal_p95_ms"] else None
    notes = [
        f"portal_p95_ms = the slowest public page's p95 ({metrics['portal_slowest_page']}); "
        f"target <= {TARGET_P95_MS:g} ms " + ("met" if metrics["portal_p95_ms"] <= TARGET_P95_MS else "NOT met"),
        f"page_kb = heaviest page ({metrics['page_heaviest']}) gzip-compressed incl. CSS/JS/fonts, photos excluded; "
        f"raw {metrics['page_kb_raw']} KB; target <= {TARGET_PAGE_KB:g} KB "
        + ("met" if metrics["page_kb"] <= TARGET_PAGE_KB else "NOT met"),
        "baseline = the same pages with the portal cache bypassed (every figure computed per request), same run",
    ]
    write_result(
        "keuangan_portal",
        machine_info=mach,
        params={
            "village": kode,
            "residents": 15000,
            "budget_years": 5,
            "budget_lines": 2000,
            "transactions": 5000,
            "projects": metrics["portal_proyek"],
            "rounds": metrics["portal_rounds"],
        },
        metrics=flat,
        baseline=baseline,
        headline="portal_p95_ms",
        ratio=ratio,
        samples={"pages": pages},
        table={
            "headline": "public portal p95 (slowest page)",
            "ours": f"{metrics['portal_p95_ms']} ms, {metrics['page_kb']} KB",
            "baseline": f"{metrics['portal_baseline_p95_ms']} ms uncached",
            "target": f"<= {TARGET_P95_MS:g} ms, <= {TARGET_PAGE_KB:g} KB",
        },
        notes=notes,
        started=started,
    )
    for note in notes:
        log(note)


if __name__ == "__main__":
    main()
