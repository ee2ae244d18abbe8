"""Province, kabupaten and kecamatan consoles (apex domain)."""

from __future__ import annotations

from typing import Any

from platform_core.tenancy.models import Village
from platform_core.web.access import ConsoleView


class ConsoleHomeView(ConsoleView):
    template_name = "provinsi/console_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        role = self.primary_role()
        villages = Village.objects.filter(kode__startswith=role.kode_wilayah + ".").select_related("kecamatan")
        ctx["role"] = role
        ctx["villages"] = villages.order_by("kode")[:500]
        ctx["jumlah_desa"] = villages.count()
        return ctx
