"""Public transparency portal (transparansi/) and the command-center screen (layar/): no sign-in.

These pages show aggregates and public facts only: budgets, projects, published reports, population counts
and answered complaints WITHOUT the sender's name or contact. Figures are cached per village
(portal_cache: keyed by this module's write generation and the village's newest outbox event, so any
change recorded by any module shows at once). Kelurahan have no APBDes: finance sections are hidden and the
APBDes page answers 404.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView, View

from platform_core.tenancy.models import Village
from tenants.pembangunan import lintas_modul, portal_cache, selectors, services, unggahan
from tenants.pembangunan.forms import PengaduanForm
from tenants.pembangunan.models import JenisDokumen, StatusProyek
from tenants.pembangunan.reference import sumber_dana

logger = logging.getLogger(__name__)
PER_PAGE = 20
PENGADUAN_PER_JAM = 5
#: Short bidang names for charts on a phone (the tables carry the full names).
BIDANG_RINGKAS = {
    "01": "Pemerintahan",
    "02": "Pembangunan",
    "03": "Kemasyarakatan",
    "04": "Pemberdayaan",
    "05": "Bencana/darurat",
}
BULAN = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def _village(request: HttpRequest) -> Village:
    village = getattr(request, "tenant", None)
    if not isinstance(village, Village):
        raise Http404("Halaman tidak ditemukan.")
    return village


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 6 else None


def _f(value: Any) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def _persen(realisasi: Any, anggaran: Any) -> float | None:
    a = _f(anggaran)
    return round(_f(realisasi) / a * 100, 1) if a else None


# --- figures (cached) -------------------------------------------------------------------------------


def _apbdes(tahun: int | None) -> dict[str, Any] | None:
    """The finance module's summary of `tahun` (default: the newest year it has) plus chart configs."""
    tahun_list = lintas_modul.tahun_anggaran()
    if tahun is None:
        today = timezone.localdate().year
        tahun = today if today in tahun_list else (max(tahun_list) if tahun_list else None)
    if tahun is None or tahun not in tahun_list:
        return {"tahun_list": tahun_list, "ada": False, "tahun": tahun} if tahun_list else None
    r = lintas_modul.ringkasan_apbdes(tahun)
    if not r:
        return {"tahun_list": tahun_list, "ada": False, "tahun": tahun}
    bidang = [{**b, "selisih": _f(b.get("realisasi")) - _f(b.get("anggaran"))} for b in r.get("per_bidang") or []]
    sumber = list(r.get("per_sumber") or [])
    bulanan = lintas_modul.realisasi_bulanan(tahun)
    # The finance module gives cumulative monthly figures: how far the year has come.
    kumulatif = [
        (BULAN[int(row.get("bulan", 1)) - 1], round(_f(row.get("pendapatan"))), round(_f(row.get("belanja"))))
        for row in bulanan
    ]
    chart_bidang = {
        "type": "bar",
        "data": {
            "labels": [BIDANG_RINGKAS.get(str(b.get("kode")), str(b.get("nama") or b.get("kode"))) for b in bidang],
            "datasets": [
                {"label": "Anggaran", "data": [_f(b.get("anggaran")) for b in bidang]},
                {"label": "Realisasi", "data": [_f(b.get("realisasi")) for b in bidang]},
            ],
        },
        "options": {"indexAxis": "y", "plugins": {"legend": {"position": "bottom"}}},
    }
    chart_bulanan = {
        "type": "line",
        "data": {
            "labels": [k[0] for k in kumulatif],
            "datasets": [
                {"label": "Pendapatan diterima (kumulatif)", "data": [k[1] for k in kumulatif]},
                {"label": "Belanja dibayar (kumulatif)", "data": [k[2] for k in kumulatif]},
            ],
        },
        "options": {"plugins": {"legend": {"position": "bottom"}}},
    }
    dana_desa = [s for s in sumber if str(s.get("kode", "")).upper() in {"DDS", "ADD"}]
    return {
        "ada": True,
        "tahun": tahun,
        "tahun_list": tahun_list,
        "r": r,
        "persen_pendapatan": _persen(r.get("realisasi_pendapatan"), r.get("pendapatan")),
        "persen_belanja": _persen(r.get("realisasi_belanja"), r.get("belanja")),
        "sisa_belanja": _f(r.get("belanja")) - _f(r.get("realisasi_belanja")),
        "selisih_belanja": _f(r.get("realisasi_belanja")) - _f(r.get("belanja")),
        "bidang": bidang,
        "sumber": sumber,
        "dana_desa": dana_desa,
        "chart_bidang": chart_bidang if bidang else None,
        "chart_bulanan": chart_bulanan if kumulatif else None,
    }


def _proyek_kartu(rows: list[Any], today: Any) -> list[dict[str, Any]]:
    fotos = selectors.foto_terbaru(proyek_ids=[p.pk for p in rows])
    return [
        {
            "pk": p.pk,
            "nama": p.nama,
            "tahun": p.tahun,
            "lokasi": p.lokasi,
            "dusun": p.dusun,
            "anggaran": int(p.anggaran),
            "persen": p.progres_persen,
            "status": p.status(today),
            "foto": fotos.get(p.pk),
            "selesai_rencana": p.selesai_rencana,
        }
        for p in rows
    ]


def _ringkasan(desa: bool) -> dict[str, Any]:
    today = timezone.localdate()
    proyek = selectors.ringkasan_proyek(tahun=today.year, today=today)
    semua = selectors.ringkasan_proyek(today=today) if not proyek["jumlah"] else proyek
    terbaru = _proyek_kartu(list(selectors.proyek_list(today=today).order_by("-progres_tanggal", "-id")[:6]), today)
    dokumen = [
        {"pk": d.pk, "judul": d.judul, "jenis": d.get_jenis_display(), "tahun": d.tahun, "tanggal": d.tanggal}
        for d in selectors.dokumen_list()[:5]
        if desa or d.jenis not in FINANCE_DOCS
    ]
    return {
        "proyek": proyek if proyek["jumlah"] else semua,
        "proyek_tahun": today.year if proyek["jumlah"] else None,
        "terbaru": terbaru,
        "dokumen": dokumen,
        "penduduk": lintas_modul.jumlah_penduduk(),
        "pengaduan": selectors.pengaduan_counts(),
        "apbdes": _apbdes(None) if desa else None,
    }


FINANCE_DOCS = {JenisDokumen.APBDES, JenisDokumen.APBDES_PERUBAHAN, JenisDokumen.LPJ}


class _Publik(TemplateView):
    """Public page: the village of the host, `desa` (False for a kelurahan), nothing personal."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        village = _village(self.request)
        ctx["desa"] = village.is_desa
        ctx["today"] = timezone.localdate()
        # One stamp per request for cached figures and cached HTML fragments ({% fragmen %}).
        ctx["stempel"] = portal_cache.stempel()
        return ctx


class TransparansiView(_Publik):
    template_name = "pembangunan/publik/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        desa = ctx["desa"]
        ctx.update(portal_cache.ambil(f"ringkasan:{int(desa)}", lambda: _ringkasan(desa), cap=ctx["stempel"]))
        return ctx


class ApbdesView(_Publik):
    template_name = "pembangunan/publik/apbdes.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        if not ctx["desa"]:
            raise Http404("Kelurahan tidak memiliki APBDes.")
        tahun = _int(self.request.GET.get("tahun"))
        ctx["apbdes"] = portal_cache.ambil(f"apbdes:{tahun}", lambda: _apbdes(tahun), cap=ctx["stempel"])
        return ctx


class ProyekListPublikView(_Publik):
    template_name = "pembangunan/publik/proyek_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        tahun = _int(self.request.GET.get("tahun"))
        status = self.request.GET.get("status", "")
        status = status if status in StatusProyek.values else ""
        nomor = _int(self.request.GET.get("page")) or 1
        today = ctx["today"]

        def hitung() -> dict[str, Any]:
            page = Paginator(selectors.proyek_list(tahun=tahun, status=status, today=today), PER_PAGE).get_page(nomor)
            return {
                "kartu": _proyek_kartu(list(page.object_list), today),
                "nomor": page.number,
                "halaman": page.paginator.num_pages,
                "jumlah": page.paginator.count,
                "ringkasan": selectors.ringkasan_proyek(tahun=tahun, today=today),
                "tahun_list": selectors.tahun_proyek(),
            }

        ctx.update(portal_cache.ambil(f"proyek:{tahun}:{status}:{nomor}", hitung, cap=ctx["stempel"]))
        ctx.update(tahun=tahun, status=status, statuses=StatusProyek.choices)
        return ctx


class ProyekDetailPublikView(_Publik):
    template_name = "pembangunan/publik/proyek_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        proyek = selectors.proyek_get(pk=self.kwargs["pk"])
        if proyek is None:
            raise Http404("Kegiatan tidak ditemukan.")
        ctx["proyek"] = proyek
        ctx["status"] = StatusProyek(proyek.status(ctx["today"]))
        ctx["progres"] = list(selectors.progres_for(proyek=proyek))
        ctx["dana"] = [(k, sumber_dana().get(k, k), int(v)) for k, v in proyek.pendanaan.items()]
        return ctx


class FotoView(View):
    """A progress photo (our own re-encoded JPEG) from this village's media folder."""

    kecil = False

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        _village(request)
        progres = selectors.progres_get(pk=pk)
        path = unggahan.full_path((progres.foto_kecil if self.kecil else progres.foto) if progres else "")
        if path is None:
            raise Http404("Foto tidak ditemukan.")
        response = FileResponse(path.open("rb"), content_type="image/jpeg")
        response["Content-Disposition"] = f'inline; filename="progres-{pk}{"-kecil" if self.kecil else ""}.jpg"'
        response["Cache-Control"] = "public, max-age=86400"
        return response


class DokumenPublikView(_Publik):
    template_name = "pembangunan/publik/dokumen.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        tahun = _int(self.request.GET.get("tahun"))
        jenis = self.request.GET.get("jenis", "")
        qs = selectors.dokumen_list(tahun=tahun, jenis=jenis)
        if not ctx["desa"]:
            qs = qs.exclude(jenis__in=FINANCE_DOCS)
        ctx["page"] = Paginator(qs, PER_PAGE).get_page(self.request.GET.get("page"))
        ctx.update(tahun=tahun, jenis=jenis, jenis_list=JenisDokumen.choices)
        return ctx


class DokumenUnduhView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        _village(request)
        dokumen = selectors.dokumen_get(pk=pk)
        path = unggahan.full_path(dokumen.path) if dokumen else None
        if dokumen is None or path is None:
            raise Http404("Dokumen tidak ditemukan.")
        nama = "".join(c for c in dokumen.nama_file if c.isalnum() or c in "._- ")[:100] or "dokumen.pdf"
        response = FileResponse(path.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{nama}"'
        return response


class PendudukPublikView(_Publik):
    template_name = "pembangunan/publik/penduduk.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        stat = portal_cache.ambil("penduduk", lintas_modul.statistik_penduduk, cap=ctx["stempel"])
        ctx["stat"] = stat
        ctx["charts"] = {
            r["kunci"]: {
                "type": "doughnut" if r["kunci"] == "jenis-kelamin" else "bar",
                "data": {
                    "labels": [b[0] for b in r["baris"]],
                    "datasets": [{"label": "Penduduk", "data": [b[1] for b in r["baris"]]}],
                },
                "options": {"indexAxis": "y"} if r["kunci"] != "jenis-kelamin" else {},
            }
            for r in stat["rincian"]
        }
        return ctx


def _alamat(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "-"))


def _boleh_kirim(request: HttpRequest) -> bool:
    """At most PENGADUAN_PER_JAM complaints per address per hour per village (fails open without Redis)."""
    key = f"pembangunan:pengaduan:{_alamat(request)}"
    try:
        if cache.add(key, 1, timeout=3600):
            return True
        return int(cache.incr(key)) <= PENGADUAN_PER_JAM
    except Exception:
        logger.warning("complaint rate limit unavailable", exc_info=True)
        return True


class PengaduanPublikView(_Publik):
    """The complaint form and the answered complaints (title, text, answer, dates: never name or contact)."""

    template_name = "pembangunan/publik/pengaduan.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", PengaduanForm())
        ctx["page"] = Paginator(selectors.pengaduan_publik(), PER_PAGE).get_page(self.request.GET.get("page"))
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _village(request)
        form = PengaduanForm(request.POST)
        if request.POST.get("situs"):
            # A bot filled the hidden field: answer as if it worked, keep nothing.
            messages.success(request, "Terima kasih, pengaduan Anda sudah kami terima.")
            return redirect("transparansi-pengaduan")
        if form.is_valid():
            if not _boleh_kirim(request):
                form.add_error(None, "Terlalu banyak pengaduan dari jaringan Anda dalam satu jam. Coba lagi nanti.")
                return self.render_to_response(self.get_context_data(form=form), status=429)
            try:
                pengaduan = services.pengaduan_kirim(
                    nama=form.cleaned_data["nama"],
                    kontak=form.cleaned_data["kontak"],
                    judul=form.cleaned_data["judul"],
                    isi=form.cleaned_data["isi"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    f"Terima kasih, pengaduan Anda sudah kami terima. Kode pengaduan: {pengaduan.kode} "
                    "(simpan untuk melihat jawabannya).",
                )
                return redirect("transparansi-pengaduan")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PengaduanCekView(_Publik):
    template_name = "pembangunan/publik/pengaduan_cek.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        kode = self.request.GET.get("kode", "")
        ctx["kode"] = kode[:12]
        ctx["pengaduan"] = selectors.pengaduan_by_kode(kode=kode) if kode else None
        return ctx


# --- open data --------------------------------------------------------------------------------------


def _opendata(village: Village) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "desa": {"kode": village.kode, "nama": village.nama, "jenis": village.jenis},
        "diperbarui": timezone.now().isoformat(timespec="seconds"),
        "ringkasan_kegiatan": selectors.ringkasan_proyek(today=today),
        "kegiatan": selectors.opendata_proyek(today=today),
        "dokumen": [
            {"id": d.pk, "jenis": d.jenis, "judul": d.judul, "tahun": d.tahun, "tanggal": d.tanggal.isoformat()}
            for d in selectors.dokumen_list()
        ],
        "penduduk": lintas_modul.jumlah_penduduk(),
    }
    if village.is_desa:
        apbdes = {}
        for tahun in lintas_modul.tahun_anggaran():
            r = lintas_modul.ringkasan_apbdes(tahun)
            if r:
                apbdes[str(tahun)] = r
        data["apbdes"] = apbdes
    return data


class OpenDataJsonView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        village = _village(request)
        # The serialised document is cached: a hit costs no JSON encoding.
        body = portal_cache.ambil(
            "opendata-json", lambda: json.dumps(_opendata(village), default=str, ensure_ascii=False)
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Access-Control-Allow-Origin"] = "*"
        return response


def _csv() -> str:
    rows = selectors.opendata_proyek()
    out = io.StringIO()
    fields = list(rows[0].keys()) if rows else ["id", "tahun", "nama"]
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


class OpenDataCsvView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        village = _village(request)
        response = HttpResponse(portal_cache.ambil("opendata-csv", _csv), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="kegiatan-{village.slug}.csv"'
        return response


# --- command-center screen --------------------------------------------------------------------------


def _layar(desa: bool) -> dict[str, Any]:
    today = timezone.localdate()
    proyek = selectors.ringkasan_proyek(tahun=today.year, today=today)
    apbdes = _apbdes(today.year) if desa else None
    terbaru = [
        {"nama": p.nama, "persen": p.progres_persen, "status": p.status(today), "tanggal": p.progres_tanggal}
        for p in selectors.proyek_list(today=today)
        .filter(progres_tanggal__isnull=False)
        .order_by("-progres_tanggal", "-id")[:3]
    ]
    return {
        "penduduk": lintas_modul.jumlah_penduduk(),
        "proyek": proyek,
        "terbaru": terbaru,
        "apbdes": apbdes,
        "surat": lintas_modul.surat_selesai_bulan_ini(),
        "blt": lintas_modul.penerima_blt(),
        "pengaduan": selectors.pengaduan_counts(),
    }


class LayarView(_Publik):
    """Full-screen board for a TV: the content block refreshes itself every minute through htmx."""

    template_name = "pembangunan/layar/layar.html"
    REFRESH_S = 60

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        desa = ctx["desa"]
        ctx["d"] = portal_cache.ambil(f"layar:{int(desa)}", lambda: _layar(desa), ttl=300, cap=ctx["stempel"])
        ctx["sekarang"] = timezone.localtime()
        ctx["refresh_s"] = self.REFRESH_S
        return ctx


class LayarIsiView(LayarView):
    template_name = "pembangunan/layar/_isi.html"
