"""Operator pages of layanan surat (HTML, village subdomain).

Every page is a VillageOperatorView (role check in the base class). Reads through selectors, writes
through services; a service's ValidationError lands on the form, nothing is saved.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from platform_core.accounts.models import User
from platform_core.web.access import VillageOperatorView
from tenants.penduduk.selectors import penduduk_get, penduduk_list
from tenants.penduduk.services import akses_log_catat
from tenants.surat import forms as f
from tenants.surat import selectors, services, teks
from tenants.surat.models import ALUR_LABEL, Kanal, Permohonan, Status, TemplatSurat

PER_PAGE = 50


def nama_berkas(nomor: str, pk: int) -> str:
    safe = re.sub(r"[^A-Za-z0-9.-]+", "-", nomor).strip("-")
    return f"surat-{safe or pk}.pdf"


class _Page(VillageOperatorView):
    @property
    def petugas(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def permohonan(self) -> Permohonan:
        if not hasattr(self, "_permohonan"):
            found = selectors.permohonan_get(pk=self.kwargs["pk"])
            if found is None:
                raise Http404("Permohonan tidak ditemukan.")
            self._permohonan = found
        return self._permohonan

    def templat(self) -> TemplatSurat:
        found = selectors.templat_get(pk=self.kwargs["pk"])
        if found is None:
            raise Http404("Templat tidak ditemukan.")
        return found


class AntreanView(_Page):
    """The queue: counts per status, requests filtered by status or searched by name/NIK/number."""

    template_name = "surat/antrean.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        if status not in Status.values:
            status = ""
        q = self.request.GET.get("q", "")[:100]
        qs = selectors.permohonan_list(status=status, q=q)
        page = Paginator(qs, PER_PAGE).get_page(self.request.GET.get("page"))
        counts = selectors.jumlah_per_status()
        ctx.update(
            page=page,
            status=status,
            q=q,
            tabs=[(value, label, counts[value]) for value, label in Status.choices],
            total=sum(counts.values()),
            selesai_bulan_ini=selectors.surat_selesai_bulan_ini(),
        )
        return ctx


class BaruView(_Page):
    """A request made at the counter: find the resident, pick the letter, fill its fields."""

    template_name = "surat/baru.html"

    def _penduduk(self) -> Any:
        raw = self.request.GET.get("penduduk", "")
        if not raw.isdigit():
            return None
        found = penduduk_get(pk=int(raw))
        if found is None:
            raise Http404("Penduduk tidak ditemukan.")
        return found

    def _templat(self) -> TemplatSurat | None:
        kode = self.request.GET.get("templat", "")
        if not kode:
            return None
        found = selectors.template_layanan().filter(kode=kode).first()
        if found is None:
            raise Http404("Jenis surat tidak ditemukan.")
        return found

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        penduduk = self._penduduk()
        ctx["penduduk"] = penduduk
        if penduduk is None:
            cari = f.CariPendudukForm(self.request.GET or None)
            ctx["cari"] = cari
            q = self.request.GET.get("q", "").strip()[:100]
            ctx["hasil"] = list(penduduk_list(q=q)[:20]) if q else []
            ctx["q"] = q
            return ctx
        templat = self._templat()
        ctx["templat"] = templat
        if templat is None:
            ctx["pilihan"] = [(t, services.aturan_dilanggar(t, penduduk)) for t in selectors.template_layanan()]
            return ctx
        ctx["pelanggaran"] = services.aturan_dilanggar(templat, penduduk)
        ctx["tte"] = services.pakai_tte()
        ctx.setdefault("form", f.PermohonanForm(templat=templat))
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        penduduk = self._penduduk()
        templat = self._templat()
        if penduduk is None or templat is None:
            messages.error(request, "Pilih penduduk dan jenis surat terlebih dahulu.")
            return redirect("surat:baru")
        form = f.PermohonanForm(request.POST, templat=templat)
        if form.is_valid():
            data = {
                "template_kode": templat.kode,
                "penduduk_id": penduduk.pk,
                "isian": form.isian(),
                "keperluan": form.cleaned_data["keperluan"],
                "kanal": Kanal.OPERATOR,
                "oleh_user": self.petugas,
            }
            try:
                if form.cleaned_data.get("terbitkan"):
                    p = services.ajukan_dan_terbitkan(**data, passphrase=request.POST.get("passphrase", ""))
                    messages.success(request, f"Surat {p.nomor} diterbitkan dan siap dicetak.")
                else:
                    p = services.ajukan_permohonan(**data)
                    messages.success(request, "Permohonan dicatat.")
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return redirect("surat:detail", pk=p.pk)
        return self.render_to_response(self.get_context_data(form=form))


class DetailView(_Page):
    template_name = "surat/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        p = self.permohonan()
        dokumen = {d["kode"]: d["label"] for d in p.templat.dokumen or []}
        lampiran = {x.kode_dokumen: x for x in p.lampiran.all()}
        ctx.update(
            p=p,
            riwayat=selectors.riwayat_of(p),
            dokumen=[(kode, label, lampiran.get(kode)) for kode, label in dokumen.items()],
            langkah=[(ke, ALUR_LABEL[ke]) for ke in services.ALUR[p.status] if ke != Status.DIBATALKAN],
            bisa_batal=Status.DIBATALKAN in services.ALUR[p.status],
            batal_form=kwargs.get("batal_form") or f.BatalForm(),
            unggah_form=f.UnggahForm(templat=p.templat) if dokumen else None,
            isian=[(x["label"], (p.isian or {}).get(x["nama"], "")) for x in p.templat.isian or []],
            tte=services.pakai_tte(),
        )
        return ctx


class StatusView(_Page):
    """POST: move the request one step (ke=...), or cancel with a reason."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        p = self.permohonan()
        ke = request.POST.get("ke", "")
        try:
            services.pindahkan_status(
                permohonan=p,
                ke=ke,
                oleh=self.petugas,
                alasan=request.POST.get("alasan", ""),
                passphrase=request.POST.get("passphrase", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Status diubah menjadi: {Status(ke).label.lower()}.")
        return redirect("surat:detail", pk=p.pk)


class PdfView(_Page):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from tenants.surat.pdf import pdf_surat

        p = self.permohonan()
        if not p.nomor:
            raise Http404("Surat belum bernomor.")
        pdf = pdf_surat(p)
        # The letter carries the subject's NIK and identity: a read of personal data, logged (trust.md).
        akses_log_catat(penduduk=p.penduduk, petugas=self.petugas, jalur="web", alasan=f"Cetak surat {p.nomor}")
        response = HttpResponse(pdf, content_type="application/pdf")
        disposition = "attachment" if request.GET.get("unduh") else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{nama_berkas(p.nomor, p.pk)}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class LampiranView(_Page):
    """An uploaded document, always as a download (never rendered inline)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        p = self.permohonan()
        lampiran = p.lampiran.filter(pk=self.kwargs["lampiran"]).first()
        data = services.baca_berkas_privat(lampiran.path) if lampiran is not None else None
        if lampiran is None or data is None:
            raise Http404("Lampiran tidak ditemukan.")
        ext = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(lampiran.jenis, "bin")
        response = HttpResponse(data, content_type=lampiran.jenis)
        response["Content-Disposition"] = f'attachment; filename="{lampiran.kode_dokumen}-{p.pk}.{ext}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class UnggahView(_Page):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        p = self.permohonan()
        form = f.UnggahForm(request.POST, request.FILES, templat=p.templat)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, str(message))
            return redirect("surat:detail", pk=p.pk)
        try:
            services.lampirkan_dokumen(
                permohonan=p, kode_dokumen=form.cleaned_data["kode_dokumen"], berkas=form.cleaned_data["berkas"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Dokumen dilampirkan.")
        return redirect("surat:detail", pk=p.pk)


def _tahun_bulan(request: HttpRequest) -> tuple[int, int | None]:
    today = timezone.localdate()
    tahun_raw = request.GET.get("tahun", "")
    bulan_raw = request.GET.get("bulan", "")
    tahun = int(tahun_raw) if tahun_raw.isdigit() and 2000 <= int(tahun_raw) <= 2100 else today.year
    bulan = int(bulan_raw) if bulan_raw.isdigit() and 1 <= int(bulan_raw) <= 12 else None
    return tahun, bulan


class AgendaView(_Page):
    """Buku agenda surat keluar: every numbered letter of a year (or month), printable."""

    template_name = "surat/agenda.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        tahun, bulan = _tahun_bulan(self.request)
        ctx.update(
            tahun=tahun,
            bulan=bulan,
            bulan_nama=teks.BULAN[bulan - 1] if bulan else "",
            daftar_bulan=list(enumerate(teks.BULAN, start=1)),
            rows=selectors.buku_agenda(tahun=tahun, bulan=bulan),
        )
        return ctx


class AgendaXlsxView(_Page):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from tenants.surat.ekspor import agenda_xlsx

        tahun, bulan = _tahun_bulan(request)
        data = agenda_xlsx(selectors.buku_agenda(tahun=tahun, bulan=bulan), tahun=tahun, bulan=bulan)
        suffix = f"{tahun}-{bulan:02d}" if bulan else str(tahun)
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="agenda-surat-keluar-{suffix}.xlsx"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class TemplatListView(_Page):
    template_name = "surat/templat_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["templat"] = selectors.templat_semua()
        return ctx


class _TemplatForm(_Page):
    template_name = "surat/templat_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["penanda"] = sorted(teks.PENANDA.items())
        return ctx

    def simpan(self, data: dict[str, Any]) -> TemplatSurat:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = f.TemplatForm(request.POST)
        if form.is_valid():
            try:
                templat = self.simpan(dict(form.cleaned_data))
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, f"Templat {templat.nama} disimpan.")
                return redirect("surat:templat-list")
        return self.render_to_response(self.get_context_data(form=form))


class TemplatBaruView(_TemplatForm):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", f.TemplatForm(initial={"penomoran": "desa", "aktif": True}))
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = "Templat surat baru"
        return ctx

    def simpan(self, data: dict[str, Any]) -> TemplatSurat:
        return services.templat_buat(data=data)


class TemplatUbahView(_TemplatForm):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        templat = self.templat()
        kwargs.setdefault("form", f.TemplatForm(initial=f.TemplatForm.initial_dari(templat)))
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = f"Ubah templat: {templat.nama}"
        ctx["obj"] = templat
        return ctx

    def simpan(self, data: dict[str, Any]) -> TemplatSurat:
        return services.templat_ubah(templat=self.templat(), data=data)


class PengaturanView(_Page):
    template_name = "surat/pengaturan.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        atur = services.pengaturan()
        ctx.setdefault(
            "form",
            f.PengaturanForm(
                initial={
                    "nama_kepala": atur.nama_kepala,
                    "jabatan": atur.jabatan,
                    "alamat_kantor": atur.alamat_kantor,
                    "kontak": atur.kontak,
                    "ukuran_kertas": atur.ukuran_kertas,
                }
            ),
        )
        ctx["ada_logo"] = bool(atur.logo)
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = f.PengaturanForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            logo = data.pop("logo", None)
            try:
                services.pengaturan_simpan(data=data, logo=logo)
            except ValidationError as exc:
                form.add_service_errors(exc, aliases={"berkas": "logo"})
            else:
                messages.success(request, "Pengaturan kop surat disimpan.")
                return HttpResponseRedirect(reverse("surat:pengaturan"))
        return self.render_to_response(self.get_context_data(form=form))
