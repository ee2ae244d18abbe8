"""Operator pages of the population register (HTML, village subdomain).

Every page is a VillageOperatorView (the role check lives in the base class). Pages read through
selectors and write through services; a service's ValidationError lands on the form's fields and
nothing is saved. No rule of the register is decided here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import IntegerChoices
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from platform_core.accounts.models import User
from platform_core.web.access import VillageOperatorView
from tenants.penduduk import forms as f
from tenants.penduduk import reference as ref
from tenants.penduduk import selectors, services
from tenants.penduduk.models import Dusun, Keluarga, Mutasi, Penduduk, Rt, RumahTangga, Rw
from tenants.penduduk.nik import normalize_number

PER_PAGE = 50


def umur(tanggal_lahir: dt.date | None, today: dt.date) -> int | None:
    if tanggal_lahir is None:
        return None
    return today.year - tanggal_lahir.year - ((today.month, today.day) < (tanggal_lahir.month, tanggal_lahir.day))


def wilayah_label(rt: Rt | None) -> str:
    if rt is None:
        return ""
    rw = f" · RW {rt.rw.nomor}" if rt.rw.nomor != "-" else ""  # '-': the dusun has no RW
    return f"{rt.rw.dusun.nama}{rw} · RT {rt.nomor}"


def _page(request: HttpRequest, qs: Any) -> Page[Any]:
    """One page of a list: Django's Paginator runs one COUNT and one LIMIT/OFFSET query."""
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    page.elided = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))  # type: ignore[attr-defined]  # for the template
    return page


class _Page(VillageOperatorView):
    """Shared helpers: the officer, objects by pk (404 otherwise), the territory tree once per request."""

    @property
    def petugas(self) -> User:
        user = self.request.user
        assert isinstance(user, User)  # VillageOperatorView let only operators in
        return user

    def penduduk(self) -> Penduduk:
        if not hasattr(self, "_penduduk"):
            found = selectors.penduduk_get(pk=self.kwargs["pk"])
            if found is None:
                raise Http404("Penduduk tidak ditemukan.")
            self._penduduk = found
        return self._penduduk

    def keluarga(self) -> Keluarga:
        if not hasattr(self, "_keluarga"):
            found = selectors.keluarga_get(pk=self.kwargs["pk"])
            if found is None:
                raise Http404("Keluarga tidak ditemukan.")
            self._keluarga = found
        return self._keluarga

    def tree(self) -> list[Dusun]:
        if not hasattr(self, "_tree"):
            self._tree = list(selectors.wilayah_tree())
        return self._tree


class _FormPage(_Page):
    """GET shows the form; POST validates it, calls the service and redirects, or shows the errors."""

    template_name = "penduduk/form.html"
    title = ""
    submit_label = "Simpan"
    #: Service error keys that belong to a differently named form field.
    error_aliases: dict[str, str] = {}  # read-only class default

    def make_form(self, data: Mapping[str, Any] | None = None) -> f.BalaiForm:
        raise NotImplementedError

    def save(self, form: Any) -> HttpResponse:
        """Calls the service(s); a ValidationError is shown on the form."""
        raise NotImplementedError

    def cancel_url(self) -> str:
        return reverse("penduduk:list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", self.make_form())
        ctx.setdefault("title", self.title)
        ctx.setdefault("submit_label", self.submit_label)
        ctx.setdefault("cancel_url", self.cancel_url())
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                return self.save(form)
            except ValidationError as exc:
                form.add_service_errors(exc, aliases=self.error_aliases)
        return self.render_to_response(self.get_context_data(form=form))


# --- residents -------------------------------------------------------------------------


def wilayah_singkat(rt: Rt | None) -> str:
    """'Dusun I · 001/002', or 'Dusun I · RT 002' where the dusun has no RW."""
    if rt is None:
        return ""
    rw = rt.rw
    return f"{rw.dusun.nama} · {rw.nomor}/{rt.nomor}" if rw.nomor != "-" else f"{rw.dusun.nama} · RT {rt.nomor}"


def _list_row(p: Penduduk, today: dt.date) -> dict[str, Any]:
    """What one row of the resident list shows, as plain values (the template only prints them)."""
    keluarga = p.keluarga
    return {
        "pk": p.pk,
        "nama": p.nama,
        "nik": p.nik,
        "no_kk": keluarga.no_kk if keluarga else "",
        "keluarga_id": p.keluarga_id,
        "jk": "L" if p.jenis_kelamin == ref.JenisKelamin.LAKI_LAKI else "P",
        "umur": umur(p.tanggal_lahir, today),
        "wilayah": wilayah_singkat(p.rt),
        "status": "" if p.status_dasar == ref.StatusDasar.HIDUP else p.get_status_dasar_display(),
        "periksa": p.perlu_diperiksa,
        "catatan": p.catatan_periksa,
        "sementara": p.nik_sementara,
    }


class PendudukListView(_Page):
    template_name = "penduduk/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        form = f.PendudukFilterForm(self.request.GET or None, tree=self.tree())
        query = form.selector_kwargs() if form.is_bound else {}
        page = _page(self.request, selectors.penduduk_list(**query))
        today = timezone.localdate()
        ctx.update(
            filter_form=form,
            selects=form.selects(),
            base=reverse("penduduk:list"),
            q=query.get("q", ""),
            page=page,
            rows=[_list_row(p, today) for p in page.object_list],
            filters_active=form.active_filters() if form.is_bound else 0,
            filtered=bool(query),
        )
        return ctx


def _display(obj: Any, name: str) -> str:
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value in (None, ""):
        return ""
    if field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def penduduk_sections(p: Penduduk) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every SIAK field of the resident with its label, grouped like the form."""
    out = []
    for _, title, names in f.SECTIONS:
        rows: list[tuple[str, str]] = []
        for name in names:
            if name == "no_kk":
                rows.append(("No. KK", p.keluarga.no_kk if p.keluarga else ""))
            elif name == "rt":
                rows.append(("Dusun / RW / RT", wilayah_label(p.rt)))
            else:
                label = str(getattr(Penduduk._meta.get_field(name), "verbose_name", name))
                rows.append((label[:1].upper() + label[1:], _display(p, name)))
            if name == "warganegara":
                rows.append(("Status dasar", p.get_status_dasar_display()))
        out.append((title, rows))
    return out


def _label_of(name: str) -> str:
    try:
        label = str(getattr(Penduduk._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:  # keys of other models (keluarga, rumah tangga) keep their name
        label = name.replace("_", " ")
    return label[:1].upper() + label[1:]


def _value_of(name: str, value: Any) -> str:
    table: type[IntegerChoices] | None = ref.TABLES.get(name)
    if table is not None and isinstance(value, int) and value in table.values:
        return str(table(value).label)
    if value in (None, ""):
        return "—"
    return str(value)


def mutasi_rows(mutasi: Sequence[Mutasi]) -> list[dict[str, Any]]:
    """Mutasi with their {field: [old, new]} as readable labels and values."""
    out = []
    for m in mutasi:
        changes = []
        perubahan = m.perubahan if isinstance(m.perubahan, dict) else {}
        for name, pair in perubahan.items():
            old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
            changes.append((_label_of(name), _value_of(name, old), _value_of(name, new)))
        out.append({"m": m, "changes": changes})
    return out


class PendudukDetailView(_Page):
    """The full record. Opening it writes exactly one access-log row (who, when, which resident)."""

    template_name = "penduduk/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        p = self.penduduk()
        services.akses_log_catat(penduduk=p, petugas=self.petugas, jalur="web")
        today = timezone.localdate()
        anggota: list[Penduduk] = []
        if p.keluarga_id is not None:
            keluarga = selectors.keluarga_get(pk=p.keluarga_id)
            anggota = list(keluarga.anggota.all()) if keluarga else []
        rumah_tangga = selectors.rumah_tangga_get(pk=p.rumah_tangga_id) if p.rumah_tangga_id else None
        ctx.update(
            p=p,
            umur=umur(p.tanggal_lahir, today),
            sections=penduduk_sections(p),
            anggota=[(a, umur(a.tanggal_lahir, today)) for a in anggota],
            rumah_tangga=rumah_tangga,
            peristiwa=selectors.peristiwa_for_penduduk(penduduk=p),
            mutasi=mutasi_rows(list(selectors.mutasi_for_penduduk(penduduk=p)[:100])),
            akses_log=list(selectors.akses_log_for_penduduk(penduduk=p)[:50]),
            hidup=p.status_dasar == ref.StatusDasar.HIDUP,
        )
        return ctx


def _editable_fields() -> set[str]:
    fields = getattr(services, "UPDATABLE_FIELDS", None)
    return set(fields) if fields is not None else set(f.MODEL_FIELDS) | {"rt"}


class PendudukCreateView(_FormPage):
    template_name = "penduduk/penduduk_form.html"
    title = "Tambah penduduk"

    def make_form(self, data: Mapping[str, Any] | None = None) -> f.BalaiForm:
        initial = {"no_kk": self.request.GET.get("no_kk", "")}
        return f.PendudukForm(data, tree=self.tree(), create=True, initial=initial)

    def save(self, form: f.PendudukForm) -> HttpResponse:
        data = form.model_data()
        no_kk = normalize_number(form.cleaned_data.get("no_kk") or "")
        keluarga = selectors.keluarga_by_no_kk(no_kk=no_kk) if no_kk else None
        if no_kk and keluarga is None:
            data.pop("hubungan", None)  # the head of a new KK is always Kepala Keluarga
            keluarga = services.keluarga_create(
                no_kk=no_kk,
                kepala=data,
                alamat=data.get("alamat_sekarang", ""),
                rt=data.get("rt"),
                petugas=self.petugas,
            )
            penduduk = selectors.kepala_keluarga_of(keluarga=keluarga)
            assert penduduk is not None
            messages.success(self.request, f"{penduduk.nama} ditambahkan sebagai kepala keluarga KK baru {no_kk}.")
        else:
            penduduk = services.penduduk_create(**data, keluarga=keluarga, petugas=self.petugas)
            messages.success(self.request, f"{penduduk.nama} ditambahkan ke data penduduk (NIK {penduduk.nik}).")
        return redirect("penduduk:detail", pk=penduduk.pk)


class PendudukUpdateView(_FormPage):
    template_name = "penduduk/penduduk_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Ubah data {self.penduduk().nama}")
        kwargs.setdefault("p", self.penduduk())
        return super().get_context_data(**kwargs)

    def cancel_url(self) -> str:
        return reverse("penduduk:detail", kwargs={"pk": self.penduduk().pk})

    def make_form(self, data: Mapping[str, Any] | None = None) -> f.BalaiForm:
        p = self.penduduk()
        editable = _editable_fields()
        initial = {name: getattr(p, name) for name in f.MODEL_FIELDS if name in editable}
        initial["rt"] = p.rt_id
        return f.PendudukForm(data, tree=self.tree(), create=False, editable=editable, initial=initial)

    def save(self, form: f.PendudukForm) -> HttpResponse:
        p = self.penduduk()
        changed = {}
        for name, value in form.model_data().items():
            current = p.rt if name == "rt" else getattr(p, name)
            if current != value and not (current in (None, "") and value in (None, "")):
                changed[name] = value
        if changed:
            services.penduduk_update(penduduk=p, data=changed, petugas=self.petugas)
            messages.success(self.request, f"Data {p.nama} disimpan ({len(changed)} isian berubah).")
        else:
            messages.info(self.request, "Tidak ada perubahan.")
        return redirect("penduduk:detail", pk=p.pk)


class PeristiwaView(_FormPage):
    """Mati, pindah keluar, hilang, pergi; a head with living members hands the family to a new head."""

    template_name = "penduduk/peristiwa_form.html"

    def calon_kepala(self) -> list[Penduduk]:
        p = self.penduduk()
        if p.keluarga_id is None or p.hubungan != ref.Hubungan.KEPALA_KELUARGA:
            return []
        keluarga = selectors.keluarga_get(pk=p.keluarga_id)
        if keluarga is None:
            return []
        return [a for a in keluarga.anggota.all() if a.pk != p.pk and a.status_dasar == ref.StatusDasar.HIDUP]

    def make_form(self, data: Mapping[str, Any] | None = None) -> f.BalaiForm:
        jenis = self.request.GET.get("jenis", "")
        today = timezone.localdate()
        initial = {"jenis": jenis, "tanggal_lapor": today}
        return f.PeristiwaForm(data, calon_kepala=self.calon_kepala(), initial=initial)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        p = self.penduduk()
        kwargs.setdefault("p", p)
        kwargs.setdefault("title", f"Catat peristiwa: {p.nama}")
        kwargs.setdefault("hidup", p.status_dasar == ref.StatusDasar.HIDUP)
        return super().get_context_data(**kwargs)

    def cancel_url(self) -> str:
        return reverse("penduduk:detail", kwargs={"pk": self.penduduk().pk})

    def save(self, form: f.PeristiwaForm) -> HttpResponse:
        p = self.penduduk()
        data = form.cleaned_data
        peristiwa = services.peristiwa_catat(
            penduduk=p,
            jenis=data["jenis"],
            tanggal_peristiwa=data["tanggal_peristiwa"],
            tanggal_lapor=data["tanggal_lapor"],
            tingkat_pindah=data.get("tingkat_pindah"),
            alamat_tujuan=data.get("alamat_tujuan", ""),
            keterangan=data.get("keterangan", ""),
            kepala_baru=form.kepala_baru_terpilih(),
            petugas=self.petugas,
        )
        messages.success(self.request, f"Peristiwa {peristiwa.get_jenis_display().lower()} {p.nama} dicatat.")
        return redirect("penduduk:detail", pk=p.pk)


class NikGantiView(_FormPage):
    title = "Ganti NIK sementara"
    submit_label = "Ganti NIK"

    def make_form(self, data: Mapping[str, Any] | None = None) -> f.BalaiForm:
        return f.NikGantiForm(data)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        p = self.penduduk()
        kwargs.setdefault("p", p)
        kwargs.setdefault("intro", f"{p.nama} memakai NIK sementara {p.nik}. Isi NIK dari Dukcapil untuk menggantinya.")
        return super().get_context_data(**kwargs)

    def cancel_url(self) -> str:
        return reverse("penduduk:detail", kwargs={"pk": self.penduduk().pk})

    def save(self, form: f.NikGantiForm) -> HttpResponse:
        p = self.penduduk()
        lama = p.nik
        services.penduduk_nik_ganti(penduduk=p, nik_baru=form.cleaned_data["nik_baru"], petugas=self.petugas)
        messages.success(self.request, f"NIK {p.nama} diganti dari {lama} menjadi {p.nik}.")
        return redirect("penduduk:detail", pk=p.pk)


class PindahKkView(_FormPage):
    error_aliases = {"keluarga_tujuan": "no_kk"}
    title = "Pindah ke KK lain"
    submit_label = "Pindahkan"

    def make_form(self, data: Mapping[str, Any] | None = None) -> f.BalaiForm:
        return f.PindahKkForm(data)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        p = self.penduduk()
        kwargs.setdefault("p", p)
        asal = f"dari KK {p.keluarga.no_kk}" if p.keluarga else "(belum ber-KK)"
        kwargs.setdefault("intro", f"Memindahkan {p.nama} {asal} ke KK lain yang sudah terdaftar di desa ini.")
        return super().get_context_data(**kwargs)

    def cancel_url(self) -> str:
        return reverse("penduduk:detail", kwargs={"pk": self.penduduk().pk})

    def save(self, form: f.PindahKkForm) -> HttpResponse:
        p = self.penduduk()
        no_kk = normalize_number(form.cleaned_data["no_kk"])
        tujuan = selectors.keluarga_by_no_kk(no_kk=no_kk)
        if tujuan is None:
            raise ValidationError({"no_kk": [f"No. KK {no_kk} tidak terdaftar di desa ini. Periksa kembali No. KK."]})
        services.penduduk_pindah_kk(
            penduduk=p, keluarga_tujuan=tujuan, hubungan=form.cleaned_data["hubungan"], petugas=self.petugas
        )
        messages.success(self.request, f"{p.nama} dipindahkan ke KK {tujuan.no_kk}.")
        return redirect("penduduk:detail", pk=p.pk)


class DatangView(_FormPage):
    """A resident moving in (pindah masuk), into a registered KK or a new one."""

    error_aliases = {"no_kk_baru": "no_kk", "keluarga": "no_kk"}
    template_name = "penduduk/penduduk_form.html"
    title = "Penduduk datang (pindah masuk)"

    def make_form(self, data: Mapping[str, Any] | None = None) -> f.BalaiForm:
        today = timezone.localdate()
        initial = {
            "no_kk": self.request.GET.get("no_kk", ""),
            "tanggal_lapor": today,
            "status_penduduk": ref.StatusPenduduk.TETAP,
        }
        return f.DatangForm(data, tree=self.tree(), initial=initial)

    def save(self, form: f.DatangForm) -> HttpResponse:
        data = form.model_data()
        no_kk = normalize_number(form.cleaned_data["no_kk"])
        keluarga = selectors.keluarga_by_no_kk(no_kk=no_kk)
        if keluarga is None:
            data.pop("hubungan", None)  # the head of a new KK is always Kepala Keluarga
        penduduk = services.peristiwa_datang(
            data=data,
            keluarga=keluarga,
            no_kk_baru="" if keluarga else no_kk,
            alamat_asal=form.cleaned_data.get("alamat_asal", ""),
            tanggal_peristiwa=form.cleaned_data["tanggal_peristiwa"],
            tanggal_lapor=form.cleaned_data["tanggal_lapor"],
            keterangan=form.cleaned_data.get("keterangan", ""),
            petugas=self.petugas,
        )
        messages.success(self.request, f"Kedatangan {penduduk.nama} dicatat.")
        return redirect("penduduk:detail", pk=penduduk.pk)


# --- families -----------------------------------------------------------------------------


def _hidup(anggota: Sequence[Penduduk]) -> list[Penduduk]:
    return [a for a in anggota if a.status_dasar == ref.StatusDasar.HIDUP]


class KeluargaListView(_Page):
    template_name = "penduduk/keluarga_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()[:100]
        page = _page(self.request, selectors.keluarga_list(q=q))
        rows = []
        for k in page.object_list:
            anggota = list(k.anggota.all())
            kepala = next((a for a in anggota if a.hubungan == ref.Hubungan.KEPALA_KELUARGA), None)
            rows.append({"k": k, "kepala": kepala, "jumlah": len(_hidup(anggota)), "wilayah": wilayah_label(k.rt)})
        ctx.update(q=q, page=page, rows=rows, base=reverse("penduduk:list"))
        return ctx


class KeluargaCreateView(_FormPage):
    error_aliases = {"kepala": "nik_kepala"}
    title = "Tambah KK dari penduduk yang ada"
    submit_label = "Buat KK"

    def make_form(self, data: Mapping[str, Any] | None = None) -> f.BalaiForm:
        return f.KeluargaTambahForm(data, tree=self.tree(), initial={"nik_kepala": self.request.GET.get("nik", "")})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault(
            "intro",
            "Kartu keluarga baru untuk penduduk yang belum ber-KK. Penduduk baru beserta KK-nya ditambahkan "
            "lewat \u201cTambah penduduk\u201d atau \u201cPenduduk datang\u201d.",
        )
        return super().get_context_data(**kwargs)

    def cancel_url(self) -> str:
        return reverse("penduduk:keluarga-list")

    def save(self, form: f.KeluargaTambahForm) -> HttpResponse:
        nik = normalize_number(form.cleaned_data["nik_kepala"])
        kepala = selectors.penduduk_holding_nik(nik=nik)
        if kepala is None:
            raise ValidationError({"nik_kepala": [f"Tidak ada penduduk dengan NIK {nik} di desa ini."]})
        keluarga = services.keluarga_create(
            no_kk=form.cleaned_data["no_kk"],
            kepala=kepala,
            alamat=form.cleaned_data["alamat"],
            rt=form.cleaned_data["rt"],
            petugas=self.petugas,
        )
        messages.success(self.request, f"KK {keluarga.no_kk} dibuat dengan kepala keluarga {kepala.nama}.")
        return redirect("penduduk:keluarga-detail", pk=keluarga.pk)


class KeluargaDetailView(_Page):
    template_name = "penduduk/keluarga_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        k = self.keluarga()
        today = timezone.localdate()
        anggota = list(k.anggota.all())
        ctx.update(
            k=k,
            wilayah=wilayah_label(k.rt),
            anggota=[(a, umur(a.tanggal_lahir, today)) for a in anggota],
            jumlah_hidup=len(_hidup(anggota)),
            mutasi=mutasi_rows(list(selectors.mutasi_for_keluarga(keluarga=k)[:100])),
        )
        return ctx


class _KeluargaFormPage(_FormPage):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("k", self.keluarga())
        return super().get_context_data(**kwargs)

    def cancel_url(self) -> str:
        return reverse("penduduk:keluarga-detail", kwargs={"pk": self.keluarga().pk})

    def anggota_hidup(self) -> list[Penduduk]:
        return _hidup(list(self.keluarga().anggota.all()))

    def done(self, message: str) -> HttpResponseRedirect:
        messages.success(self.request, message)
        return redirect("penduduk:keluarga-detail", pk=self.keluarga().pk)


class LahirView(_KeluargaFormPage):
    error_aliases = {"tanggal_peristiwa": "tanggal_lahir"}
    template_name = "penduduk/form.html"
    submit_label = "Catat kelahiran"

    def make_form(self, data: Mapping[str, Any] | None = None) -> f.BalaiForm:
        today = timezone.localdate()
        k = self.keluarga()
        kepala = next((a for a in k.anggota.all() if a.hubungan == ref.Hubungan.KEPALA_KELUARGA), None)
        initial: dict[str, Any] = {"tanggal_lapor": today, "hubungan": ref.Hubungan.ANAK}
        if kepala is not None:
            initial["agama"] = kepala.agama
        return f.LahirForm(data, initial=initial)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Kelahiran di KK {self.keluarga().no_kk}")
        return super().get_context_data(**kwargs)

    def save(self, form: f.LahirForm) -> HttpResponse:
        data = form.penduduk_data()
        bayi = services.peristiwa_lahir(
            keluarga=self.keluarga(),
            data=data,
            tanggal_peristiwa=form.cleaned_data["tanggal_lahir"],
            tanggal_lapor=form.cleaned_data["tanggal_lapor"],
            keterangan=form.cleaned_data["keterangan"],
            petugas=self.petugas,
        )
        messages.success(self.request, f"Kelahiran {bayi.nama} dicatat (NIK {bayi.nik}).")
        return redirect("penduduk:detail", pk=bayi.pk)


class KepalaGantiView(_KeluargaFormPage):
    submit_label = "Ganti kepala keluarga"

    def make_form(self, data: Mapping[str, Any] | None = None) -> f.BalaiForm:
        calon = [a for a in self.anggota_hidup() if a.hubungan != ref.Hubungan.KEPALA_KELUARGA]
        return f.KepalaGantiForm(data, anggota=calon)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Ganti kepala keluarga KK {self.keluarga().no_kk}")
        return super().get_context_data(**kwargs)

    def save(self, form: f.KepalaGantiForm) -> HttpResponse:
        baru = form.by_pk[form.cleaned_data["kepala_baru"]]
        services.keluarga_kepala_change(
            keluarga=self.keluarga(),
            kepala_baru=baru,
            hubungan_kepala_lama=form.cleaned_data["hubungan_kepala_lama"],
            petugas=self.petugas,
        )
        return self.done(f"{baru.nama} sekarang kepala keluarga KK {self.keluarga().no_kk}.")


class PecahKkView(_KeluargaFormPage):
    submit_label = "Pecah KK"

    def make_form(self, data: Mapping[str, Any] | None = None) -> f.BalaiForm:
        return f.PecahKkForm(data, anggota=self.anggota_hidup(), tree=self.tree())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Pecah KK {self.keluarga().no_kk}")
        kwargs.setdefault(
            "intro",
            "Anggota yang dipilih keluar dari KK ini dan masuk KK baru dengan kepala keluarga yang dipilih. "
            "Bila kepala keluarga lama ikut pindah, pilih dulu kepala keluarga baru untuk KK ini lewat "
            "\u201cGanti kepala keluarga\u201d.",
        )
        return super().get_context_data(**kwargs)

    def save(self, form: f.PecahKkForm) -> HttpResponse:
        data = form.cleaned_data
        baru = services.keluarga_pecah(
            keluarga=self.keluarga(),
            anggota=[form.by_pk[pk] for pk in data["anggota"]],
            kepala=form.by_pk[data["kepala"]],
            no_kk_baru=data["no_kk_baru"],
            alamat=data["alamat"],
            rt=data["rt"],
            petugas=self.petugas,
        )
        messages.success(self.request, f"KK baru {baru.no_kk} dibuat dari KK {self.keluarga().no_kk}.")
        return redirect("penduduk:keluarga-detail", pk=baru.pk)


class AnggotaTambahView(_KeluargaFormPage):
    error_aliases = {"penduduk": "nik"}
    submit_label = "Tambahkan"

    def make_form(self, data: Mapping[str, Any] | None = None) -> f.BalaiForm:
        return f.AnggotaTambahForm(data, initial={"hubungan": ref.Hubungan.ANAK})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        k = self.keluarga()
        kwargs.setdefault("title", f"Tambah anggota KK {k.no_kk}")
        kwargs.setdefault(
            "intro",
            "Untuk penduduk desa ini yang belum ber-KK. Anggota dari KK lain dipindahkan lewat \u201cPindah KK\u201d "
            "di halaman penduduk; bayi baru lewat \u201cCatat kelahiran\u201d.",
        )
        kwargs.setdefault("links", [(reverse("penduduk:lahir", kwargs={"pk": k.pk}), "Catat kelahiran")])
        return super().get_context_data(**kwargs)

    def save(self, form: f.AnggotaTambahForm) -> HttpResponse:
        nik = normalize_number(form.cleaned_data["nik"])
        penduduk = selectors.penduduk_holding_nik(nik=nik)
        if penduduk is None:
            raise ValidationError({"nik": [f"Tidak ada penduduk dengan NIK {nik} di desa ini."]})
        services.keluarga_add_member(
            keluarga=self.keluarga(), penduduk=penduduk, hubungan=form.cleaned_data["hubungan"], petugas=self.petugas
        )
        return self.done(f"{penduduk.nama} ditambahkan ke KK {self.keluarga().no_kk}.")


# --- households ---------------------------------------------------------------------------


class RumahTanggaListView(_Page):
    template_name = "penduduk/rumah_tangga_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()[:100]
        page = _page(self.request, selectors.rumah_tangga_list(q=q))
        rows = []
        for r in page.object_list:
            anggota = list(r.anggota.all())
            kepala = next((a for a in anggota if a.hubungan_rtm == ref.HubunganRumahTangga.KEPALA), None)
            rows.append({"r": r, "kepala": kepala, "jumlah": len(anggota), "wilayah": wilayah_label(r.rt)})
        ctx.update(q=q, page=page, rows=rows, base=reverse("penduduk:list"))
        return ctx


class RumahTanggaCreateView(_FormPage):
    error_aliases = {"kepala": "nik_kepala"}
    title = "Tambah rumah tangga"
    submit_label = "Buat rumah tangga"

    def make_form(self, data: Mapping[str, Any] | None = None) -> f.BalaiForm:
        return f.RumahTanggaTambahForm(data, tree=self.tree(), initial={"nik_kepala": self.request.GET.get("nik", "")})

    def cancel_url(self) -> str:
        return reverse("penduduk:rumah-tangga-list")

    def save(self, form: f.RumahTanggaTambahForm) -> HttpResponse:
        nik = normalize_number(form.cleaned_data["nik_kepala"])
        kepala = selectors.penduduk_holding_nik(nik=nik)
        if kepala is None:
            raise ValidationError({"nik_kepala": [f"Tidak ada penduduk dengan NIK {nik} di desa ini."]})
        rtm = services.rumah_tangga_create(
            no_rtm=form.cleaned_data["no_rtm"], kepala=kepala, rt=form.cleaned_data["rt"], petugas=self.petugas
        )
        messages.success(self.request, f"Rumah tangga {rtm.no_rtm} dibuat dengan kepala {kepala.nama}.")
        return redirect("penduduk:rumah-tangga-detail", pk=rtm.pk)


class RumahTanggaDetailView(_FormPage):
    """Members of a household; POST adds a member (by NIK) or, with `keluarkan`, removes one."""

    error_aliases = {"penduduk": "nik"}
    template_name = "penduduk/rumah_tangga_detail.html"

    def rumah_tangga(self) -> RumahTangga:
        if not hasattr(self, "_rtm"):
            found = selectors.rumah_tangga_get(pk=self.kwargs["pk"])
            if found is None:
                raise Http404("Rumah tangga tidak ditemukan.")
            self._rtm = found
        return self._rtm

    def make_form(self, data: Mapping[str, Any] | None = None) -> f.BalaiForm:
        return f.RumahTanggaAnggotaForm(data)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        r = self.rumah_tangga()
        today = timezone.localdate()
        kwargs.update(
            r=r,
            wilayah=wilayah_label(r.rt),
            anggota=[(a, umur(a.tanggal_lahir, today)) for a in r.anggota.all()],
            mutasi=mutasi_rows(list(selectors.mutasi_for_rumah_tangga(rumah_tangga=r)[:100])),
        )
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        r = self.rumah_tangga()
        keluarkan = request.POST.get("keluarkan", "")
        if keluarkan:
            anggota = {str(a.pk): a for a in r.anggota.all()}
            target = anggota.get(keluarkan)
            if target is None:
                messages.error(request, "Penduduk itu bukan anggota rumah tangga ini.")
            else:
                try:
                    services.rumah_tangga_remove_member(penduduk=target, petugas=self.petugas)
                except ValidationError as exc:
                    for message in exc.messages:
                        messages.error(request, message)
                else:
                    messages.success(request, f"{target.nama} dikeluarkan dari rumah tangga {r.no_rtm}.")
            return redirect("penduduk:rumah-tangga-detail", pk=r.pk)
        return super().post(request, *args, **kwargs)

    def save(self, form: f.RumahTanggaAnggotaForm) -> HttpResponse:
        r = self.rumah_tangga()
        nik = normalize_number(form.cleaned_data["nik"])
        penduduk = selectors.penduduk_holding_nik(nik=nik)
        if penduduk is None:
            raise ValidationError({"nik": [f"Tidak ada penduduk dengan NIK {nik} di desa ini."]})
        services.rumah_tangga_add_member(rumah_tangga=r, penduduk=penduduk, petugas=self.petugas)
        messages.success(self.request, f"{penduduk.nama} ditambahkan ke rumah tangga {r.no_rtm}.")
        return redirect("penduduk:rumah-tangga-detail", pk=r.pk)


# --- territory ----------------------------------------------------------------------------


class WilayahView(_Page):
    """The dusun -> RW -> RT tree; every change is a POST here naming the action and its target."""

    template_name = "penduduk/wilayah.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["tree"] = self.tree()
        ctx["jumlah_rt"] = sum(len(rw.rt_set.all()) for d in self.tree() for rw in d.rw_set.all())
        return ctx

    def _target(self, value: str) -> Dusun | Rw | Rt | None:
        level, _, pk = value.partition("-")
        for dusun in self.tree():
            if level == "dusun" and str(dusun.pk) == pk:
                return dusun
            for rw in dusun.rw_set.all():
                if level == "rw" and str(rw.pk) == pk:
                    return rw
                for rt in rw.rt_set.all():
                    if level == "rt" and str(rt.pk) == pk:
                        return rt
        return None

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = f.WilayahForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, str(message))
            return redirect("penduduk:wilayah")
        aksi = form.cleaned_data["aksi"]
        nama = form.cleaned_data["nama"].strip()
        nomor = form.cleaned_data["nomor"].strip()
        target = self._target(form.cleaned_data["target"])
        try:
            if aksi == "dusun-tambah":
                dusun = services.dusun_create(nama=nama, petugas=self.petugas)
                messages.success(request, f"Dusun {dusun.nama} ditambahkan.")
            elif aksi == "dusun-ubah" and isinstance(target, Dusun):
                lama = target.nama
                services.dusun_update(dusun=target, nama=nama, petugas=self.petugas)
                messages.success(request, f"Dusun {lama} diubah namanya menjadi {nama}.")
            elif aksi == "rw-tambah" and isinstance(target, Dusun):
                rw = services.rw_create(dusun=target, nomor=nomor, petugas=self.petugas)
                messages.success(request, f"RW {rw.nomor} ditambahkan di {target.nama}.")
            elif aksi == "rt-tambah" and isinstance(target, Rw):
                rt = services.rt_create(rw=target, nomor=nomor, petugas=self.petugas)
                messages.success(request, f"RT {rt.nomor} ditambahkan di RW {target.nomor} {target.dusun.nama}.")
            elif aksi == "hapus" and target is not None:
                label = target.nama if isinstance(target, Dusun) else str(target)
                services.wilayah_delete(obj=target, petugas=self.petugas)
                messages.success(request, f"{label} dihapus.")
            else:
                messages.error(request, "Wilayah yang dipilih tidak ditemukan. Muat ulang halaman lalu coba lagi.")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("penduduk:wilayah")
