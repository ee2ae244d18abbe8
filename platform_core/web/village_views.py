"""Pages on a village subdomain: the public portal home and the operator's home."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from platform_core.web.access import VillageOperatorView


class VillageHomeView(TemplateView):
    template_name = "web/village_home.html"


class OperatorHomeView(VillageOperatorView):
    template_name = "web/operator_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from tenants.penduduk.selectors import penduduk_count

        ctx = super().get_context_data(**kwargs)
        ctx["jumlah_penduduk"] = penduduk_count()
        return ctx
