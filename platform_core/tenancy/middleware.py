"""Routes each request to the province (apex domain) or to one village schema."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.urls import set_urlconf

from platform_core.tenancy import routing, schemas


class VillageRoutingMiddleware:
    """Replaces django-tenants' TenantMainMiddleware.

    - apex (BASE_DOMAIN, 127.0.0.1): public schema, province URLconf, request.tenant None
    - <slug>.<BASE_DOMAIN>: that village's schema, village URLconf
    - anything else: an Indonesian 404 page, no stack trace
    The search_path is set once here (TENANT_LIMIT_SET_CALLS); no per-cursor SET.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.apex = {settings.BASE_DOMAIN, "127.0.0.1", "[::1]"}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            hostname = request.get_host().rsplit(":", 1)[0].lower()
        except DisallowedHost:
            return self.not_found(request, "")
        if hostname.startswith("www."):
            hostname = hostname[4:]
        if hostname in self.apex:
            request.tenant = None  # type: ignore[attr-defined]  # set on every request by this middleware
            schemas.activate(None)
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF  # type: ignore[attr-defined]
            set_urlconf(request.urlconf)  # type: ignore[attr-defined]
            return self.get_response(request)
        village = routing.lookup(hostname)
        if village is None:
            return self.not_found(request, hostname)
        village.domain_url = hostname
        request.tenant = village  # type: ignore[attr-defined]
        schemas.activate(village)
        request.urlconf = settings.ROOT_URLCONF  # type: ignore[attr-defined]
        return self.get_response(request)

    def not_found(self, request: HttpRequest, hostname: str) -> HttpResponse:
        schemas.activate(None)
        request.tenant = None  # type: ignore[attr-defined]
        port = request.get_port() if hostname else ""
        apex = settings.BASE_DOMAIN + (f":{port}" if port not in ("", "80", "443") else "")
        body = render_to_string("errors/unknown_village.html", {"hostname": hostname, "apex": apex})
        return HttpResponse(body, status=404)
