"""Province, kabupaten and kecamatan consoles (apex domain)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from platform_core.accounts.models import Role
from platform_core.tenancy.models import Village
from platform_core.web.access import ConsoleView
from platform_core.web.charts import chart_config
from platform_core.wilayah.models import Kabupaten, Kecamatan, Provinsi


def wilayah_label(role: Role) -> str:
    """'Provinsi Lampung', 'Kabupaten Lampung Selatan', 'Kecamatan Candipuro' for a console role."""
    kode = role.kode_wilayah
    if role.tingkat == Role.Tingkat.PROVINSI:
        provinsi = Provinsi.objects.filter(kode=kode).first()
        return _("Provinsi %(nama)s") % {"nama": provinsi.nama if provinsi else kode}
    if role.tingkat == Role.Tingkat.KABUPATEN:
        kabupaten = Kabupaten.objects.filter(kode=kode).first()
        return kabupaten.nama_lengkap if kabupaten else kode
    kecamatan = Kecamatan.objects.filter(kode=kode).first()
    return _("Kecamatan %(nama)s") % {"nama": kecamatan.nama if kecamatan else kode}


class ConsoleHomeView(ConsoleView):
    """Villages in the role's region, grouped by kecamatan, with counts and one chart."""

    template_name = "provinsi/console_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        role = self.primary_role()
        prefix = role.kode_wilayah + "."
        villages = Village.objects.filter(kode__startswith=prefix).order_by("kode")
        kecamatan = list(
            Kecamatan.objects.filter(Q(kode=role.kode_wilayah) | Q(kode__startswith=prefix))
            .annotate(n=Count("villages"))
            .filter(n__gt=0)
            .select_related("kabupaten")
            .prefetch_related(Prefetch("villages", queryset=villages))
            .order_by("kode")
        )
        totals = villages.aggregate(semua=Count("pk"), kelurahan=Count("pk", filter=Q(jenis=Village.Jenis.KELURAHAN)))
        ctx["role"] = role
        ctx["role_label"] = role.get_tingkat_display()
        ctx["wilayah_label"] = wilayah_label(role)
        ctx["kecamatan"] = kecamatan
        ctx["jumlah_desa"] = totals["semua"]
        ctx["jumlah_kelurahan"] = totals["kelurahan"]
        ctx["jumlah_kecamatan"] = len(kecamatan)
        ctx["jumlah_kabupaten"] = len({k.kabupaten_id for k in kecamatan})
        ctx["show_kabupaten"] = role.tingkat == Role.Tingkat.PROVINSI
        per_kecamatan = [(kec.nama, kec.kabupaten.nama_lengkap, int(kec.n)) for kec in kecamatan]
        ctx["chart_title"], ctx["chart"] = self.chart(role, per_kecamatan, totals)
        return ctx

    @staticmethod
    def chart(
        role: Role, per_kecamatan: list[tuple[str, str, int]], totals: dict[str, int]
    ) -> tuple[str, dict[str, Any]]:
        """Province: villages per kabupaten; kabupaten: per kecamatan; kecamatan: desa vs kelurahan."""
        if role.tingkat == Role.Tingkat.PROVINSI:
            per_kabupaten: dict[str, int] = {}
            for _kecamatan, kabupaten, n in per_kecamatan:
                per_kabupaten[kabupaten] = per_kabupaten.get(kabupaten, 0) + n
            rows: list[tuple[str, int]] = list(per_kabupaten.items())
            return _("Desa/kelurahan per kabupaten/kota"), chart_config(
                "bar", rows, label=_("Desa/kelurahan"), horizontal=True
            )
        if role.tingkat == Role.Tingkat.KABUPATEN:
            rows = [(kecamatan, n) for kecamatan, _kabupaten, n in per_kecamatan]
            return _("Desa/kelurahan per kecamatan"), chart_config(
                "bar", rows, label=_("Desa/kelurahan"), horizontal=True
            )
        rows = [(_("Desa"), totals["semua"] - totals["kelurahan"]), (_("Kelurahan"), totals["kelurahan"])]
        return _("Desa dan kelurahan"), chart_config(
            "doughnut", rows, label=_("Desa/kelurahan"), options={"plugins": {"legend": {"position": "bottom"}}}
        )
