"""Operator pages for population statistics and the administration books (buku administrasi desa B).

Reads only (selectors in statistik.py and buku.py); downloads are built in the request and sent as attachments.
"""

from __future__ import annotations

import csv
import io
import tempfile
from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from openpyxl import Workbook
from openpyxl.styles import Font

from platform_core.web.access import VillageOperatorView
from platform_core.web.charts import chart_config
from tenants.penduduk.buku import (
    BULAN,
    DAFTAR_BUKU,
    REKAPITULASI,
    Buku,
    Periode,
    Pilihan,
    buku_baris,
    buku_jumlah_baris,
    buku_xlsx,
)
from tenants.penduduk.statistik import (
    DEFINISI,
    Baris,
    Rincian,
    SaringanStatus,
    pilihan_status,
    statistik_rincian,
    statistik_semua,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KOLOM_STATISTIK = ["Kode", "Kategori", "Laki-laki", "Perempuan", "Jumlah", "Persentase (%)"]
BARIS_PER_HALAMAN = 500
# Long code lists (pekerjaan, RT) chart only the categories that have someone; the table keeps the zeros.
GRAFIK_MAKS_KOSONG = 20


def grafik(rincian: Rincian) -> dict[str, Any]:
    """Chart.js config: a doughnut of totals, or bars stacked by sex (horizontal when there are many rows)."""
    rows = rincian.baris
    if len(rows) > GRAFIK_MAKS_KOSONG:
        rows = [b for b in rows if b.jumlah]
    if rincian.definisi.grafik == "doughnut":
        return chart_config(
            "doughnut",
            [(b.label, b.jumlah) for b in rows],
            label=rincian.definisi.satuan.capitalize(),
            options={"plugins": {"legend": {"position": "bottom"}}},
        )
    horizontal = len(rows) > 8  # beyond this, vertical labels overlap on a phone
    value_axis, category_axis = ("x", "y") if horizontal else ("y", "x")
    prefix = "" if rincian.definisi.sumber == "penduduk" else "Kepala "
    config = chart_config(
        "bar",
        [(b.label, b.laki_laki) for b in rows],
        label=f"{prefix}laki-laki".capitalize(),
        horizontal=horizontal,
        options={
            "plugins": {"legend": {"position": "bottom"}},
            "scales": {
                value_axis: {"stacked": True, "beginAtZero": True, "ticks": {"precision": 0}},
                category_axis: {"stacked": True},
            },
        },
    )
    config["data"]["datasets"].append({"label": f"{prefix}perempuan".capitalize(), "data": [b.perempuan for b in rows]})
    return config


def _ribuan(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Indonesian grouping: 12.345


def _persen(p: float) -> str:
    return f"{p:.2f}".replace(".", ",")  # Indonesian decimal comma: 33,33


def _sel(b: Baris) -> tuple[str, str, str, str, str, str, bool]:
    # Formatted here, not with intcomma/floatformat: a 90-row table renders several times faster.
    return (
        b.kode,
        b.label,
        _ribuan(b.laki_laki),
        _ribuan(b.perempuan),
        _ribuan(b.jumlah),
        _persen(b.persen),
        b.jumlah == 0,
    )


def _tbody(rincian: Rincian) -> SafeString:
    """The table body, escaped by format_html. Cell by cell in the template language the 90-row pekerjaan table
    alone took ~30 ms (measured at 15,000 residents), most of a breakdown's 50 ms budget."""
    return format_html_join(
        "\n",
        '<tr class="{}"><td class="d-none d-sm-table-cell">{}</td><td>{}</td>'
        '<td class="text-end">{}</td><td class="text-end">{}</td><td class="text-end fw-semibold">{}</td>'
        '<td class="text-end">{}</td></tr>',
        (("text-body-secondary" if kosong else "", *cells) for *cells, kosong in map(_sel, rincian.baris)),
    )


def _tampil(rincian: Rincian) -> dict[str, Any]:
    return {
        "r": rincian,
        "tbody": _tbody(rincian),
        "total": _sel(rincian.total),
        "grafik": grafik(rincian),
        "grafik_id": f"grafik-{rincian.kunci}",
    }


def _status_context(status: SaringanStatus) -> dict[str, Any]:
    return {"status": status, "pilihan_status": pilihan_status()}


class StatistikIndexView(VillageOperatorView):
    """Every breakdown on one page (four queries)."""

    template_name = "penduduk/statistik/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        status = SaringanStatus.dari(self.request.GET.get("status"))
        ctx.update(_status_context(status))
        ctx["daftar"] = [_tampil(r) for r in statistik_semua(status=status)]
        ctx["hari_ini"] = timezone.localdate()
        return ctx


class StatistikBreakdownView(VillageOperatorView):
    """One breakdown: table and chart."""

    template_name = "penduduk/statistik/breakdown.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        kunci = kwargs["kunci"]
        if kunci not in DEFINISI:
            raise Http404("Rincian statistik tidak dikenal.")
        status = SaringanStatus.dari(self.request.GET.get("status"))
        ctx.update(_status_context(status))
        ctx["item"] = _tampil(statistik_rincian(kunci=kunci, status=status))
        ctx["semua_definisi"] = list(DEFINISI.values())
        ctx["hari_ini"] = timezone.localdate()
        return ctx


def _nama_file(village_slug: str, nama: str, ext: str) -> str:
    return f"{nama}-{village_slug}-{timezone.localdate():%Y%m%d}.{ext}"


def statistik_csv(rincian: Rincian) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(KOLOM_STATISTIK)
    for b in [*rincian.baris, rincian.total]:
        writer.writerow([b.kode, b.label, b.laki_laki, b.perempuan, b.jumlah, f"{b.persen:.2f}"])
    return out.getvalue()


def statistik_xlsx(daftar: list[Rincian], *, judul_desa: str) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]  # a fresh workbook always has its default sheet
    bold = Font(bold=True)
    for r in daftar:
        ws = wb.create_sheet(title=r.kunci[:31])
        ws.append([f"Statistik penduduk: {r.judul}"])
        ws.append([judul_desa])
        ws.append([f"Dihitung: {r.status_label}; per {timezone.localdate():%d-%m-%Y}"])
        ws.append([])
        ws.append(KOLOM_STATISTIK)
        for cell in ws[1] + ws[5]:
            cell.font = bold
        for b in r.baris:
            ws.append([b.kode, b.label, b.laki_laki, b.perempuan, b.jumlah, b.persen])
        t = r.total
        ws.append(["", "Jumlah", t.laki_laki, t.perempuan, t.jumlah, t.persen])
        for cell in ws[ws.max_row]:
            cell.font = bold
        ws.column_dimensions["B"].width = 40
        ws.column_dimensions["F"].width = 14
        ws.freeze_panes = "A6"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class StatistikDownloadView(VillageOperatorView):
    """?kunci=<kunci>|semua&format=xlsx|csv&status=... as an attachment (CSV needs one breakdown)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        kunci = request.GET.get("kunci", "semua") or "semua"
        fmt = request.GET.get("format", "xlsx")
        status = SaringanStatus.dari(request.GET.get("status"))
        if (
            fmt not in {"xlsx", "csv"}
            or (kunci != "semua" and kunci not in DEFINISI)
            or (fmt, kunci) == ("csv", "semua")
        ):
            raise Http404("Unduhan tidak dikenal: pilih satu rincian dan format xlsx atau csv.")
        judul_desa = f"{self.village.sebutan} {self.village.nama}"
        if fmt == "csv":
            body = statistik_csv(statistik_rincian(kunci=kunci, status=status))
            response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")  # BOM: Excel reads UTF-8
        else:
            daftar = (
                statistik_semua(status=status) if kunci == "semua" else [statistik_rincian(kunci=kunci, status=status)]
            )
            response = HttpResponse(statistik_xlsx(daftar, judul_desa=judul_desa), content_type=XLSX)
        name = _nama_file(self.village.slug, f"statistik-{kunci}", fmt)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


# --- buku administrasi -----------------------------------------------------------------------------


class BukuIndexView(VillageOperatorView):
    template_name = "penduduk/buku/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["daftar_buku"] = list(DAFTAR_BUKU.values())
        return ctx


def _pilihan(request: HttpRequest, buku: Buku) -> Pilihan:
    periode = Periode.dari(
        tahun=request.GET.get("tahun"), bulan=request.GET.get("bulan"), wajib_bulan=buku.berperiode == "bulan"
    )
    return Pilihan(periode=periode, status=SaringanStatus.dari(request.GET.get("status")))


class BukuView(VillageOperatorView):
    """One book: a page of rows as printable HTML, or the whole book as .xlsx (?format=xlsx)."""

    template_name = "penduduk/buku/buku.html"

    def _buku(self) -> Buku:
        buku = DAFTAR_BUKU.get(self.kwargs["kode"])
        if buku is None:
            raise Http404("Buku administrasi tidak dikenal.")
        return buku

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        buku = self._buku()
        if request.GET.get("format") != "xlsx":
            return super().get(request, *args, **kwargs)
        pilihan = _pilihan(request, buku)
        judul_desa = f"{self.village.sebutan} {self.village.nama}, Kec. {self.village.kecamatan.nama}"
        # Spooled: small books stay in memory, the big ones go to disk rather than RAM.
        out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115  # FileResponse closes it
        buku_xlsx(buku=buku, pilihan=pilihan, judul_desa=judul_desa, out=out)
        out.seek(0)
        suffix = f"-{pilihan.periode.tahun}{pilihan.periode.bulan or 0:02d}" if buku.berperiode else ""
        name = _nama_file(self.village.slug, f"buku-{buku.nomor.replace('.', '')}-{buku.kode}{suffix}", "xlsx")
        response = FileResponse(out, as_attachment=True, filename=name, content_type=XLSX)
        return response  # type: ignore[return-value]  # a streamed file; TemplateView.get() is typed HttpResponse

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        buku = self._buku()
        pilihan = _pilihan(self.request, buku)
        ctx.update(buku=buku, pilihan=pilihan, hari_ini=timezone.localdate(), **_status_context(pilihan.status))
        ctx["bulan_list"] = list(enumerate(BULAN, 1))
        this_year = timezone.localdate().year
        ctx["tahun_list"] = list(range(this_year, this_year - 11, -1))
        query = self.request.GET.copy()
        query.pop("halaman", None)
        query.pop("format", None)
        ctx["query"] = query.urlencode()
        if buku is REKAPITULASI or not buku.berhalaman:
            ctx["baris"] = buku_baris(buku=buku, pilihan=pilihan)
            return ctx
        paginator = Paginator(range(buku_jumlah_baris(buku=buku, pilihan=pilihan)), BARIS_PER_HALAMAN)
        page = paginator.get_page(self.request.GET.get("halaman"))
        offset = (page.number - 1) * BARIS_PER_HALAMAN
        ctx["halaman"] = page
        ctx["baris"] = buku_baris(buku=buku, pilihan=pilihan, offset=offset, limit=BARIS_PER_HALAMAN)
        return ctx
