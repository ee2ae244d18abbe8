"""Province (PMDT), kabupaten, kecamatan and village consoles on the apex domain.

Every page reads only the fact table and the reference tables through provinsi.selectors,
with a fixed number of queries whatever the number of villages. Scope: a user opens a
region only if one of their console roles contains it (User.sees_region); anything else
is the same 404 as a region that does not exist.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from platform_core.accounts.models import Role, User
from platform_core.facts import registry
from platform_core.facts.models import Fakta, StatusDesa
from platform_core.facts.services import generasi as fakta_generasi
from platform_core.tenancy.models import Village
from platform_core.web.access import ConsoleView
from platform_core.web.charts import chart_config
from platform_core.wilayah.models import Kabupaten, Kecamatan, Provinsi
from provinsi import selectors as sel
from provinsi.services import status_idm_impor
from provinsi.templatetags.konsol import angka, angka_teks

# Columns of the region tables: indicators shown when registered (the rest are one click away).
KOLOM_UTAMA = ("penduduk_jumlah", "rasio_ktp_el", "kesegaran_hari", "operator_aktif_minggu")
TREN_KUNCI = ("penduduk_jumlah", "kesegaran_hari", "rasio_ktp_el")
T = TypeVar("T")
HALAMAN_SIMPAN_DETIK = 3600  # a region page's cached content; refreshed in the background long before


def wilayah_label(role: Role) -> str:
    """'Provinsi Lampung', 'Kabupaten Lampung Selatan', 'Kecamatan Candipuro' for a console role."""
    return sel.nama_wilayah(role.kode_wilayah) or role.kode_wilayah


def _f(nilai: float | None) -> float:
    return round(nilai * 100, 1) if nilai is not None else 0.0


class _Konsol(ConsoleView):
    """Shared context: the user's role for the layout, the period, the scope check."""

    def user_(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def buka(self, kode: str, tingkat: sel.Tingkat) -> None:
        """404 unless `kode` is a region of that level inside one of the user's roles."""
        if sel.tingkat_dari_kode(kode) != tingkat or not self.user_().sees_region(kode):
            raise Http404("Halaman tidak ditemukan.")

    def periode(self) -> tuple[dt.date | None, list[dt.date]]:
        daftar = sel.periode_daftar()
        diminta = sel.periode_parse(self.request.GET.get("periode"))
        if diminta is not None and diminta in daftar:
            return diminta, daftar
        return (daftar[0] if daftar else None), daftar

    def link_wilayah(self, kode: str) -> str | None:
        """The console page of a region, or None when the user may not open it."""
        if not self.user_().sees_region(kode):
            return None
        tingkat = sel.tingkat_dari_kode(kode)
        if tingkat == "provinsi":
            return reverse("konsol:provinsi")
        if tingkat is None:
            return None
        return reverse(f"konsol:{tingkat}", args=[kode])

    def jejak(self, kode: str, nama: dict[str, str]) -> list[tuple[str, str | None]]:
        """Breadcrumbs province → kabupaten → kecamatan → desa (linked where the user may go)."""
        out = []
        for panjang in (2, 5, 8, 13):
            if len(kode) < panjang:
                break
            k = kode[:panjang]
            out.append((nama.get(k, k), self.link_wilayah(k)))
        return out

    # Region pages (PMDT dashboard, kabupaten, kecamatan): the page's content is rendered from
    # `halaman_isi` and cached as HTML per region, period, language and the user's set of console roles
    # (links depend on what the user may open), under the region's version (`tersimpan`). A request then
    # checks access, reads one cache entry and renders the layout around it. None: a plain page.
    halaman_isi: str | None = None

    def kode_halaman(self) -> str:
        """The page's region after the access check (404 when the user may not open it)."""
        raise NotImplementedError

    def konteks_isi(self, **kwargs: Any) -> dict[str, Any]:
        """The content's context (everything the page shows)."""
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if self.halaman_isi is None:
            return self.konteks_dasar(**kwargs)
        return self.halaman(paksa=False, **kwargs)

    def segarkan_di_latar(self, periode: dt.date | None) -> bool:
        """Hand the refresh of this page to a worker (maintenance queue); False when it can't be sent."""
        from provinsi.tasks import maintenance_konsol_segarkan

        query = f"periode={periode:%Y-%m}" if periode else ""
        try:
            maintenance_konsol_segarkan.apply_async(
                args=(self.request.path, query, self.user_().pk, get_language()), expires=60, retry=False
            )
        except Exception:  # broker down: this request computes it
            return False
        return True

    def halaman(self, *, paksa: bool, **kwargs: Any) -> dict[str, Any]:
        """The page's context; its content from the cache (`paksa`: recomputed and stored)."""
        kode = self.kode_halaman()
        periode, _daftar = self.periode()
        peran = ",".join(sorted(f"{r.tingkat}:{r.kode_wilayah}" for r in self.user_().console_roles()))
        lingkup = hashlib.sha256(peran.encode()).hexdigest()[:12]
        isi_template = self.halaman_isi
        assert isi_template is not None  # only region pages come here

        def hitung() -> dict[str, str]:
            isi = self.konteks_isi(**kwargs)
            # Rendered without the request: nothing user- or request-specific (CSRF, query string) is cached.
            return {
                "html": render_to_string(isi_template, isi),
                "nama": str(isi.get("nama", "")),
                "wilayah_label": str(isi.get("wilayah_label", "")),
            }

        nama_bagian = f"halaman:{type(self).__name__}:{lingkup}"
        bagian = self.tersimpan(
            nama_bagian,
            kode=kode,
            periode=periode,
            hitung=hitung,
            detik=self.SEGAR_DETIK,
            di_latar=None if paksa else lambda: self.segarkan_di_latar(periode),
            paksa=paksa,
        )
        ctx = self.konteks_dasar(wilayah_label=bagian["wilayah_label"], **kwargs)
        ctx["nama"] = bagian["nama"]
        ctx["isi"] = mark_safe(bagian["html"])  # noqa: S308  # rendered (autoescaped) by the template engine
        ctx["judul_dasbor"] = self.halaman_isi == "provinsi/provinsi.html"
        return ctx

    def konteks_dasar(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        role = self.primary_role()
        ctx["role"] = role
        ctx["role_label"] = role.get_tingkat_display()
        ctx["wilayah_label"] = ctx.get("wilayah_label") or wilayah_label(role)
        ctx["nav_provinsi"] = any(r.tingkat == Role.Tingkat.PROVINSI for r in self.user_().console_roles())
        return ctx

    def kolom(self) -> list[registry.Indikator]:
        ada = {i.kunci: i for i in registry.semua()}
        return [ada[k] for k in KOLOM_UTAMA if k in ada]

    def per_pilar(
        self, angka: dict[str, sel.Angka]
    ) -> list[tuple[str, str, list[tuple[registry.Indikator, sel.Angka]]]]:
        out: list[tuple[str, str, list[tuple[registry.Indikator, sel.Angka]]]] = []
        for p in sel.PILAR:
            baris = [(i, angka.get(i.kunci, sel.KOSONG)) for i in registry.semua() if i.pilar == p]
            out.append((p, sel.PILAR_LABEL[p], baris))
        return out

    SEGAR_DETIK = 60  # sections that also show freshness (StatusDesa, the clock) live a minute in the cache

    def tersimpan(  # noqa: PLR0911  # one early return per way out of the cache
        self,
        nama: str,
        *,
        kode: str,
        periode: dt.date | None,
        hitung: Callable[[], T],
        detik: int,
        di_latar: Callable[[], bool] | None = None,
        paksa: bool = False,
    ) -> T:
        """`hitung()` through the platform cache, stale-while-revalidate, per region.

        An entry carries the region's version (`versi_wilayah`: when the region's own stored rollups were
        last refreshed, plus the global facts generation that full rebuilds bump). Same version: served.
        Older version: the first request recomputes it and holds a refresh mark for
        `BALAI_KONSOL_BASI_DETIK` seconds; while the mark stands, the region's data keeps changing (office
        hours: drains several times a second across the province) and other requests get the entry they
        find, so a page is at most that many seconds behind the fact table and a region's section is
        recomputed at most once per mark, not once per drain. Entries live `detik` seconds (sections that
        show the clock or freshness: a minute). Only for sections that are the same for every user who may
        open the region. Any cache error: computed.

        `di_latar` (whole pages): a stale entry is served and the refresh is handed to a worker (returns
        True when enqueued), so no request pays the recompute; an entry older than `detik` counts as stale
        (the clock moved) rather than missing. `paksa`: recompute and store (the worker's refresh)."""
        if periode is None:
            return hitung()
        versi = self.versi_wilayah(kode=kode, periode=periode)
        if versi is None:
            return hitung()
        kunci = f"konsol:{nama}:{kode}:{periode:%Y-%m}:{get_language()}"
        cache = caches["platform"]
        sekarang = time.time()
        try:
            ada = None if paksa else cache.get(kunci)
            if ada is not None:
                versi_ada, nilai_ada, *waktu = ada
                segar = not waktu or di_latar is None or sekarang - waktu[0] < detik
                if versi_ada == versi and segar:
                    return nilai_ada  # type: ignore[no-any-return]
                basi = settings.BALAI_KONSOL_BASI_DETIK
                if basi > 0 and not cache.add(f"{kunci}:segarkan", 1, timeout=basi):
                    return nilai_ada  # type: ignore[no-any-return]  # refreshed moments ago: this one waits
                if basi > 0 and di_latar is not None and di_latar():
                    return nilai_ada  # type: ignore[no-any-return]  # a worker refreshes it
        except Exception:  # a cache outage only costs speed
            return hitung()
        nilai = hitung()
        with contextlib.suppress(Exception):
            if di_latar is None:
                cache.set(kunci, (versi, nilai), timeout=detik)
            else:  # whole pages: kept an hour, refreshed in the background when stale
                cache.set(kunci, (versi, nilai, sekarang), timeout=HALAMAN_SIMPAN_DETIK)
        return nilai

    @staticmethod
    def versi_wilayah(*, kode: str, periode: dt.date) -> str | None:
        """The region's data version: global facts generation + its stored rollups' last refresh (one
        Redis read, one indexed query). None when the cache cannot be read."""
        generasi = fakta_generasi()
        if generasi is None:
            return None
        cap = sel.ringkasan_cap(periode=periode, kode=kode)
        return f"{generasi}:{cap.isoformat() if cap else '-'}"

    def tabel_wilayah(
        self,
        *,
        kode: str,
        anak: dict[str, str],
        periode: dt.date | None,
        segar_desa: dict[str, dict[str, int]] | None = None,
    ) -> tuple[list[dict[str, Any]], dict[str, dict[str, int]]]:
        """Rows of the child regions: villages, key indicators, scores, quiet villages. Three queries
        (two when the villages' freshness `segar_desa` is already read: summed per child region here)."""
        tingkat = sel.tingkat_bawah(sel.tingkat_dari_kode(kode) or "provinsi")
        angka = (
            sel.rollup(periode=periode, tingkat=tingkat, wilayah=kode, kunci=[i.kunci for i in self.kolom()])
            if periode
            else {}
        )
        if segar_desa is None:
            segar = sel.kesegaran(wilayah=kode, tingkat=tingkat)
        else:
            segar = {}
            panjang = sel.PANJANG_KODE[tingkat]
            for k_desa, per in segar_desa.items():
                jumlah = segar.setdefault(k_desa[:panjang], {b: 0 for b, _l in sel.KESEGARAN})
                for b, n in per.items():
                    jumlah[b] += n
        skor_w = sel.skor_wilayah_tersimpan(periode=periode, tingkat=tingkat, wilayah=kode) if periode else {}
        rows = []
        for k, nama in anak.items():
            per_segar = segar.get(k)
            if per_segar is None:
                continue  # no village of this region is in Balai yet
            rows.append(
                {
                    "kode": k,
                    "nama": nama,
                    "link": self.link_wilayah(k),
                    "desa": sum(per_segar.values()),
                    "sepi": per_segar["lama"] + per_segar["belum"],
                    "angka": angka.get(k, {}),
                    "skor": skor_w.get(k, {}),
                }
            )
        return rows, segar

    def bagian_umum(
        self,
        *,
        kode: str,
        nama: str,
        periode: dt.date | None,
        daftar: list[dt.date],
        total: dict[str, sel.Angka],
    ) -> dict[str, Any]:
        tingkat = sel.tingkat_dari_kode(kode) or "provinsi"
        skor_w = (
            sel.skor_wilayah_tersimpan(periode=periode, tingkat=tingkat, wilayah=kode).get(kode, {}) if periode else {}
        )
        tahun, idm = sel.idm_sebaran(wilayah=kode)
        return {
            "kode": kode,
            "nama": nama,
            "periode": periode,
            "periode_daftar": daftar,
            "pilar": self.per_pilar(total),
            "skor_wilayah": skor_w,
            "skor_total": skor_w.get("total"),
            "skor_pilar": [(p, sel.PILAR_LABEL[p], skor_w.get(p)) for p in sel.PILAR],
            "kolom": self.kolom(),
            "idm_tahun": tahun,
            "idm": idm,
            "idm_chart": chart_config(
                "doughnut", idm, label=_("Desa"), options={"plugins": {"legend": {"position": "bottom"}}}
            ),
            "indikator_berbobot": sel.jumlah_indikator_berbobot(),
        }

    @staticmethod
    def kesegaran_ctx(total: dict[str, int]) -> dict[str, Any]:
        label = dict(sel.KESEGARAN)
        rows = [(label[b], n) for b, n in total.items()]
        return {
            "rows": rows,
            "chart": chart_config(
                "doughnut", rows, label=_("Desa"), options={"plugins": {"legend": {"position": "bottom"}}}
            ),
        }

    @staticmethod
    def tren_ctx(kode: str, daftar: list[dt.date]) -> list[dict[str, Any]]:
        ada = {i.kunci: i for i in registry.semua()}
        kunci = [k for k in TREN_KUNCI if k in ada]
        out: list[dict[str, Any]] = []
        if not daftar:
            return out
        for k, seri in sel.tren(wilayah=kode, kunci=kunci, terbaru=daftar[0]).items():
            rows = [(p.strftime("%m/%Y"), float(a.nilai) if a.nilai is not None else None) for p, a in seri]
            if not rows:
                continue
            out.append(
                {
                    "indikator": ada[k],
                    "id": f"chart-tren-{k}",
                    "chart": chart_config("line", rows, label=ada[k].label),  # type: ignore[arg-type]
                }
            )
        return out


_BADGE = {"hari_ini": "text-bg-success", "minggu": "text-bg-success", "bulan": "text-bg-warning"}


_BELUM = str(angka(None))


def baris_desa_html(desa: list[dict[str, Any]], kolom: list[registry.Indikator]) -> SafeString:
    """The village table's rows as one string (hundreds of rows: no per-cell template tags, and no
    format_html per cell either: each value is escaped once, the rows are joined once)."""
    jenis = dict(Village.Jenis.choices)
    kunci = [i.kunci for i in kolom]
    baris = []
    for d in desa:
        v = d["v"]
        kec = escape(v.kecamatan.nama)
        per = d["angka"]
        sel_angka = "".join(  # on a phone: name, the first indicator, score and freshness (no sideways scroll)
            f'<td class="text-end{"" if i == 0 else " d-none d-md-table-cell"}">'
            f"{_BELUM if a is None or a.nilai is None else escape(angka_teks(a.nilai))}</td>"
            for i, a in enumerate(per.get(k) for k in kunci)
        )
        nilai_skor = d["skor"]
        teks_skor = _BELUM if nilai_skor is None else escape(angka_teks(round(float(nilai_skor) * 100, 1), 1))
        baris.append(
            f'<tr data-filter-item data-filter-text="{kec}">\n<th scope="row" class="fw-normal">'
            f'<a href="{escape(d["link"])}">{escape(f"{jenis.get(v.jenis, v.jenis)} {v.nama}")}</a> '
            f'<span class="small text-body-secondary d-none d-md-inline">{kec}</span></th>\n{sel_angka}\n'
            f'<td class="text-end">{teks_skor}</td>\n'
            f'<td><span class="badge {_BADGE.get(d["segar"], "text-bg-danger")}">{escape(d["segar_label"])}</span></td>'
            "\n</tr>"
        )
    return mark_safe("\n".join(baris))  # noqa: S308  # every value above is escaped


class ConsoleHomeView(_Konsol):
    """Sends each role to its landing page: province → PMDT dashboard, kabupaten, kecamatan."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]  # delegates to another view
        role = self.primary_role()
        if role.tingkat == Role.Tingkat.PROVINSI:
            return ProvinsiView.as_view()(request)
        if role.tingkat == Role.Tingkat.KABUPATEN:
            return KabupatenView.as_view()(request, kode=role.kode_wilayah)
        return KecamatanView.as_view()(request, kode=role.kode_wilayah)


class ProvinsiView(_Konsol):
    """PMDT dashboard: province totals by pillar, kabupaten table and chart, rankings,
    freshness, quiet villages, trend, IDM status."""

    template_name = "provinsi/halaman.html"
    halaman_isi = "provinsi/provinsi.html"

    def kode_halaman(self) -> str:
        roles = [r for r in self.user_().console_roles() if r.tingkat == Role.Tingkat.PROVINSI]
        if not roles:
            raise Http404("Halaman tidak ditemukan.")
        return roles[0].kode_wilayah

    def konteks_isi(self, **kwargs: Any) -> dict[str, Any]:
        kode = self.kode_halaman()
        provinsi = Provinsi.objects.filter(kode=kode).first()
        nama = f"Provinsi {provinsi.nama}" if provinsi else kode
        periode, daftar = self.periode()
        ctx = self.konteks_dasar(wilayah_label=nama, **kwargs)
        total = sel.rollup(periode=periode, tingkat="provinsi", wilayah=kode).get(kode, {}) if periode else {}
        anak = {k.kode: k.nama_lengkap for k in Kabupaten.objects.filter(provinsi_id=kode).order_by("kode")}
        rows, segar = self.tersimpan(  # links are the same for every province user (they see every region)
            "kabupaten",
            kode=kode,
            periode=periode,
            hitung=lambda: self.tabel_wilayah(kode=kode, anak=anak, periode=periode),
            detik=self.SEGAR_DETIK,
        )
        ctx.update(self.bagian_umum(kode=kode, nama=nama, periode=periode, daftar=daftar, total=total))
        ctx["tabel"] = rows
        ctx["tabel_judul"] = _("Kabupaten/kota")
        ctx["kesegaran"] = self.kesegaran_ctx(sel.kesegaran_total(segar))
        ctx["jumlah_desa"] = sum(r["desa"] for r in rows)
        ctx["chart"] = chart_config(
            "bar",
            [(r["nama"], _f(r["skor"].get("total"))) for r in rows],
            label=_("Skor gabungan (0-100)"),
            horizontal=True,
        )
        ctx["chart_title"] = _("Skor gabungan per kabupaten/kota")
        ctx["peringkat_html"] = mark_safe(  # noqa: S308  # rendered by the template engine (autoescaped)
            self.tersimpan(
                "peringkat", kode=kode, periode=periode, hitung=lambda: self.peringkat_html(kode, periode), detik=300
            )
        )
        ctx["sepi_jumlah"], sepi_html = self.tersimpan(
            "sepi", kode=kode, periode=periode, hitung=lambda: self.sepi_html(kode), detik=self.SEGAR_DETIK
        )
        ctx["sepi_html"] = mark_safe(sepi_html)  # noqa: S308  # rendered by the template engine (autoescaped)
        ctx["tren"] = self.tren_ctx(kode, daftar)
        return ctx

    @staticmethod
    def sepi_html(kode: str) -> tuple[int, str]:
        """How many villages are quiet, and the list of the quietest (StatusDesa: cached for a minute)."""
        sepi, jumlah = sel.desa_sepi(wilayah=kode)
        ctx = {"sepi": sepi, "sepi_jumlah": jumlah, "show_kabupaten": True}
        return jumlah, str(render_to_string("provinsi/_sepi.html", ctx))

    @staticmethod
    def peringkat_html(kode: str, periode: dt.date | None) -> str:
        """Top and bottom villages per pillar and overall (stored scores only: facts-dependent, cacheable)."""
        peringkat = sel.peringkat_tersimpan(periode=periode, wilayah=kode) if periode else sel.peringkat([])
        rows = [(p, sel.PILAR_LABEL.get(p, _("Gabungan")), v) for p, v in peringkat.items()]
        return str(render_to_string("provinsi/_peringkat.html", {"peringkat": rows}))


class _Wilayah(_Konsol):
    """Kabupaten and kecamatan consoles: the region, its children, its villages, the feed."""

    tingkat: sel.Tingkat = "kabupaten"
    segar_desa: dict[str, dict[str, int]] | None = None  # set by tabel_desa: the villages' freshness

    def kode_halaman(self) -> str:
        kode = str(self.kwargs["kode"])
        self.buka(kode, self.tingkat)
        return kode

    def konteks_isi(self, **kwargs: Any) -> dict[str, Any]:
        kode = self.kode_halaman()
        nama_jejak = self.nama_jejak(kode)
        nama = nama_jejak[kode]
        periode, daftar = self.periode()
        ctx = self.konteks_dasar(wilayah_label=nama, **kwargs)
        total = sel.rollup(periode=periode, tingkat=self.tingkat, wilayah=kode).get(kode, {}) if periode else {}
        ctx.update(self.bagian_umum(kode=kode, nama=nama, periode=periode, daftar=daftar, total=total))
        ctx["jejak"] = self.jejak(kode, nama_jejak)
        bagian = self.bagian_desa_tersimpan(kode=kode, periode=periode)
        self.segar_desa = bagian["segar_desa"]
        ctx["desa"] = bagian["jumlah"]  # the rows themselves are desa_html
        ctx["desa_html"] = mark_safe(bagian["html"])  # noqa: S308  # built (escaped) by baris_desa_html
        ctx["desa_skor"] = bagian["skor"]
        ctx["jumlah_desa"] = bagian["jumlah"]
        ctx["kesegaran"] = self.kesegaran_ctx(bagian["segar_total"])
        ctx["feed_url"] = reverse("konsol:feed", args=[kode])
        ctx["daring"] = sel.operator_daring(wilayah=kode)
        ctx["zona"] = sel.zona_waktu(kode)[0]
        ctx["tren"] = self.tren_ctx(kode, daftar)
        ctx["idm_desa"] = {}
        return ctx

    BAGIAN_DESA_DETIK = 60  # freshness buckets move with the clock: a cached village table lives a minute

    def bagian_desa(self, *, kode: str, periode: dt.date | None) -> dict[str, Any]:
        """The village table of the region (rows as HTML), its freshness counts and the villages' scores:
        the heavy part of the kabupaten and kecamatan pages. Plain data, so it can be cached."""
        skor = sel.skor_desa(periode=periode, wilayah=kode) if periode else []
        desa = self.tabel_desa(kode=kode, periode=periode, skor=skor)
        segar_total = {b: 0 for b, _l in sel.KESEGARAN}
        for d in desa:
            segar_total[d["segar"]] += 1
        return {
            "html": str(baris_desa_html(desa, self.kolom())),
            "jumlah": len(desa),
            "segar_total": segar_total,
            "segar_desa": self.segar_desa or {},
            "skor": [(d["v"].nama, d["skor"]) for d in desa],
        }

    def bagian_desa_tersimpan(self, *, kode: str, periode: dt.date | None) -> dict[str, Any]:
        """`bagian_desa`, through the platform cache (`tersimpan`)."""
        return self.tersimpan(
            "desa",
            kode=kode,
            periode=periode,
            hitung=lambda: self.bagian_desa(kode=kode, periode=periode),
            detik=self.BAGIAN_DESA_DETIK,
        )

    def nama_jejak(self, kode: str) -> dict[str, str]:
        """Names of the region and its ancestors, in one query."""
        if self.tingkat == "kabupaten":
            kab = Kabupaten.objects.select_related("provinsi").filter(kode=kode).first()
            if kab is None:
                raise Http404("Halaman tidak ditemukan.")
            return {kab.provinsi_id: f"Provinsi {kab.provinsi.nama}", kab.kode: kab.nama_lengkap}
        kec = Kecamatan.objects.select_related("kabupaten__provinsi").filter(kode=kode).first()
        if kec is None:
            raise Http404("Halaman tidak ditemukan.")
        kab = kec.kabupaten
        return {
            kab.provinsi_id: f"Provinsi {kab.provinsi.nama}",
            kab.kode: kab.nama_lengkap,
            kec.kode: f"Kecamatan {kec.nama}",
        }

    def tabel_desa(self, *, kode: str, periode: dt.date | None, skor: list[sel.Skor]) -> list[dict[str, Any]]:
        """Every village of the region: key indicators, score, freshness. Three queries."""
        villages = sel.desa_di(kode)
        angka = (
            sel.rollup(periode=periode, tingkat="desa", wilayah=kode, kunci=[i.kunci for i in self.kolom()])
            if periode
            else {}
        )
        segar = sel.kesegaran(wilayah=kode, tingkat="desa")
        self.segar_desa = segar
        skor_v = {s.kode: s for s in skor}
        label = dict(sel.KESEGARAN)
        pola = reverse("konsol:desa", args=["KODE"])  # one reverse, not one per village
        rows = []
        for v in villages:
            per = segar.get(v.kode, {})
            bucket = next((b for b, n in per.items() if n), "belum")
            s = skor_v.get(v.kode)
            rows.append(
                {
                    "v": v,
                    "link": pola.replace("KODE", v.kode),
                    "angka": angka.get(v.kode, {}),
                    "skor": s.total if s else None,
                    "segar": bucket,
                    "segar_label": label[bucket],
                }
            )
        return rows


class KabupatenView(_Wilayah):
    """Kabupaten console: its kecamatan and villages, the live feed, operators online."""

    template_name = "provinsi/halaman.html"
    halaman_isi = "provinsi/kabupaten.html"
    tingkat = "kabupaten"

    def konteks_isi(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().konteks_isi(**kwargs)
        kode = ctx["kode"]
        anak = {c.kode: c.nama for c in Kecamatan.objects.filter(kabupaten_id=kode).order_by("kode")}
        rows, _segar = self.tabel_wilayah(kode=kode, anak=anak, periode=ctx["periode"], segar_desa=self.segar_desa)
        ctx["tabel"] = rows
        ctx["tabel_judul"] = _("Kecamatan")
        ctx["chart"] = chart_config(
            "bar",
            [(r["nama"], _f(r["skor"].get("total"))) for r in rows],
            label=_("Skor gabungan (0-100)"),
            horizontal=True,
        )
        ctx["chart_title"] = _("Skor gabungan per kecamatan")
        return ctx


class KecamatanView(_Wilayah):
    """Kecamatan console: its villages, reports due and missing, letters escalated to the camat."""

    template_name = "provinsi/halaman.html"
    halaman_isi = "provinsi/kecamatan.html"
    tingkat = "kecamatan"

    def konteks_isi(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().konteks_isi(**kwargs)
        ctx["chart"] = chart_config(
            "bar",
            [(nama, _f(s)) for nama, s in ctx["desa_skor"]],
            label=_("Skor gabungan (0-100)"),
            horizontal=True,
        )
        ctx["chart_title"] = _("Skor gabungan per desa/kelurahan")
        tahun = timezone.localdate().year
        kode = ctx["kode"]
        periode = self.periode()[0]
        villages = sel.desa_di(kode)
        nilai = (
            sel.rollup(periode=periode, tingkat="desa", wilayah=kode, kunci=[k for k, _l, _d in self.kewajiban(tahun)])
            if periode
            else {}
        )
        pola = reverse("konsol:desa", args=["KODE"])
        ctx["laporan"] = [
            self.kewajiban_baris(kunci, label, villages, nilai, pola, hanya_desa)
            for kunci, label, hanya_desa in self.kewajiban(tahun)
        ]
        ctx["surat_camat"] = self.kewajiban_baris(
            "surat_menunggu_camat", _("Surat menunggu camat"), villages, self.nilai_surat(kode, periode), pola, False
        )
        ctx["sepi"], ctx["sepi_jumlah"] = sel.desa_sepi(wilayah=ctx["kode"], batas=None)
        return ctx

    @staticmethod
    def kewajiban(tahun: int) -> list[tuple[str, str, bool]]:
        """(indicator, label, villages only): obligations the kecamatan follows up. A value of 1 = done."""
        return [
            (
                "laporan_tepat_waktu",
                _("Laporan realisasi APBDes semester I %(tahun)s (batas 15 Juli)") % {"tahun": tahun},
                True,
            ),
            ("apbdes_terbit", _("APBDes %(tahun)s ditetapkan dan dipublikasikan") % {"tahun": tahun}, True),
        ]

    def nilai_surat(self, kode: str, periode: dt.date | None) -> dict[str, dict[str, sel.Angka]]:
        if periode is None:
            return {}
        return sel.rollup(periode=periode, tingkat="desa", wilayah=kode, kunci=["surat_menunggu_camat"])

    @staticmethod
    def kewajiban_baris(  # noqa: PLR0917  # one call shape for reports and letters
        kunci: str,
        label: str,
        villages: list[Village],
        nilai: dict[str, dict[str, sel.Angka]],
        pola: str,
        hanya_desa: bool,
    ) -> dict[str, Any]:
        """Villages that did it, did not, or have no data yet (kelurahan have no APBDes: left out).
        For a count indicator (letters waiting for the camat) "belum" lists villages with a count > 0."""
        sudah: list[tuple[str, str]] = []
        belum: list[tuple[str, str, int | None]] = []
        tanpa_data = 0
        hitungan = kunci == "surat_menunggu_camat"
        for v in villages:
            if hanya_desa and v.jenis == Village.Jenis.KELURAHAN:
                continue
            a = nilai.get(v.kode, {}).get(kunci)
            link = pola.replace("KODE", v.kode)
            if a is None or a.nilai is None:
                tanpa_data += 1
            elif hitungan:
                if a.nilai > 0:
                    belum.append((v.nama, link, int(a.nilai)))
                else:
                    sudah.append((v.nama, link))
            elif a.nilai >= 1:
                sudah.append((v.nama, link))
            else:
                belum.append((v.nama, link, None))
        return {"label": label, "sudah": sudah, "belum": belum, "tanpa_data": tanpa_data, "hitungan": hitungan}


class DesaView(_Konsol):
    """One village's indicator card: aggregates only (no resident is ever named here)."""

    template_name = "provinsi/desa.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kode = str(self.kwargs["kode"])
        self.buka(kode, "desa")
        village = Village.objects.select_related("kecamatan__kabupaten__provinsi").filter(kode=kode).first()
        if village is None:
            raise Http404("Halaman tidak ditemukan.")
        kab = village.kecamatan.kabupaten
        nama = {
            kab.provinsi_id: f"Provinsi {kab.provinsi.nama}",
            kab.kode: kab.nama_lengkap,
            village.kecamatan_id: f"Kecamatan {village.kecamatan.nama}",
            kode: f"{village.sebutan} {village.nama}",
        }
        periode, daftar = self.periode()
        ctx = super().get_context_data(wilayah_label=nama[kode], **kwargs)
        fakta = {f.indikator: f for f in Fakta.objects.filter(village=village, periode=periode)} if periode else {}
        angka = {
            k: sel.Angka(f.nilai, 1 if f.nilai is not None else 0, f.pembilang, f.penyebut) for k, f in fakta.items()
        }
        skor = sel.skor_desa(periode=periode, wilayah=kode) if periode else []
        s = skor[0] if skor else None
        ctx.update(
            {
                "village": village,
                "kode": kode,
                "nama": nama[kode],
                "jejak": self.jejak(kode, nama),
                "periode": periode,
                "periode_daftar": daftar,
                "pilar": self.per_pilar(angka),
                "skor": s,
                "skor_pilar": [(p, sel.PILAR_LABEL[p], s.pilar.get(p) if s else None) for p in sel.PILAR],
                "status": StatusDesa.objects.filter(village=village).first(),
                "idm": village.status_idm.order_by("-tahun").first(),
                "aktivitas": sel.aktivitas_terbaru(wilayah=kode, batas=10),
                "indikator_berbobot": sel.jumlah_indikator_berbobot(),
            }
        )
        piramida = fakta.get("piramida_umur")
        if piramida is not None and piramida.rincian:
            ctx["piramida"] = self.piramida(piramida.rincian)
        return ctx

    @staticmethod
    def piramida(rincian: dict[str, Any]) -> dict[str, Any]:
        """Age pyramid from the counts {"0-4": {"L": n, "P": n}, ...}: men to the left."""
        labels = [k for k, v in rincian.items() if isinstance(v, dict)]  # skips "tidak_diketahui": a count
        laki = [-int(rincian[k].get("L", 0)) for k in labels]
        perempuan = [int(rincian[k].get("P", 0)) for k in labels]
        return {
            "type": "bar",
            "data": {
                "labels": labels,
                "datasets": [{"label": _("Laki-laki"), "data": laki}, {"label": _("Perempuan"), "data": perempuan}],
            },
            "options": {"indexAxis": "y", "scales": {"x": {"stacked": True}, "y": {"stacked": True, "reverse": True}}},
        }


class FeedView(_Konsol):
    """The live activity feed of a region (htmx fragment, polled every 10 s)."""

    template_name = "provinsi/_feed.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kode = str(self.kwargs["kode"])
        tingkat = sel.tingkat_dari_kode(kode)
        if tingkat is None:
            raise Http404("Halaman tidak ditemukan.")
        self.buka(kode, tingkat)
        ctx = super().get_context_data(**kwargs)
        zona_nama, zona = sel.zona_waktu(kode)
        ctx.update(
            {
                "kode": kode,
                "aktivitas": sel.aktivitas_terbaru(wilayah=kode, batas=20),
                "daring": sel.operator_daring(wilayah=kode),
                "jam_kerja": sel.jam_kerja(kode),
                "zona": zona_nama,
                "sekarang": timezone.now().astimezone(zona),
                "zona_info": zona,
                "feed_url": reverse("konsol:feed", args=[kode]),
            }
        )
        return ctx


class IndikatorView(_Konsol):
    """One indicator across the user's scope (or ?wilayah=...): a row per region one level down."""

    template_name = "provinsi/indikator.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        try:
            ind = registry.get(str(self.kwargs["kunci"]))
        except KeyError:
            raise Http404("Halaman tidak ditemukan.") from None
        kode = self.request.GET.get("wilayah") or self.primary_role().kode_wilayah
        tingkat = sel.tingkat_dari_kode(kode)
        if tingkat is None or tingkat == "desa":
            raise Http404("Halaman tidak ditemukan.")
        self.buka(kode, tingkat)
        nama = sel.nama_wilayah(kode)
        if nama is None:
            raise Http404("Halaman tidak ditemukan.")
        periode, daftar = self.periode()
        ctx = super().get_context_data(**kwargs)
        bawah = sel.tingkat_bawah(tingkat)
        anak = sel.wilayah_anak(kode)
        angka = sel.rollup(periode=periode, tingkat=bawah, wilayah=kode, kunci=[ind.kunci]) if periode else {}
        total = (
            sel.rollup(periode=periode, tingkat=tingkat, wilayah=kode, kunci=[ind.kunci]).get(kode, {})
            if periode
            else {}
        )
        url = reverse("konsol:indikator", args=[ind.kunci])
        pola = reverse("konsol:desa", args=["KODE"])
        rows: list[dict[str, Any]] = []
        for k, n in anak.items():
            a = angka.get(k, {}).get(ind.kunci, sel.KOSONG)
            link = pola.replace("KODE", k) if bawah == "desa" else f"{url}?wilayah={k}"
            rows.append({"kode": k, "nama": n, "angka": a, "link": link})
        if bawah != "desa":
            rows = [r for r in rows if r["kode"] in angka] or rows
        ctx.update(
            {
                "ind": ind,
                "kode": kode,
                "nama": nama,
                "periode": periode,
                "periode_daftar": daftar,
                "total": total.get(ind.kunci, sel.KOSONG),
                "rows": rows,
                "bawah": bawah,
                "atas": self.atas(url, kode, tingkat),
                "halaman_wilayah": self.link_wilayah(kode),
                "chart": chart_config(
                    "bar",
                    [(r["nama"], float(r["angka"].nilai) if r["angka"].nilai is not None else 0) for r in rows],
                    label=f"{ind.label} ({ind.satuan})",
                    horizontal=True,
                ),
            }
        )
        return ctx

    def atas(self, url: str, kode: str, tingkat: sel.Tingkat) -> str | None:
        """The same indicator one level up, when the user may see it."""
        if tingkat == "provinsi":
            return None
        induk = kode[: sel.PANJANG_KODE[sel.TINGKAT[sel.TINGKAT.index(tingkat) - 1]]]
        return f"{url}?wilayah={induk}" if self.user_().sees_region(induk) else None


class IdmImporView(_Konsol):
    """Province staff upload the IDM / Indeks Desa statuses (CSV); all rows or none."""

    template_name = "provinsi/idm_impor.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if not any(r.tingkat == Role.Tingkat.PROVINSI for r in self.user_().console_roles()):
            raise Http404("Halaman tidak ditemukan.")
        ctx = super().get_context_data(**kwargs)
        ctx["status"] = sel.IDM_STATUS
        ctx["ambang"] = sel.IDM_AMBANG
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ctx = self.get_context_data(**kwargs)
        berkas = request.FILES.get("berkas")
        if berkas is None:
            ctx["galat_form"] = _("Pilih berkas CSV terlebih dahulu.")
            return self.render_to_response(ctx, status=400)
        if berkas.size and berkas.size > 5 * 1024 * 1024:
            ctx["galat_form"] = _("Berkas lebih dari 5 MB; pecah menjadi beberapa berkas.")
            return self.render_to_response(ctx, status=400)
        laporan = status_idm_impor(isi=berkas.read(), petugas=self.user_())
        if laporan.galat:
            ctx["laporan"] = laporan
            return self.render_to_response(ctx, status=400)
        messages.success(request, _("%(n)s status IDM disimpan.") % {"n": laporan.disimpan})
        return redirect("konsol:provinsi")
