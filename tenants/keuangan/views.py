"""Operator pages of village finance (namespace "keuangan", /operator/keuangan/).

Every page goes through KeuanganView: the operator check of VillageOperatorView, then the kelurahan
refusal (404 with a clear message: kelurahan have no APBDes). Subclasses implement `tampil` (GET) and
`kirim` (POST), never get/post, so no handler can skip the refusal.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from platform_core.accounts.models import User
from platform_core.web.access import VillageOperatorView
from tenants.keuangan import cetak, selectors, services
from tenants.keuangan import kode as kl
from tenants.keuangan.forms import BarisForm, ImporForm, TahunForm, TetapkanForm, TransaksiForm
from tenants.keuangan.models import Apbdes, BarisAnggaran, ImporSiskeudes, Transaksi
from tenants.keuangan.siskeudes import impor
from tenants.keuangan.siskeudes.arsip import MAX_ZIP_BYTES

PER_HALAMAN = 100


def pesan_galat(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(m for ms in exc.message_dict.values() for m in ms)
    return " ".join(exc.messages)


def tolak_kelurahan(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "keuangan/kelurahan.html", {"pesan": services.PESAN_KELURAHAN}, status=404
    ).render()


class KeuanganView(VillageOperatorView):
    """Base of every finance page."""

    methods: ClassVar[tuple[str, ...]] = ("get",)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("get", "post"):
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} implements tampil()/kirim(), not {name}()")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.village.is_desa:
            return tolak_kelurahan(request)
        if "get" not in self.methods:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return self.tampil(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.village.is_desa:
            return tolak_kelurahan(request)
        if "post" not in self.methods:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return self.kirim(request, *args, **kwargs)

    def tampil(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(**kwargs))

    def kirim(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.http_method_not_allowed(request, *args, **kwargs)

    def petugas(self) -> User | None:
        user = self.request.user
        return user if isinstance(user, User) else None


def _apbdes(pk: int) -> Apbdes:
    apbdes = selectors.apbdes_get(pk)
    if apbdes is None:
        raise Http404("APBDes tidak ditemukan.")
    return apbdes


class IndexView(KeuanganView):
    """Years of the village, with the version in force and its totals; start a new year."""

    template_name = "keuangan/index.html"
    methods = ("get", "post")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        tahun_list = []
        for tahun in selectors.tahun_semua():
            berlaku = selectors.apbdes_berlaku(tahun)
            total = selectors.total_apbdes(berlaku) if berlaku else None
            real = selectors.total_realisasi(tahun)
            tahun_list.append(
                {
                    "tahun": tahun,
                    "berlaku": berlaku,
                    "total": total,
                    "realisasi": real,
                    "persen": selectors.persen(real["belanja"], total["belanja"]) if total else None,
                    "versi": list(selectors.apbdes_list(tahun)),
                }
            )
        ctx["tahun_list"] = tahun_list
        ctx.setdefault("form", TahunForm(initial={"tahun": dt.date.today().year}))
        return ctx

    def kirim(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = TahunForm(request.POST)
        if form.is_valid():
            try:
                apbdes = services.apbdes_buat(tahun=form.cleaned_data["tahun"])
            except ValidationError as exc:
                form.add_error(None, pesan_galat(exc))
            else:
                messages.success(request, f"APBDes {apbdes.tahun} (draf) dibuat. Tambahkan baris anggarannya.")
                return redirect("keuangan:apbdes", pk=apbdes.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TahunView(KeuanganView):
    """One year: versions, totals of the budget in force, realisation per bidang and sumber."""

    template_name = "keuangan/tahun.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        tahun = kwargs["tahun"]
        ctx["tahun"] = tahun
        ctx["versi"] = list(selectors.apbdes_list(tahun))
        ctx["ringkasan"] = selectors.ringkasan_apbdes(tahun)
        berlaku = selectors.apbdes_berlaku(tahun)
        ctx["total"] = selectors.total_apbdes(berlaku) if berlaku else None
        ctx["realisasi"] = selectors.total_realisasi(tahun)
        ctx["boleh_perubahan"] = bool(ctx["versi"]) and ctx["versi"][0].ditetapkan
        return ctx


class PerubahanView(KeuanganView):
    methods = ("post",)

    def kirim(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            apbdes = services.apbdes_perubahan(tahun=kwargs["tahun"])
        except ValidationError as exc:
            messages.error(request, pesan_galat(exc))
            return redirect("keuangan:tahun", tahun=kwargs["tahun"])
        messages.success(request, f"APBDes {apbdes.tahun} {apbdes.label} (draf) dibuat dari versi yang berlaku.")
        return redirect("keuangan:apbdes", pk=apbdes.pk)


class ApbdesView(KeuanganView):
    """One version: totals, its lines (paged), add a line and ditetapkan while draft."""

    template_name = "keuangan/apbdes.html"
    methods = ("get", "post")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        apbdes = _apbdes(kwargs["pk"])
        ctx["apbdes"] = apbdes
        ctx["total"] = selectors.total_apbdes(apbdes)
        q = self.request.GET.get("q", "").strip()
        lines = selectors.baris_list(apbdes)
        if q:
            lines = lines.filter(kode_rekening__startswith=q) | lines.filter(kode_kegiatan__startswith=q)
        page = Paginator(lines, PER_HALAMAN).get_page(self.request.GET.get("hal"))
        for baris in page:
            baris.nama_kegiatan = kl.nama_kegiatan(baris.kode_kegiatan) if baris.kode_kegiatan else ""  # type: ignore[attr-defined]  # for the template
        ctx["page"] = page
        ctx["q"] = q
        ctx.setdefault("form", BarisForm())
        ctx.setdefault("form_tetapkan", TetapkanForm(initial={"tanggal_penetapan": dt.date.today()}))
        return ctx

    def kirim(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        apbdes = _apbdes(kwargs["pk"])
        form = BarisForm(request.POST)
        if form.is_valid():
            try:
                services.baris_simpan(apbdes=apbdes, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, pesan_galat(exc))
            else:
                messages.success(request, "Baris anggaran disimpan.")
                return redirect("keuangan:apbdes", pk=apbdes.pk)
        return self.render_to_response(self.get_context_data(form=form, **kwargs), status=400)


class TetapkanView(KeuanganView):
    template_name = "keuangan/apbdes.html"
    methods = ("post",)

    def kirim(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        apbdes = _apbdes(kwargs["pk"])
        form = TetapkanForm(request.POST)
        if form.is_valid():
            try:
                services.apbdes_tetapkan(apbdes=apbdes, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, pesan_galat(exc))
            else:
                messages.success(request, f"APBDes {apbdes.tahun} {apbdes.label} ditetapkan dan kini berlaku.")
                return redirect("keuangan:tahun", tahun=apbdes.tahun)
        ctx = ApbdesView(request=request, kwargs=kwargs).get_context_data(form_tetapkan=form, **kwargs)
        ctx["view"] = self
        return self.render_to_response(ctx, status=400)


class ApbdesHapusView(KeuanganView):
    methods = ("post",)

    def kirim(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        apbdes = _apbdes(kwargs["pk"])
        try:
            services.apbdes_hapus(apbdes=apbdes)
        except ValidationError as exc:
            messages.error(request, pesan_galat(exc))
            return redirect("keuangan:apbdes", pk=apbdes.pk)
        messages.success(request, f"Draf APBDes {apbdes.tahun} {apbdes.label} dihapus.")
        return redirect("keuangan:index")


def _baris(pk: int) -> BarisAnggaran:
    baris = BarisAnggaran.objects.select_related("apbdes").filter(pk=pk).first()
    if baris is None:
        raise Http404("Baris anggaran tidak ditemukan.")
    return baris


class BarisUbahView(KeuanganView):
    template_name = "keuangan/baris_form.html"
    methods = ("get", "post")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        baris = _baris(kwargs["pk"])
        ctx["baris"] = baris
        ctx.setdefault(
            "form",
            BarisForm(
                initial={
                    "kode_rekening": baris.kode_rekening,
                    "kode_kegiatan": baris.kode_kegiatan,
                    "sumber_dana": baris.sumber_dana,
                    "uraian": baris.uraian,
                    "jumlah": f"{baris.jumlah:.0f}" if baris.jumlah == baris.jumlah.to_integral() else baris.jumlah,
                }
            ),
        )
        return ctx

    def kirim(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        baris = _baris(kwargs["pk"])
        form = BarisForm(request.POST)
        if form.is_valid():
            try:
                services.baris_simpan(apbdes=baris.apbdes, baris=baris, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, pesan_galat(exc))
            else:
                messages.success(request, "Baris anggaran diubah.")
                return redirect("keuangan:apbdes", pk=baris.apbdes_id)
        return self.render_to_response(self.get_context_data(form=form, **kwargs), status=400)


class BarisHapusView(KeuanganView):
    methods = ("post",)

    def kirim(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        baris = _baris(kwargs["pk"])
        try:
            services.baris_hapus(baris=baris)
        except ValidationError as exc:
            messages.error(request, pesan_galat(exc))
        else:
            messages.success(request, "Baris anggaran dihapus.")
        return redirect("keuangan:apbdes", pk=baris.apbdes_id)


class TransaksiView(KeuanganView):
    """Realisation of a year: the list (filter, paged) and the form to record one."""

    template_name = "keuangan/transaksi.html"
    methods = ("get", "post")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        tahun = kwargs["tahun"]
        jenis = self.request.GET.get("jenis", "")
        q = self.request.GET.get("q", "").strip()
        ctx.update(tahun=tahun, jenis=jenis, q=q, berlaku=selectors.apbdes_berlaku(tahun))
        ctx["page"] = Paginator(selectors.transaksi_list(tahun, jenis=jenis, q=q), PER_HALAMAN).get_page(
            self.request.GET.get("hal")
        )
        ctx["realisasi"] = selectors.total_realisasi(tahun)
        initial: dict[str, Any] = {
            k: self.request.GET.get(k, "") for k in ("kode_rekening", "kode_kegiatan", "sumber_dana")
        }
        today = dt.date.today()
        initial["tanggal"] = today if today.year == tahun else None
        ctx.setdefault("form", TransaksiForm(initial=initial))
        return ctx

    def kirim(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = TransaksiForm(request.POST)
        if form.is_valid():
            try:
                services.transaksi_simpan(tahun=kwargs["tahun"], **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, pesan_galat(exc))
            else:
                messages.success(request, "Transaksi realisasi dicatat.")
                return redirect("keuangan:transaksi", tahun=kwargs["tahun"])
        return self.render_to_response(self.get_context_data(form=form, **kwargs), status=400)


def _transaksi(pk: int) -> Transaksi:
    trx = Transaksi.objects.filter(pk=pk).first()
    if trx is None:
        raise Http404("Transaksi tidak ditemukan.")
    return trx


class TransaksiUbahView(KeuanganView):
    template_name = "keuangan/transaksi_form.html"
    methods = ("get", "post")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        trx = _transaksi(kwargs["pk"])
        ctx["trx"] = trx
        ctx.setdefault(
            "form",
            TransaksiForm(
                initial={
                    "tanggal": trx.tanggal,
                    "kode_rekening": trx.kode_rekening,
                    "kode_kegiatan": trx.kode_kegiatan,
                    "sumber_dana": trx.sumber_dana,
                    "jumlah": f"{trx.jumlah:.2f}",
                    "uraian": trx.uraian,
                    "no_bukti": trx.no_bukti,
                }
            ),
        )
        return ctx

    def kirim(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        trx = _transaksi(kwargs["pk"])
        form = TransaksiForm(request.POST)
        if form.is_valid():
            try:
                services.transaksi_simpan(tahun=trx.tahun, transaksi=trx, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, pesan_galat(exc))
            else:
                messages.success(request, "Transaksi diubah.")
                return redirect("keuangan:transaksi", tahun=trx.tahun)
        return self.render_to_response(self.get_context_data(form=form, **kwargs), status=400)


class TransaksiHapusView(KeuanganView):
    methods = ("post",)

    def kirim(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        trx = _transaksi(kwargs["pk"])
        try:
            services.transaksi_hapus(transaksi=trx)
        except ValidationError as exc:
            messages.error(request, pesan_galat(exc))
            return redirect("keuangan:transaksi-ubah", pk=trx.pk)
        messages.success(request, "Transaksi dihapus.")
        return redirect("keuangan:transaksi", tahun=trx.tahun)


class LaporanView(KeuanganView):
    """The realisation report on screen (printable), or as PDF/.xlsx with ?format=pdf|xlsx."""

    template_name = "keuangan/laporan.html"

    def tampil(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lap = selectors.laporan_realisasi(
            kwargs["tahun"], periode=request.GET.get("periode", "tahun"), per=request.GET.get("per", "rekening")
        )
        judul_desa = f"{self.village.sebutan} {self.village.nama}, Kec. {self.village.kecamatan.nama}"
        fmt = request.GET.get("format", "")
        if fmt == "xlsx":
            data = cetak.laporan_xlsx(lap, judul_desa=judul_desa)
            return _unduh(data, cetak.nama_file(lap, self.village.slug, "xlsx"), cetak.XLSX)
        if fmt == "pdf":
            data = cetak.laporan_pdf(lap, context={"judul_desa": judul_desa, "village": self.village})
            return _unduh(data, cetak.nama_file(lap, self.village.slug, "pdf"), "application/pdf")
        ctx = self.get_context_data(**kwargs)
        ctx.update(lap=lap, judul_desa=judul_desa, periode_list=selectors.PERIODE.items())
        return self.render_to_response(ctx)


def _unduh(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ImporView(KeuanganView):
    """Upload a Siskeudes export; the village's import jobs."""

    template_name = "keuangan/impor.html"
    methods = ("get", "post")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["jobs"] = selectors.impor_list()[:20]
        ctx["batas_mb"] = MAX_ZIP_BYTES // 1024 // 1024
        ctx.setdefault("form", ImporForm(initial={"tahun": dt.date.today().year}))
        return ctx

    def kirim(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ImporForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = impor.impor_buat(
                    upload=form.cleaned_data["file"], tahun=form.cleaned_data["tahun"], petugas=self.petugas()
                )
            except ValidationError as exc:
                form.add_error(None, pesan_galat(exc))
            else:
                messages.info(request, "File diterima dan sedang diproses.")
                return redirect("keuangan:impor-job", pk=job.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _job(pk: int) -> ImporSiskeudes:
    job = ImporSiskeudes.objects.filter(pk=pk).first()
    if job is None:
        raise Http404("Impor tidak ditemukan.")
    return job


class ImporJobView(KeuanganView):
    template_name = "keuangan/impor_job.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        job = _job(kwargs["pk"])
        if job.status == ImporSiskeudes.Status.MENUNGGU and job.pesan == impor.ANTREAN_TIDAK_TERSEDIA:
            impor.impor_antre(job=job)
        ctx["job"] = job
        ctx["selesai"] = job.status in (ImporSiskeudes.Status.BERHASIL, ImporSiskeudes.Status.GAGAL)
        ctx["galat"] = (job.laporan or {}).get("galat", [])[:500]
        ctx["peringatan"] = (job.laporan or {}).get("peringatan", [])[:500]
        return ctx


class ImporStatusView(ImporJobView):
    """The htmx fragment: progress while running (polls itself every second), the report when done."""

    template_name = "keuangan/_impor_status.html"


class ImporLaporanView(ImporJobView):
    """The job's full report (errors, then warnings) as CSV, for fixing the export in Siskeudes."""

    def tampil(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = _job(kwargs["pk"])
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["jenis", "tabel", "baris", "pesan"])
        for jenis in ("galat", "peringatan"):
            for item in (job.laporan or {}).get(jenis, []):
                writer.writerow([jenis, item.get("tabel", ""), item.get("baris") or "", item.get("pesan", "")])
        return _unduh(out.getvalue().encode("utf-8-sig"), f"laporan-impor-siskeudes-{job.pk}.csv", "text/csv")
