"""Pages shared by every site: sign-in, sign-out, the province's public page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from platform_core.tenancy.models import Village
from platform_core.wilayah.models import Kabupaten, Kecamatan, Provinsi


def current_provinsi() -> Provinsi | None:
    """The province this deployment serves (one per deployment)."""
    return Provinsi.objects.order_by("kode").first()


class MasukForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah, atau akun ini tidak berhak masuk di situs ini. "
            "Periksa lagi, atau minta bantuan admin kabupaten."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi admin kabupaten untuk mengaktifkannya."),
    }


class MasukView(auth_views.LoginView):
    template_name = "web/masuk.html"
    authentication_form = MasukForm
    redirect_authenticated_user = False

    def get_default_redirect_url(self) -> str:
        return "/operator/" if getattr(self.request, "tenant", None) is not None else "/konsol/"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        on_village = getattr(self.request, "tenant", None) is not None
        ctx["layout"] = "layouts/portal.html" if on_village else "layouts/province.html"
        if not on_village:
            ctx["provinsi"] = current_provinsi()
        return ctx


class KeluarView(auth_views.LogoutView):
    next_page = "/"


class ProvinceHomeView(TemplateView):
    """Public: kabupaten -> kecamatan -> villages provisioned in Balai."""

    template_name = "web/province_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        villages = Village.objects.belum_pensiun().order_by("kode")
        kecamatan = (
            Kecamatan.objects.annotate(n=Count("villages"))
            .filter(n__gt=0)
            .order_by("kode")
            .prefetch_related(Prefetch("villages", queryset=villages))
        )
        kabupaten = list(
            Kabupaten.objects.annotate(n=Count("kecamatan__villages"))
            .filter(n__gt=0)
            .prefetch_related(Prefetch("kecamatan", queryset=kecamatan, to_attr="kecamatan_aktif"))
            .order_by("kode")
        )
        ctx["provinsi"] = current_provinsi()
        ctx["kabupaten"] = kabupaten
        ctx["jumlah_kabupaten"] = len(kabupaten)
        ctx["jumlah_kecamatan"] = sum(len(k.kecamatan_aktif) for k in kabupaten)
        ctx["total_villages"] = sum(k.n for k in kabupaten)
        return ctx
