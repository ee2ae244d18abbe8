"""Routing: latency a request gains from host -> village resolution, ours vs django-tenants' middleware.

Fresh database ``bench_routing`` with one kabupaten provisioned (Lampung
Selatan, 18.01: 260 villages). HOSTS of their subdomains are requested in a
seeded random order through three handlers that share one trivial view (one
``SELECT 1``, so the search_path is really set, as in any real request):

- control: the view alone (no routing);
- ours:    ``VillageRoutingMiddleware(view)``;
- stock:   ``django_tenants.middleware.main.TenantMainMiddleware(view)``.

Requests are ``RequestFactory`` requests built before each batch; each call is
timed with ``perf_counter_ns``. ROUNDS rounds of one BATCH per handler, the
order rotating every round. overhead = handler - control, paired per round.
Steady state = after a warm-up pass over every host (ours has its host cache
filled, the PostgreSQL backend has seen every schema). Queries are counted in a
separate pass with ``CaptureQueriesContext`` (``SET search_path`` apart).
"""

from __future__ import annotations

import itertools
import os
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.common import (
    SEED,
    log,
    machine,
    migrate_shared,
    pct,
    quiet_gc,
    setup_django,
    summary,
    write_result,
)

NAME = "routing"
REGION = os.environ.get("BALAI_BENCH_REGION", "18.01")
HOSTS = 200
REPEAT = 1  # each host once per batch: short batches pair better under a noisy neighbour
ROUNDS = int(os.environ.get("BALAI_BENCH_ROUNDS", "100"))
TARGET_OVERHEAD_MS = 1.0

Handler = Callable[[Any], Any]


def main() -> None:  # noqa: PLR0915  # one linear script
    started = time.time()
    setup_django("bench_routing")
    from django.conf import settings
    from django.db import connection
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django_tenants.middleware.main import TenantMainMiddleware

    from platform_core.tenancy import routing
    from platform_core.tenancy.middleware import VillageRoutingMiddleware
    from platform_core.tenancy.models import Domain
    from platform_core.tenancy.provisioning import provision, village_specs

    rng = random.Random(SEED)
    mach = machine()
    migrate_shared()
    specs = village_specs([REGION])
    t0 = time.perf_counter()
    provision(specs)
    log(f"{len(specs)} villages of {REGION} provisioned in {time.perf_counter() - t0:.1f}s")
    chosen = sorted(rng.sample([s.kode for s in specs], min(HOSTS, len(specs))))
    hosts = sorted(Domain.objects.filter(tenant__kode__in=chosen).values_list("domain", flat=True))
    assert len(hosts) == len(chosen)

    def view(request: Any) -> HttpResponse:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        return HttpResponse(b"ok")

    handlers: dict[str, Handler] = {
        "control": view,
        "ours": VillageRoutingMiddleware(view),
        "stock": TenantMainMiddleware(view),
    }
    factory = RequestFactory()

    def requests(n_repeat: int) -> list[Any]:
        order = hosts * n_repeat
        rng.shuffle(order)
        return [factory.get("/", HTTP_HOST=h) for h in order]

    def timed(handler: Handler, batch: list[Any]) -> list[float]:
        out = []
        clock = time.perf_counter_ns
        with quiet_gc():
            for req in batch:
                t = clock()
                resp = handler(req)
                out.append((clock() - t) / 1e6)
                if resp.status_code != 200:
                    raise RuntimeError(f"{req.get_host()}: HTTP {resp.status_code}")
        return out

    def counted(handler: Handler, batch: list[Any]) -> tuple[float, float]:
        """(queries other than SET search_path, SET search_path) per request."""
        with CaptureQueriesContext(connection) as ctx:
            for req in batch:
                handler(req)
        sets = sum(1 for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SET SEARCH_PATH"))
        return (len(ctx.captured_queries) - sets) / len(batch), sets / len(batch)

    # Cold: ours with an empty host cache (one domain query per host), one pass.
    routing.host_cache.clear()
    cold_ours = timed(handlers["ours"], requests(1))
    routing.host_cache.clear()
    cold_queries, cold_sets = counted(handlers["ours"], requests(1))
    # Warm-up: every handler, every host, twice.
    for handler in handlers.values():
        timed(handler, requests(2))

    # Steady state, alternating.
    names = list(handlers)
    orders = list(itertools.permutations(names))
    per_round: dict[str, list[dict[str, float]]] = {k: [] for k in names}
    all_ms: dict[str, list[float]] = {k: [] for k in names}
    for r in range(ROUNDS):
        for name in orders[r % len(orders)]:
            ms = timed(handlers[name], requests(REPEAT))
            all_ms[name].extend(ms)
            per_round[name].append(
                {"median_ms": statistics.median(ms), "mean_ms": statistics.fmean(ms), "p95_ms": pct(ms, 95)}
            )
        if (r + 1) % 20 == 0:
            med = {k: per_round[k][-1]["median_ms"] for k in names}
            log(
                f"round {r + 1}/{ROUNDS}: median control {med['control'] * 1000:.0f} µs,"
                f" ours {med['ours'] * 1000:.0f} µs, stock {med['stock'] * 1000:.0f} µs"
            )

    counts = {name: counted(handlers[name], requests(5)) for name in names}
    control_q = counts["control"][0]

    def paired(name: str, key: str) -> list[float]:
        return [a[key] - c[key] for a, c in zip(per_round[name], per_round["control"], strict=True)]

    def figures(name: str) -> dict[str, float]:
        q, sets = counts[name]
        return {
            "overhead_ms": round(statistics.median(paired(name, "median_ms")), 4),
            "overhead_mean_ms": round(statistics.median(paired(name, "mean_ms")), 4),
            "overhead_p95_ms": round(statistics.median(paired(name, "p95_ms")), 4),
            "overhead_rounds_max_ms": round(max(paired(name, "median_ms")), 4),
            "queries_per_request": round(q - control_q, 3),
            "search_path_sets_per_request": round(sets - counts["control"][1], 3),
            **summary(all_ms[name], "request", "ms", 4),
        }

    metrics = {**figures("ours")}
    metrics.update(
        {
            "cold_queries_per_request": round(cold_queries - control_q, 3),
            "cold_search_path_sets_per_request": round(cold_sets, 3),
            **summary(cold_ours, "cold_request", "ms", 4),
            "cold_overhead_median_ms": round(statistics.median(cold_ours) - statistics.median(all_ms["control"]), 4),
        }
    )
    baseline = figures("stock")
    control = summary(all_ms["control"], "request", "ms", 4)
    ratio = baseline["overhead_ms"] / metrics["overhead_ms"] if metrics["overhead_ms"] > 0 else None
    ok = metrics["overhead_ms"] <= TARGET_OVERHEAD_MS and metrics["queries_per_request"] == 0
    notes = [
        "overhead_ms = median over rounds of (median latency of the handler's batch - median of the control batch"
        " in the same round); overhead_p95_ms the same with batch p95s.",
        "the control is the bare view (one SELECT 1 on the current search_path); both middlewares add a"
        " SET search_path round trip before that SELECT because every request goes to another village, stock"
        " adds a SET to public and the Domain+Village query on top.",
        "queries_per_request counts statements Django runs other than SET search_path (the view's SELECT 1"
        " subtracted); search_path_sets_per_request counts the SETs separately. Ours also reads the routing"
        " generation from Redis at most once a second (included in the timings).",
        "in-process: middleware called with RequestFactory requests, no WSGI server, no URL resolution, no"
        " other middleware; one persistent connection (no per-request connect).",
        f"target: overhead <= {TARGET_OVERHEAD_MS} ms and 0 queries per request in steady state: "
        + ("met" if ok else "NOT met"),
    ]
    write_result(
        NAME,
        machine_info=mach,
        params={
            "region": REGION,
            "villages_provisioned": len(specs),
            "hosts": len(hosts),
            "requests_per_batch": len(hosts) * REPEAT,
            "rounds": ROUNDS,
            "requests_per_handler": len(all_ms["ours"]),
            "seed": SEED,
            "host_cache_seconds": settings.HOST_CACHE_SECONDS,
        },
        metrics=metrics,
        baseline=baseline,
        headline="overhead_ms",
        ratio=ratio,
        samples={
            "control": control,
            "per_round": {k: [{kk: round(vv, 4) for kk, vv in d.items()} for d in v] for k, v in per_round.items()},
            "cold_ours_ms": [round(x, 4) for x in cold_ours],
        },
        table={
            "headline": "host → village routing, added latency per request (steady state)",
            "ours": f"{metrics['overhead_ms'] * 1000:.0f} µs, {metrics['queries_per_request']:g} queries"
            f" (+{metrics['search_path_sets_per_request']:g} SET)",
            "baseline": f"TenantMainMiddleware {baseline['overhead_ms'] * 1000:.0f} µs,"
            f" {baseline['queries_per_request']:g} queries (+{baseline['search_path_sets_per_request']:g} SET)",
            "target": f"≤ {TARGET_OVERHEAD_MS:g} ms, 0 queries",
        },
        notes=notes,
        started=started,
    )
    log(
        f"overhead ours {metrics['overhead_ms'] * 1000:.0f} µs ({metrics['queries_per_request']} q),"
        f" stock {baseline['overhead_ms'] * 1000:.0f} µs ({baseline['queries_per_request']} q)"
    )
