"""Two middleware: the outermost one answers probes and /metrics and times every request;
the one after VillageRoutingMiddleware puts the village's code on the log context."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase

from platform_core.observability import context, health, metrics

Handler = Callable[[HttpRequest], HttpResponseBase]


class ObservabilityMiddleware:
    """First in MIDDLEWARE. /sehat/, /siap/ and /metrics are answered here, on any Host
    (the kubelet and Prometheus call a pod by its IP), before ALLOWED_HOSTS, the HTTPS
    redirect, host routing and sessions: no per-village work, nothing to sign in to.
    Every other request is counted and timed by view name (never by village)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.direct: dict[str, Handler] = {**health.PROBES, "/metrics": metrics.metrics_view}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        direct = self.direct.get(request.path_info)
        if direct is not None:
            return direct(request)
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        tenant = getattr(request, "tenant", None)
        metrics.observe_request(
            view=(match.view_name or "-") if match is not None else "unmatched",
            method=request.method if request.method in KNOWN_METHODS else "other",
            status=response.status_code,
            kabupaten=getattr(tenant, "kabupaten_kode", None) or context.APEX,
            seconds=time.perf_counter() - start,
        )
        if request.method == "HEAD" and isinstance(response, HttpResponse):
            # Headers only (RFC 9110); gunicorn would drop the body itself, with a warning per request.
            response.content = b""
        return response


KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class VillageLogContextMiddleware:
    """Right after VillageRoutingMiddleware: every log line of this request carries the
    village's Kemendagri code (`desa`), "-" on the apex."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        tenant = getattr(request, "tenant", None)
        with context.desa(getattr(tenant, "kode", None)):
            return self.get_response(request)
