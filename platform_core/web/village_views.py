"""Pages on a village subdomain: the public portal home and the operator's home."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from platform_core.web.access import VillageOperatorView
from platform_core.web.charts import chart_config


class VillageHomeView(TemplateView):
    template_name = "web/village_home.html"


class OperatorHomeView(VillageOperatorView):
    template_name = "web/operator_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from tenants.penduduk.selectors import keluarga_count, penduduk_count, penduduk_per_jenis_kelamin

        ctx = super().get_context_data(**kwargs)
        per_jenis_kelamin = penduduk_per_jenis_kelamin()
        ctx["jumlah_penduduk"] = penduduk_count()
        ctx["jumlah_keluarga"] = keluarga_count()
        ctx["per_jenis_kelamin"] = per_jenis_kelamin
        ctx["chart_jenis_kelamin"] = chart_config(
            "doughnut", per_jenis_kelamin, label=_("Penduduk"), options={"plugins": {"legend": {"position": "bottom"}}}
        )
        return ctx
