"""Routes each request to the province (apex domain) or to one village schema."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponsePermanentRedirect, JsonResponse
from django.http.request import split_domain_port
from django.template.loader import render_to_string
from django.urls import set_urlconf
from django.utils.http import url_has_allowed_host_and_scheme

from platform_core.tenancy import routing, schemas
from platform_core.tenancy.models import Village

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# A suspended village still lets people sign in and out (they write only the public session
# tables) and switch the language (a cookie).
WRITABLE_WHEN_SUSPENDED = ("/masuk/", "/keluar/", "/i18n/")

PESAN_DITANGGUHKAN = "Layanan desa ini sedang ditangguhkan: hanya dapat dibaca. Perubahan tidak disimpan."
PESAN_PENSIUN = "Desa ini sudah tidak aktif. Datanya disimpan oleh pemerintah provinsi, tetapi situsnya ditutup."
PESAN_PINDAH = "Alamat desa ini sudah pindah. Kirim ulang permintaan ke alamat baru: {url}"


def wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith("/api/") or ("application/json" in accept and "text/html" not in accept)


class VillageRoutingMiddleware:
    """Replaces django-tenants' TenantMainMiddleware.

    - apex (BASE_DOMAIN, 127.0.0.1): public schema, province URLconf, request.tenant None
    - <slug>.<BASE_DOMAIN>: that village's schema, village URLconf
    - an old domain of a renamed village: 301 to the same path on the new domain (safe methods);
      other methods get a clear error naming the new address
    - a retired village: 410 "desa ini sudah tidak aktif" for every request
    - a suspended village: reads as usual (read-only database session), writes refused with 423
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
            if request.path.startswith("/admin/"):
                # django-tenants' admin templates (app_list, index) read request.tenant.schema_name
                # whenever the attribute exists; without it they treat the request as public.
                del request.tenant  # type: ignore[attr-defined]
            schemas.activate(None)
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF  # type: ignore[attr-defined]
            set_urlconf(request.urlconf)  # type: ignore[attr-defined]
            return self.get_response(request)
        route = routing.resolve(hostname)
        if route is None:
            return self.not_found(request, hostname)
        if route.moved_to:
            return self.moved(request, route.moved_to)
        return self.village(request, hostname, route.village)

    def village(self, request: HttpRequest, hostname: str, village: Village) -> HttpResponseBase:
        if village.pensiun:
            return self.retired(request, village)
        village.domain_url = hostname  # type: ignore[assignment]  # django-tenants declares it None
        request.tenant = village  # type: ignore[attr-defined]
        writable = request.path.startswith(WRITABLE_WHEN_SUSPENDED)
        schemas.activate(village, writable=writable)
        request.urlconf = settings.ROOT_URLCONF  # type: ignore[attr-defined]
        if village.hanya_baca and request.method not in SAFE_METHODS and not writable:
            return self.suspended(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A write the checks above missed (a GET with side effects) hit the read-only session."""
        village = getattr(request, "tenant", None)
        if isinstance(village, Village) and schemas.is_read_only_error(exception):
            return self.suspended(request)
        return None

    # --- answers ----------------------------------------------------------------------------

    def suspended(self, request: HttpRequest) -> HttpResponse:
        if wants_json(request):
            return JsonResponse({"detail": PESAN_DITANGGUHKAN, "kode": "desa_ditangguhkan"}, status=423)
        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = "/"
        context = {"pesan": PESAN_DITANGGUHKAN, "kembali": back}
        body = render_to_string("tenancy/ditangguhkan.html", context, request=request)
        return HttpResponse(body, status=423)

    def retired(self, request: HttpRequest, village: Village) -> HttpResponse:
        schemas.activate(None)
        request.tenant = None  # type: ignore[attr-defined]
        if wants_json(request):
            return JsonResponse({"detail": PESAN_PENSIUN, "kode": "desa_pensiun"}, status=410)
        body = render_to_string(
            "tenancy/pensiun.html", {"desa": village, "pesan": PESAN_PENSIUN, "apex": self.apex_address(request)}
        )
        return HttpResponse(body, status=410)

    def moved(self, request: HttpRequest, new_host: str) -> HttpResponse:
        schemas.activate(None)
        request.tenant = None  # type: ignore[attr-defined]
        port = split_domain_port(request.get_host())[1]  # as the browser asked (behind a proxy too)
        default_port = "443" if request.scheme == "https" else "80"
        netloc = new_host + (f":{port}" if port and port != default_port else "")
        url = f"{request.scheme}://{netloc}{request.get_full_path()}"
        if request.method in SAFE_METHODS:
            return HttpResponsePermanentRedirect(url)
        detail = PESAN_PINDAH.format(url=url)
        if wants_json(request):
            response: HttpResponse = JsonResponse({"detail": detail, "alamat_baru": url}, status=410)
        else:
            body = render_to_string("tenancy/pindah.html", {"url": url, "pesan": detail})
            response = HttpResponse(body, status=410)
        response["Location"] = url
        return response

    def apex_address(self, request: HttpRequest) -> str:
        port = request.get_port()
        return settings.BASE_DOMAIN + (f":{port}" if port not in ("", "80", "443") else "")

    def not_found(self, request: HttpRequest, hostname: str) -> HttpResponse:
        schemas.activate(None)
        request.tenant = None  # type: ignore[attr-defined]
        port = request.get_port() if hostname else ""
        apex = settings.BASE_DOMAIN + (f":{port}" if port not in ("", "80", "443") else "")
        body = render_to_string("errors/unknown_village.html", {"hostname": hostname, "apex": apex})
        return HttpResponse(body, status=404)
