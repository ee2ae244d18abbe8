"""Who the resident is: their own session (web) or token (API), never a Django User.

Residents are not operators. A resident session is a Django session holding the resident's id, the
village schema it was opened on, the credential's generation (bumped on PIN change/reset/revoke, which
ends every session and token at once) and the channel (phone "mandiri" or kiosk "anjungan"). Both are
checked on every request against the current village and the credential row, with a server-side idle
limit (short for the kiosk). Resident pages refuse operator sessions (403) and operator pages never
see a resident (no Django user in the session).

API tokens are signed (Django's signing, salted, time-stamped) and carry the same four facts; no table.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from platform_core.tenancy.models import Village
from tenants.mandiri import selectors
from tenants.mandiri.models import PinWarga
from tenants.penduduk.models import Penduduk

MANDIRI = "mandiri"
ANJUNGAN = "anjungan"

SESI_PENDUDUK = "warga.penduduk"
SESI_DESA = "warga.desa"
SESI_GENERASI = "warga.generasi"
SESI_KANAL = "warga.kanal"
SESI_AKTIF = "warga.aktif"

# Server-side idle limits; the kiosk's screen timer (anjungan.js) signs out earlier on its own.
DIAM_DETIK = {MANDIRI: 60 * 60, ANJUNGAN: 3 * 60}
SESI_MAKS_DETIK = {MANDIRI: 12 * 60 * 60, ANJUNGAN: 3 * 60}  # cookie/session row expiry

TOKEN_SALT = "balai.mandiri.token"  # noqa: S105  # a signing salt, not a secret
TOKEN_BERLAKU_DETIK = 30 * 24 * 60 * 60
COOKIE_ANJUNGAN = "balai_anjungan"  # this browser is the kiosk: sign-in redirects go to the keypad


@dataclass
class Warga:
    """A signed-in resident (request.user of the resident API; `view.warga` on resident pages)."""

    pin_warga: PinWarga
    kanal: str

    is_authenticated = True
    is_anonymous = False

    @property
    def penduduk(self) -> Penduduk:
        return self.pin_warga.penduduk

    @property
    def penduduk_id(self) -> int:
        return self.pin_warga.penduduk_id

    @property
    def wajib_ganti_pin(self) -> bool:
        return self.pin_warga.sekali_pakai

    @property
    def anjungan(self) -> bool:
        return self.kanal == ANJUNGAN


def village_of(request: HttpRequest) -> Village | None:
    tenant = getattr(request, "tenant", None)
    return tenant if isinstance(tenant, Village) else None


def _operator_signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


# --- web session ------------------------------------------------------------------------------


def sesi_mulai(request: HttpRequest, *, pin_warga: PinWarga, kanal: str) -> None:
    """A new session (new key: no fixation; any operator sign-in in this browser ends)."""
    village = village_of(request)
    assert village is not None
    request.session.flush()
    request.session[SESI_PENDUDUK] = pin_warga.penduduk_id
    request.session[SESI_DESA] = village.schema_name
    request.session[SESI_GENERASI] = pin_warga.generasi
    request.session[SESI_KANAL] = kanal
    request.session[SESI_AKTIF] = int(time.time())
    request.session.set_expiry(SESI_MAKS_DETIK[kanal])


def sesi_perbarui(request: HttpRequest, *, pin_warga: PinWarga) -> None:
    """After the resident changed their own PIN: the session follows the new generation (others end)."""
    request.session.cycle_key()
    request.session[SESI_GENERASI] = pin_warga.generasi


def sesi_akhiri(request: HttpRequest) -> None:
    request.session.flush()


def warga_dari_sesi(request: HttpRequest) -> Warga | None:
    """The resident of this request's session, or None (ended sessions are flushed on the way)."""
    village = village_of(request)
    session = request.session
    penduduk_id = session.get(SESI_PENDUDUK)
    if village is None or penduduk_id is None or _operator_signed_in(request):
        return None
    kanal = session.get(SESI_KANAL, MANDIRI)
    now = int(time.time())
    if session.get(SESI_DESA) != village.schema_name:
        return None  # another village's session (host-only cookies make this unlikely): not here
    if kanal not in DIAM_DETIK or now - int(session.get(SESI_AKTIF, 0)) > DIAM_DETIK[kanal]:
        session.flush()
        request.warga_kedaluwarsa = True  # type: ignore[attr-defined]  # the sign-in page says why
        return None
    row = selectors.pin_warga_sesi(penduduk_id=int(penduduk_id))
    if row is None or row.generasi != session.get(SESI_GENERASI):
        session.flush()
        return None
    if kanal == ANJUNGAN or now - int(session.get(SESI_AKTIF, 0)) > 60:
        session[SESI_AKTIF] = now  # the kiosk on every request; a phone at most once a minute
    return Warga(pin_warga=row, kanal=kanal)


def url_masuk(request: HttpRequest, *, next_url: str = "") -> str:
    """The resident sign-in (the keypad on the kiosk), with where to go next and why the session ended."""
    name = "mandiri:anjungan" if request.COOKIES.get(COOKIE_ANJUNGAN) else "mandiri:masuk"
    query = {}
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        query["next"] = next_url
    if getattr(request, "warga_kedaluwarsa", False):
        query["habis"] = "1"
    return reverse(name) + ("?" + urlencode(query) if query else "")


class WargaView(TemplateView):
    """Base of every resident page: a resident session or a redirect to the resident sign-in.

    An operator's session gets 403 (sign out first): residents and operators never share a session.
    A resident with a one-time PIN only reaches the PIN change page. Subclasses may not override
    dispatch(); `self.warga` is the resident.
    """

    boleh_saat_wajib_ganti_pin = False
    warga: Warga

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "dispatch" in cls.__dict__:
            raise TypeError(f"{cls.__name__} may not override dispatch(); access checks live in WargaView")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if village_of(request) is None:
            raise Http404("Halaman tidak ditemukan.")
        if _operator_signed_in(request):
            return bukan_untuk_operator(request)
        warga = warga_dari_sesi(request)
        if warga is None:
            return HttpResponseRedirect(url_masuk(request, next_url=request.get_full_path()))
        if warga.wajib_ganti_pin and not self.boleh_saat_wajib_ganti_pin:
            return HttpResponseRedirect(reverse("mandiri:ganti-pin"))
        self.warga = warga
        response = super().dispatch(request, *args, **kwargs)
        response.headers["Cache-Control"] = "no-store"  # personal pages: not on a shared kiosk's disk
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["warga"] = self.warga
        ctx["anjungan"] = self.warga.anjungan
        return ctx


def bukan_untuk_operator(request: HttpRequest) -> HttpResponse:
    return render(request, "mandiri/bukan_operator.html", status=403)


# --- API tokens -------------------------------------------------------------------------------


def token_buat(*, pin_warga: PinWarga, village: Village, kanal: str = MANDIRI) -> str:
    data = {"p": pin_warga.penduduk_id, "d": village.schema_name, "g": pin_warga.generasi, "k": kanal}
    return signing.dumps(data, salt=TOKEN_SALT)


def warga_dari_token(token: str, *, village: Village) -> Warga | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_BERLAKU_DETIK)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("d") != village.schema_name:
        return None
    row = selectors.pin_warga_sesi(penduduk_id=int(data.get("p", 0)))
    if row is None or row.generasi != data.get("g"):
        return None
    kanal = data.get("k") if data.get("k") in DIAM_DETIK else MANDIRI
    return Warga(pin_warga=row, kanal=str(kanal))


class WargaTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>` from POST /api/layanan/masuk/. Nothing else authenticates a
    resident on the API: no operator session, no Basic auth, no cookie (so no CSRF exposure)."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Warga, str] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        parts = header.split()
        if not parts or parts[0] != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Header Authorization tidak dikenal: 'Bearer <token>'.")
        village = village_of(request._request)
        if village is None:
            raise exceptions.NotFound()
        warga = warga_dari_token(parts[1], village=village)
        if warga is None:
            # NotAuthenticated, not AuthenticationFailed: the API's error shape says "please sign in".
            raise exceptions.NotAuthenticated("Token tidak berlaku lagi. Masuk lagi dengan NIK dan PIN.")
        return warga, parts[1]

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="layanan"'


class IsWarga(BasePermission):
    """A resident of this village with a PIN of their own (a one-time PIN only reaches the PIN change)."""

    message = "Ganti PIN sekali pakai dulu (POST /api/layanan/pin/)."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if village_of(request._request) is None:
            raise exceptions.NotFound()
        warga = request.user
        if not isinstance(warga, Warga):
            raise exceptions.NotAuthenticated("Masuk dulu dengan NIK dan PIN (POST /api/layanan/masuk/).")
        if warga.wajib_ganti_pin and not getattr(view, "boleh_saat_wajib_ganti_pin", False):
            raise exceptions.PermissionDenied(self.message)
        return True


class SiapaSaja(BasePermission):
    """The public resident endpoints (sign-in, reset): anyone, on a village host only."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if village_of(request._request) is None:
            raise exceptions.NotFound()
        return True
