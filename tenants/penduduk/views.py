"""Operator pages of the population register."""

from __future__ import annotations

from typing import Any

from platform_core.web.access import VillageOperatorView
from tenants.penduduk.selectors import penduduk_list


class PendudukListView(VillageOperatorView):
    template_name = "penduduk/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()
        ctx["q"] = q
        ctx["penduduk"] = penduduk_list(q=q)[:100]
        return ctx
