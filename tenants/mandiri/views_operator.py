"""Operator pages of layanan mandiri (the counter): find a resident, issue or revoke their PIN, record
their verified phone. A one-time PIN is shown once, on a printable slip, in the response to the POST
that made it (never stored in clear, never shown again)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from platform_core.accounts.models import User
from platform_core.web.access import VillageOperatorView
from tenants.mandiri import selectors, services
from tenants.mandiri.forms import CariPendudukForm, TeleponForm
from tenants.penduduk.models import Penduduk
from tenants.penduduk.selectors import penduduk_get


def nik_samaran(nik: str) -> str:
    """1801171506900003 -> 180117******0003 (printed slips and lists)."""
    return nik[:6] + "*" * max(len(nik) - 10, 0) + nik[-4:] if len(nik) > 10 else nik


class _Loket(VillageOperatorView):
    @property
    def petugas(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def penduduk(self) -> Penduduk:
        found = penduduk_get(pk=self.kwargs["pk"])
        if found is None:
            raise Http404("Penduduk tidak ditemukan.")
        return found


class IndexView(_Loket):
    template_name = "mandiri/operator/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        form = CariPendudukForm(self.request.GET or None)
        q = form.cleaned_data["q"] if form.is_valid() else ""
        ctx["form"] = form
        ctx["q"] = q
        ctx["hasil"] = selectors.penduduk_cari(q=q)
        ctx["ringkasan"] = selectors.pin_ringkasan()
        return ctx


class PendudukView(_Loket):
    template_name = "mandiri/operator/penduduk.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        p = self.penduduk()
        row = selectors.pin_warga_of(penduduk=p)
        ctx["p"] = p
        ctx["row"] = row
        ctx["terkunci"] = bool(row and row.terkunci_sampai and row.terkunci_sampai > timezone.now())
        ctx.setdefault("telepon_form", TeleponForm(initial={"telepon": row.telepon_terverifikasi if row else ""}))
        return ctx


class PinTerbitkanView(_Loket):
    """POST: a new one-time PIN, answered with the slip (no redirect: the PIN exists only in this answer)."""

    template_name = "mandiri/operator/slip.html"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        p = self.penduduk()
        try:
            row, pin = services.pin_terbitkan(penduduk=p, oleh=self.petugas)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
            return HttpResponseRedirect(reverse("layanan_operator:penduduk", args=[p.pk]))
        ctx = self.get_context_data(
            p=p,
            nik=nik_samaran(p.nik),
            pin=pin,
            berlaku_sampai=row.diterbitkan_pada + services.PIN_SEKALI_PAKAI_BERLAKU if row.diterbitkan_pada else None,
            url_layanan=request.build_absolute_uri(reverse("mandiri:masuk")),
        )
        response = self.render_to_response(ctx)
        response.headers["Cache-Control"] = "no-store"
        return response


class PinCabutView(_Loket):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        p = self.penduduk()
        services.pin_cabut(penduduk=p, oleh=self.petugas)
        messages.success(request, "PIN dicabut: warga tidak bisa masuk sampai PIN baru diterbitkan.")
        return HttpResponseRedirect(reverse("layanan_operator:penduduk", args=[p.pk]))


class TeleponView(PendudukView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        p = self.penduduk()
        form = TeleponForm(request.POST)
        if form.is_valid():
            try:
                services.telepon_atur(penduduk=p, telepon=form.cleaned_data["telepon"], oleh=self.petugas)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "Nomor HP terverifikasi tersimpan.")
                return HttpResponseRedirect(reverse("layanan_operator:penduduk", args=[p.pk]))
        return self.render_to_response(self.get_context_data(telepon_form=form))
