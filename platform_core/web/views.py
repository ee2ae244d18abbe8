"""Pages shared by every site: sign-in, sign-out, the province's public page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Count, Prefetch
from django.views.generic import TemplateView

from platform_core.tenancy.models import Village
from platform_core.wilayah.models import Kabupaten, Kecamatan


class MasukForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Nama pengguna atau kata sandi salah, atau akun ini tidak berhak masuk di situs ini.",
        "inactive": "Akun ini tidak aktif.",
    }


class MasukView(auth_views.LoginView):
    template_name = "web/masuk.html"
    authentication_form = MasukForm
    redirect_authenticated_user = False

    def get_default_redirect_url(self) -> str:
        return "/operator/" if getattr(self.request, "tenant", None) is not None else "/konsol/"


class KeluarView(auth_views.LogoutView):
    next_page = "/"


class ProvinceHomeView(TemplateView):
    """Public: kabupaten -> kecamatan -> villages provisioned in Balai."""

    template_name = "web/province_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        villages = Village.objects.select_related(None).prefetch_related("domains").order_by("kode")
        kecamatan = (
            Kecamatan.objects.annotate(n=Count("villages"))
            .filter(n__gt=0)
            .prefetch_related(Prefetch("villages", queryset=villages))
        )
        ctx["kabupaten"] = (
            Kabupaten.objects.annotate(n=Count("kecamatan__villages"))
            .prefetch_related(Prefetch("kecamatan", queryset=kecamatan, to_attr="kecamatan_aktif"))
            .order_by("kode")
        )
        ctx["total_villages"] = Village.objects.count()
        return ctx
