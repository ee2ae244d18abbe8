"""Operator pages of the projects module (village subdomain, operator/pembangunan/).

Every page is a VillageOperatorView (the role check lives in the base class); reads go through selectors,
writes through services, whose ValidationError lands on the form with nothing saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from platform_core.accounts.models import User
from platform_core.web.access import VillageOperatorView
from tenants.pembangunan import selectors, services
from tenants.pembangunan.forms import DokumenForm, JawabanForm, ProgresForm, ProyekForm
from tenants.pembangunan.models import Dokumen, JenisDokumen, Pengaduan, Progres, Proyek, StatusPengaduan, StatusProyek
from tenants.pembangunan.reference import sumber_dana

PER_PAGE = 30


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _dikonfirmasi(request: HttpRequest) -> bool:
    """Deleting needs the confirmation field the delete buttons send (a stray POST deletes nothing)."""
    if request.POST.get("konfirmasi") == "hapus":
        return True
    messages.error(request, "Penghapusan belum dikonfirmasi: gunakan tombol Hapus pada halamannya.")
    return False


class _Page(VillageOperatorView):
    @property
    def petugas(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def proyek(self) -> Proyek:
        found = selectors.proyek_get(pk=self.kwargs["pk"])
        if found is None:
            raise Http404("Kegiatan tidak ditemukan.")
        return found

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
        ctx["counts_pengaduan"] = selectors.pengaduan_counts()
        return ctx


class IndexView(_Page):
    template_name = "pembangunan/operator_index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["ringkasan"] = selectors.ringkasan_proyek(tahun=ctx["today"].year)
        ctx["dokumen"] = selectors.dokumen_list()[:5]
        ctx["pengaduan_baru"] = selectors.pengaduan_list(status=StatusPengaduan.BARU)[:5]
        return ctx


class ProyekListView(_Page):
    template_name = "pembangunan/proyek_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        tahun = _int(self.request.GET.get("tahun"))
        status = self.request.GET.get("status", "")
        q = self.request.GET.get("q", "")
        qs = selectors.proyek_list(tahun=tahun, status=status, q=q, today=ctx["today"])
        ctx["page"] = Paginator(qs, PER_PAGE).get_page(self.request.GET.get("page"))
        ctx.update(tahun=tahun, status=status, q=q, tahun_list=selectors.tahun_proyek(), statuses=StatusProyek.choices)
        return ctx


class _ProyekFormView(_Page):
    template_name = "pembangunan/proyek_form.html"
    title = ""

    def form(self) -> ProyekForm:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", self.form())
        ctx["title"] = self.title
        return ctx


class ProyekCreateView(_ProyekFormView):
    title = "Kegiatan pembangunan baru"

    def form(self) -> ProyekForm:
        return ProyekForm(initial={"tahun": timezone.localdate().year})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ProyekForm(request.POST)
        if form.is_valid():
            try:
                proyek = services.proyek_create(data=form.data_proyek(), pendanaan=form.pendanaan())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "Kegiatan disimpan.")
                return redirect("pembangunan:proyek-detail", pk=proyek.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ProyekUpdateView(_ProyekFormView):
    title = "Ubah kegiatan"

    def form(self) -> ProyekForm:
        return ProyekForm(initial=ProyekForm.initial_of(self.proyek()))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["proyek"] = self.proyek()
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        proyek = self.proyek()
        form = ProyekForm(request.POST)
        if form.is_valid():
            try:
                services.proyek_update(proyek=proyek, data=form.data_proyek(), pendanaan=form.pendanaan())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "Perubahan kegiatan disimpan.")
                return redirect("pembangunan:proyek-detail", pk=proyek.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ProyekDetailView(_Page):
    """The project, its progress history, and the form for a new progress entry (POST)."""

    template_name = "pembangunan/proyek_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        proyek = self.proyek()
        ctx["proyek"] = proyek
        ctx["status"] = StatusProyek(proyek.status(ctx["today"]))
        ctx["progres"] = list(selectors.progres_for(proyek=proyek))
        ctx["dana"] = [(k, sumber_dana().get(k, k), int(v)) for k, v in proyek.pendanaan.items()]
        ctx.setdefault("form", ProgresForm())
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        proyek = self.proyek()
        form = ProgresForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.progres_add(
                    proyek=proyek,
                    tanggal=form.cleaned_data["tanggal"],
                    persen=form.cleaned_data["persen"],
                    keterangan=form.cleaned_data["keterangan"],
                    foto=form.cleaned_data.get("foto"),
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "Progres dicatat.")
                return redirect("pembangunan:proyek-detail", pk=proyek.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ProyekDeleteView(_Page):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        proyek = self.proyek()
        if not _dikonfirmasi(request):
            return redirect("pembangunan:proyek-detail", pk=proyek.pk)
        services.proyek_delete(proyek=proyek)
        messages.success(request, "Kegiatan dihapus.")
        return redirect("pembangunan:proyek-list")


class ProgresDeleteView(_Page):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        progres: Progres | None = selectors.progres_get(pk=self.kwargs["pk"])
        if progres is None:
            raise Http404("Progres tidak ditemukan.")
        if not _dikonfirmasi(request):
            return redirect("pembangunan:proyek-detail", pk=progres.proyek_id)
        services.progres_delete(progres=progres)
        messages.success(request, "Progres dihapus.")
        return redirect("pembangunan:proyek-detail", pk=progres.proyek_id)


class DokumenListView(_Page):
    """The village's published reports, and the upload form (POST)."""

    template_name = "pembangunan/dokumen_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["dokumen"] = list(selectors.dokumen_list())
        ctx.setdefault("form", DokumenForm())
        ctx["jenis"] = JenisDokumen
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = DokumenForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.dokumen_upload(
                    jenis=form.cleaned_data["jenis"],
                    judul=form.cleaned_data["judul"],
                    tahun=form.cleaned_data["tahun"],
                    tanggal=form.cleaned_data["tanggal"],
                    berkas=form.cleaned_data["berkas"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "Dokumen diunggah dan tampil di situs publik.")
                return redirect("pembangunan:dokumen-list")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DokumenDeleteView(_Page):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        dokumen: Dokumen | None = selectors.dokumen_get(pk=self.kwargs["pk"])
        if dokumen is None:
            raise Http404("Dokumen tidak ditemukan.")
        if not _dikonfirmasi(request):
            return redirect("pembangunan:dokumen-list")
        services.dokumen_delete(dokumen=dokumen)
        messages.success(request, "Dokumen dihapus.")
        return redirect("pembangunan:dokumen-list")


class PengaduanListView(_Page):
    template_name = "pembangunan/pengaduan_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        ctx["status"] = status
        ctx["page"] = Paginator(selectors.pengaduan_list(status=status), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        ctx["statuses"] = StatusPengaduan.choices
        return ctx


class PengaduanDetailView(_Page):
    """One complaint with the sender's name and contact (operators only), and the answer form (POST)."""

    template_name = "pembangunan/pengaduan_detail.html"

    def pengaduan(self) -> Pengaduan:
        found = selectors.pengaduan_get(pk=self.kwargs["pk"])
        if found is None:
            raise Http404("Pengaduan tidak ditemukan.")
        return found

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        pengaduan = self.pengaduan()
        ctx["pengaduan"] = pengaduan
        ctx.setdefault(
            "form", JawabanForm(initial={"jawaban": pengaduan.jawaban, "tampil_publik": pengaduan.tampil_publik})
        )
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pengaduan = self.pengaduan()
        form = JawabanForm(request.POST)
        if form.is_valid():
            try:
                services.pengaduan_jawab(
                    pengaduan=pengaduan,
                    jawaban=form.cleaned_data["jawaban"],
                    tampil_publik=form.cleaned_data["tampil_publik"],
                    petugas=self.petugas,
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "Jawaban disimpan.")
                return redirect(reverse("pembangunan:pengaduan-list"))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PengaduanDeleteView(_Page):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pengaduan = selectors.pengaduan_get(pk=self.kwargs["pk"])
        if pengaduan is None:
            raise Http404("Pengaduan tidak ditemukan.")
        if not _dikonfirmasi(request):
            return redirect("pembangunan:pengaduan-detail", pk=pengaduan.pk)
        services.pengaduan_delete(pengaduan=pengaduan)
        messages.success(request, "Pengaduan dihapus.")
        return redirect("pembangunan:pengaduan-list")
