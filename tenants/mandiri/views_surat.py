"""Resident letter pages: choose a letter, request it with documents, follow it, download (phone) or print
(kiosk) it when ready. Built on tenants.surat's contract; a resident only ever reaches their own requests
(every lookup goes through permohonan_warga(self.warga.penduduk_id)); someone else's id is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from tenants.mandiri import services
from tenants.mandiri.akses import WargaView
from tenants.mandiri.forms import DokumenForm, PermohonanForm
from tenants.surat.models import Permohonan, Status, TemplatSurat
from tenants.surat.selectors import pdf_untuk_warga, permohonan_warga, template_layanan

SELESAI = {Status.SIAP_DIAMBIL, Status.SUDAH_DIAMBIL}
BISA_LAMPIR = {Status.DIAJUKAN, Status.DIPERIKSA}
WARNA = {
    Status.DIAJUKAN: "secondary",
    Status.DIPERIKSA: "info",
    Status.MENUNGGU_TTD: "warning",
    Status.SIAP_DIAMBIL: "success",
    Status.SUDAH_DIAMBIL: "dark",
    Status.DIBATALKAN: "danger",
}


def _hiasi(p: Permohonan) -> Permohonan:
    p.warna = WARNA.get(Status(p.status), "secondary")  # type: ignore[attr-defined]  # for the template
    p.siap = p.status in SELESAI and not p.dicabut  # type: ignore[attr-defined]
    return p


class BerandaView(WargaView):
    template_name = "mandiri/beranda.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["terbaru"] = [_hiasi(p) for p in permohonan_warga(self.warga.penduduk_id)[:5]]
        return ctx


class PilihSuratView(WargaView):
    template_name = "mandiri/pilih_surat.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["templat"] = list(template_layanan())
        return ctx


class AjukanView(WargaView):
    template_name = "mandiri/ajukan.html"

    def templat(self) -> TemplatSurat:
        found = template_layanan().filter(kode=self.kwargs["kode"]).first()
        if found is None:
            raise Http404("Jenis surat tidak ditemukan.")
        return found

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        templat = self.templat()
        form = PermohonanForm(templat=templat, anjungan=self.warga.anjungan)
        return self.render_to_response(self.get_context_data(form=form, templat=templat))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        templat = self.templat()
        form = PermohonanForm(request.POST, request.FILES, templat=templat, anjungan=self.warga.anjungan)
        if form.is_valid():
            try:
                p = services.permohonan_ajukan(
                    penduduk_id=self.warga.penduduk_id,
                    template_kode=templat.kode,
                    isian=form.isian(),
                    keperluan=form.cleaned_data["keperluan"],
                    kanal=self.warga.kanal,
                    berkas=form.berkas(),
                    dokumen_wajib=not self.warga.anjungan,
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, f"Permohonan {templat.nama} terkirim. Pantau statusnya di halaman ini.")
                return HttpResponseRedirect(reverse("mandiri:permohonan", args=[p.pk]))
        return self.render_to_response(self.get_context_data(form=form, templat=templat))


class DaftarPermohonanView(WargaView):
    template_name = "mandiri/daftar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        page = Paginator(permohonan_warga(self.warga.penduduk_id), 20).get_page(self.request.GET.get("halaman"))
        for p in page.object_list:
            _hiasi(p)
        ctx["page"] = page
        return ctx


class _Milik(WargaView):
    def permohonan(self) -> Permohonan:
        found = permohonan_warga(self.warga.penduduk_id).filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise Http404("Permohonan tidak ditemukan.")
        return _hiasi(found)


class PermohonanView(_Milik):
    """Status, history and documents of one request; upload a missing document while it is open."""

    template_name = "mandiri/permohonan.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        p = kwargs.get("p") or self.permohonan()
        ada = {lamp.kode_dokumen: lamp for lamp in p.lampiran.all()}
        ctx["p"] = p
        ctx["riwayat"] = list(p.riwayat.all())
        ctx["dokumen"] = [{**d, "lampiran": ada.get(d["kode"])} for d in (p.templat.dokumen or [])]
        ctx["bisa_lampir"] = p.status in BISA_LAMPIR
        ctx.setdefault("dokumen_form", DokumenForm())
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        p = self.permohonan()
        form = DokumenForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.dokumen_susulan(
                    penduduk_id=self.warga.penduduk_id,
                    permohonan_id=p.pk,
                    kode_dokumen=form.cleaned_data["kode_dokumen"],
                    berkas=form.cleaned_data["berkas"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc, aliases={"kode_dokumen": "berkas"})
            else:
                messages.success(request, "Dokumen terunggah.")
                return HttpResponseRedirect(reverse("mandiri:permohonan", args=[p.pk]))
        return self.render_to_response(self.get_context_data(p=p, dokumen_form=form))


class PdfView(_Milik):
    """The ready letter: a download on a phone; on the kiosk shown inline in the print page's frame only."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        p = self.permohonan()
        pdf = pdf_untuk_warga(permohonan_id=p.pk, penduduk_id=self.warga.penduduk_id)
        if pdf is None:
            raise Http404("Surat belum siap.")
        response = HttpResponse(pdf, content_type="application/pdf")
        nama = f"surat-{p.templat.kode}-{p.pk}.pdf"
        if self.warga.anjungan:
            response.headers["Content-Disposition"] = f'inline; filename="{nama}"'
            response.headers["X-Frame-Options"] = "SAMEORIGIN"  # the kiosk's print frame, same origin only
            response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        else:
            response.headers["Content-Disposition"] = f'attachment; filename="{nama}"'
        return response


class CetakView(_Milik):
    """Kiosk: print the ready letter from a frame, then sign out; nothing is saved on the kiosk."""

    template_name = "mandiri/cetak.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        p = self.permohonan()
        if not p.siap:  # type: ignore[attr-defined]
            raise Http404("Surat belum siap.")
        ctx["p"] = p
        return ctx
