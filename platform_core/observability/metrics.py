"""Prometheus metrics of web processes and Celery workers.

Cardinality stays bounded whatever the number of villages: requests are labelled by
view name, method and status, and counted per kabupaten (15 in Lampung, 514 in all of
Indonesia) in a separate counter without latency buckets; never per village.

Multiprocess-safe: with PROMETHEUS_MULTIPROC_DIR set (it must be set before the process
imports prometheus_client, i.e. in the container environment), every gunicorn worker /
Celery pool process writes its samples to files there and a scrape merges them
(prometheus_client's MultiProcessCollector). The directory must be emptied when the
service starts (deploy/entrypoint.sh does) and dead processes are marked
(deploy/gunicorn.conf.py, platform_core.observability.worker).

Access to /metrics: `Authorization: Bearer $BALAI_METRICS_TOKEN` when that variable is
set, else only from the networks in BALAI_METRICS_NETWORKS (default loopback). Anyone
else gets the ordinary 404. nginx and the Ingress also refuse /metrics from outside.
See docs/deploy.md.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)

HTTP_REQUESTS = Counter(
    "balai_http_requests_total", "HTTP requests by view, method and status.", ["view", "method", "status"]
)
HTTP_LATENCY = Histogram(
    "balai_http_request_duration_seconds", "Time to produce a response, by view.", ["view"], buckets=LATENCY_BUCKETS
)
HTTP_KABUPATEN = Counter(
    "balai_http_requests_kabupaten_total",
    "HTTP requests to village sites by kabupaten code and status class ('-' = the apex).",
    ["kabupaten", "status_class"],
)
TASKS = Counter(
    "balai_celery_tasks_total", "Celery tasks run, by queue, task and final state.", ["queue", "task", "state"]
)
TASK_LATENCY = Histogram(
    "balai_celery_task_duration_seconds", "Celery task run time by queue.", ["queue"], buckets=TASK_BUCKETS
)


def observe_request(*, view: str, method: str, status: int, kabupaten: str, seconds: float) -> None:
    HTTP_REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    HTTP_LATENCY.labels(view=view).observe(seconds)
    HTTP_KABUPATEN.labels(kabupaten=kabupaten, status_class=f"{status // 100}xx").inc()


def observe_task(*, queue: str, task: str, state: str, seconds: float | None) -> None:
    TASKS.labels(queue=queue, task=task, state=state).inc()
    if seconds is not None:
        TASK_LATENCY.labels(queue=queue).observe(seconds)


# --- the outbox lag (workers of the outbox queue export it) -------------------------------


class OutboxLagCollector(Collector):
    """Villages with undrained outbox events and the age of the oldest: one aggregate over
    the public status table at scrape time (2,651 rows), then the connection is closed."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db import connection
        from django.db.models import Count, Min
        from django.utils import timezone

        from platform_core.facts.models import StatusDesa

        try:
            row = StatusDesa.objects.filter(outbox_tertunda_sejak__isnull=False).aggregate(
                n=Count("pk"), oldest=Min("outbox_tertunda_sejak")
            )
        finally:
            connection.close()  # this runs in the metrics server thread: hold no connection
        pending = GaugeMetricFamily("balai_outbox_pending_villages", "Villages with undrained outbox events.")
        pending.add_metric([], float(row["n"]))
        lag = GaugeMetricFamily("balai_outbox_lag_seconds", "Age of the oldest undrained outbox event (0 = none).")
        oldest = row["oldest"]
        lag.add_metric([], (timezone.now() - oldest).total_seconds() if oldest else 0.0)
        yield pending
        yield lag


# --- exposition -----------------------------------------------------------------------


class _ThisProcess(Collector):
    def collect(self) -> Iterator[Any]:
        yield from REGISTRY.collect()


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def registry(extra: Iterable[Collector] = ()) -> CollectorRegistry:
    """What a scrape sees: every process's samples in multiprocess mode, else this process's."""
    extra = list(extra)
    if multiprocess_dir():
        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
    elif not extra:
        return REGISTRY
    else:
        merged = CollectorRegistry()
        merged.register(_ThisProcess())
    for collector in extra:
        merged.register(collector)
    return merged


def exposition(extra: Iterable[Collector] = ()) -> bytes:
    return generate_latest(registry(extra))


@cache
def _networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    raw = os.environ.get("BALAI_METRICS_NETWORKS", "127.0.0.0/8,::1/128")
    return tuple(ipaddress.ip_network(n.strip(), strict=False) for n in raw.split(",") if n.strip())


def token() -> str:
    return os.environ.get("BALAI_METRICS_TOKEN", "")


def authorised(*, authorization: str, remote_addr: str) -> bool:
    expected = token()
    if expected:
        return hmac.compare_digest(authorization.encode(), f"Bearer {expected}".encode())
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    return any(address in network for network in _networks())


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not authorised(
        authorization=request.META.get("HTTP_AUTHORIZATION", ""), remote_addr=request.META.get("REMOTE_ADDR", "")
    ):
        return HttpResponse("Halaman tidak ditemukan.", status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


def reset_for_tests() -> None:
    _networks.cache_clear()


def wsgi_app(extra: Iterable[Collector] = ()) -> Any:
    """The worker's metrics endpoint (a plain WSGI app, same access rule as /metrics)."""
    extra = list(extra)

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        if environ.get("PATH_INFO", "/") not in {"/", "/metrics"} or not authorised(
            authorization=environ.get("HTTP_AUTHORIZATION", ""), remote_addr=environ.get("REMOTE_ADDR", "")
        ):
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"not found"]
        try:
            body = exposition(extra)
        except Exception:  # a failing collector (database down) must not kill the endpoint
            body = exposition()
        start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST), ("Cache-Control", "no-store")])
        return [body]

    return app
