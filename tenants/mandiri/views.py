"""Resident pages of layanan mandiri (village subdomain, under /layanan/), phone first, and the kiosk.

Sign-in, kiosk sign-in and PIN reset are public pages that show no personal data. Everything else is a
WargaView (tenants.mandiri.akses): a resident session or a redirect to the sign-in. Pages read through
selectors and write through services; the letters go through tenants.surat's contract (views_surat).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from tenants.mandiri import akses, services, throttle
from tenants.mandiri.akses import WargaView
from tenants.mandiri.forms import GantiPinForm, MasukForm, ResetMintaForm, ResetSelesaiForm


def _next(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}) and url.startswith("/layanan/"):
        return url
    return ""


def _no_store(response: HttpResponseBase) -> HttpResponseBase:
    response.headers["Cache-Control"] = "no-store"
    return response


class _Publik(TemplateView):
    """Public pages of self-service: only on a village host, never for a signed-in operator."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if akses.village_of(request) is None:
            from django.http import Http404

            raise Http404("Halaman tidak ditemukan.")
        if request.user.is_authenticated:
            return akses.bukan_untuk_operator(request)
        return _no_store(super().dispatch(request, *args, **kwargs))


class MasukView(_Publik):
    """Sign-in with NIK + PIN. Every failure reads the same; too many attempts read 'wait'."""

    template_name = "mandiri/masuk.html"
    kanal = akses.MANDIRI

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if akses.warga_dari_sesi(request) is not None:
            return HttpResponseRedirect(_next(request) or reverse("mandiri:beranda"))
        return self.render_to_response(self.get_context_data(form=MasukForm()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = MasukForm(request.POST)
        status = 200
        if form.is_valid():
            try:
                row = services.masuk(
                    nik=form.cleaned_data["nik"], pin=form.cleaned_data["pin"], addr=throttle.alamat(request)
                )
            except services.WargaTerkunci:
                form.add_error(None, throttle.PESAN_TERKUNCI)
                status = 429
            else:
                if row is not None:
                    akses.sesi_mulai(request, pin_warga=row, kanal=self.kanal)
                    target = reverse("mandiri:ganti-pin") if row.sekali_pakai else _next(request)
                    response = HttpResponseRedirect(target or reverse("mandiri:beranda"))
                    if self.kanal == akses.MANDIRI:  # a phone that once opened the kiosk page is a phone again
                        response.delete_cookie(akses.COOKIE_ANJUNGAN)
                    return response
                form.add_error(None, services.PESAN_MASUK_GAGAL)
        # The typed PIN is never sent back.
        data = request.POST.copy()
        data["pin"] = ""
        form.data = data
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["next"] = _next(self.request)
        ctx["kedaluwarsa"] = getattr(self.request, "warga_kedaluwarsa", False) or self.request.GET.get("habis") == "1"
        ctx["anjungan"] = self.kanal == akses.ANJUNGAN
        return ctx


class AnjunganView(MasukView):
    """The kiosk (anjungan) in the balai desa: the same sign-in on an on-screen keypad; marks this browser
    as the kiosk so that every later sign-in redirect comes back here."""

    template_name = "mandiri/anjungan.html"
    kanal = akses.ANJUNGAN

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        response.set_cookie(
            akses.COOKIE_ANJUNGAN,
            "1",
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=self.request.is_secure(),
        )
        return response


class KeluarView(View):
    """Sign out (POST). The kiosk goes back to its keypad."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        if akses.village_of(request) is None or request.user.is_authenticated:
            return akses.bukan_untuk_operator(request)
        akses.sesi_akhiri(request)
        url = akses.url_masuk(request)
        if request.POST.get("habis") == "1":
            url += "?habis=1"
        return HttpResponseRedirect(url)


class GantiPinView(WargaView):
    template_name = "mandiri/ganti_pin.html"
    boleh_saat_wajib_ganti_pin = True

    def form(self, data: Any = None) -> GantiPinForm:
        form = GantiPinForm(data)
        return form.untuk_anjungan() if self.warga.anjungan else form

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            try:
                row = services.pin_ganti(pin_warga=self.warga.pin_warga, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                akses.sesi_perbarui(request, pin_warga=row)
                messages.success(request, "PIN baru tersimpan. Ingat PIN ini dan jangan berikan kepada siapa pun.")
                return HttpResponseRedirect(reverse("mandiri:beranda"))
        form.data = {}
        return self.render_to_response(self.get_context_data(form=form))


class ResetMintaView(_Publik):
    """'Lupa PIN': ask for a code to the verified phone. The same page follows whatever the NIK is."""

    template_name = "mandiri/reset_minta.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=ResetMintaForm()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ResetMintaForm(request.POST)
        if form.is_valid():
            try:
                services.reset_minta(nik=form.cleaned_data["nik"], addr=throttle.alamat(request))
            except services.WargaTerkunci:
                form.add_error(None, throttle.PESAN_RESET_TERLALU_SERING)
                return self.render_to_response(self.get_context_data(form=form), status=429)
            return HttpResponseRedirect(reverse("mandiri:reset-selesai") + "?dikirim=1")
        return self.render_to_response(self.get_context_data(form=form))


class ResetSelesaiView(_Publik):
    """Type the code and a new PIN."""

    template_name = "mandiri/reset_selesai.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ctx = self.get_context_data(form=ResetSelesaiForm(), dikirim=request.GET.get("dikirim") == "1")
        return self.render_to_response(ctx)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ResetSelesaiForm(request.POST)
        status = 200
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.reset_selesaikan(
                    nik=data["nik"],
                    kode=data["kode"],
                    pin_baru=data["pin_baru"],
                    pin_ulang=data["pin_ulang"],
                    addr=throttle.alamat(request),
                )
            except services.WargaTerkunci:
                form.add_error(None, throttle.PESAN_TERKUNCI)
                status = 429
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "PIN baru tersimpan. Silakan masuk dengan NIK dan PIN baru.")
                return HttpResponseRedirect(reverse("mandiri:masuk"))
        form.data = {"nik": request.POST.get("nik", "")}
        return self.render_to_response(self.get_context_data(form=form), status=status)
