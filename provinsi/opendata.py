"""Open data (no sign-in, apex): the province's indicator table by period, as CSV and JSON.

Aggregates only: one row per region (or village) x indicator, the same numbers the consoles
show, read from the fact table. The /data/ page documents every column and indicator.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views import View
from django.views.generic import TemplateView

from platform_core.facts import registry
from platform_core.tenancy.models import Village
from platform_core.wilayah.models import Kabupaten, Kecamatan, Provinsi
from provinsi import selectors as sel

PROVINSI = "18"
MAKS_UMUR = 900  # seconds: facts change as villages work; a CDN may keep a copy this long

KOLOM = (
    ("periode", "Bulan data (YYYY-MM); nilai per akhir bulan atau keadaan terakhir di bulan berjalan."),
    ("tingkat", "desa, kecamatan, kabupaten atau provinsi."),
    ("kode_wilayah", "Kode Kemendagri wilayah (18, 18.01, 18.01.17, 18.01.17.2011)."),
    ("nama_wilayah", "Nama wilayah."),
    ("indikator", "Kunci indikator (lihat daftar indikator)."),
    ("pilar", "pemerintahan (smart government), ekonomi (smart economy) atau masyarakat (smart people)."),
    ("nilai", "Nilai indikator; kosong = belum ada data (bukan nol)."),
    ("satuan", "Satuan nilai."),
    ("agregasi", "Cara menjumlahkan desa ke wilayah: jumlah, rasio, rata, median, terbaru (tidak dijumlahkan)."),
    ("desa_berdata", "Banyaknya desa/kelurahan yang nilainya ikut dihitung."),
    ("pembilang", "Untuk rasio: jumlah pembilang semua desa yang berdata."),
    ("penyebut", "Untuk rasio: jumlah penyebut semua desa yang berdata."),
)
TINGKAT_SAH: tuple[sel.Tingkat, ...] = ("provinsi", "kabupaten", "kecamatan", "desa")


def _nama(tingkat: sel.Tingkat) -> dict[str, str]:
    if tingkat == "provinsi":
        return {p.kode: f"Provinsi {p.nama}" for p in Provinsi.objects.filter(kode=PROVINSI)}
    if tingkat == "kabupaten":
        return {k.kode: k.nama_lengkap for k in Kabupaten.objects.filter(provinsi_id=PROVINSI)}
    if tingkat == "kecamatan":
        return {c.kode: c.nama for c in Kecamatan.objects.filter(kode__startswith=PROVINSI + ".")}
    return dict(Village.objects.filter(kode__startswith=PROVINSI + ".").values_list("kode", "nama"))


def _teks(nilai: Any) -> str:
    if nilai is None:
        return ""
    return format(nilai.normalize(), "f") if hasattr(nilai, "normalize") else str(nilai)


def tabel(request: HttpRequest) -> tuple[dt.date | None, str, list[dict[str, Any]]] | str:
    """(periode, tingkat, rows) for the query string, or an Indonesian error message."""
    tingkat = request.GET.get("tingkat", "kabupaten")
    if tingkat not in TINGKAT_SAH:
        return "Parameter tingkat harus salah satu dari: desa, kecamatan, kabupaten, provinsi."
    daftar = sel.periode_daftar()
    if request.GET.get("periode"):
        periode = sel.periode_parse(request.GET["periode"])
        if periode is None:
            return "Parameter periode harus berbentuk YYYY-MM, mis. 2026-05."
        if periode not in daftar:
            return f"Belum ada data untuk periode {request.GET['periode']}. Periode yang ada: " + ", ".join(
                p.strftime("%Y-%m") for p in daftar
            )
    else:
        periode = daftar[0] if daftar else None
    t: sel.Tingkat = tingkat  # type: ignore[assignment]
    rows: list[dict[str, Any]] = []
    if periode is None:
        return None, t, rows
    angka = sel.rollup(periode=periode, tingkat=t, wilayah=PROVINSI)
    nama = _nama(t)
    indikator = registry.semua()
    for kode in sorted(nama):
        per = angka.get(kode, {})
        for ind in indikator:
            a = per.get(ind.kunci, sel.KOSONG)
            rows.append(
                {
                    "periode": periode.strftime("%Y-%m"),
                    "tingkat": t,
                    "kode_wilayah": kode,
                    "nama_wilayah": nama[kode],
                    "indikator": ind.kunci,
                    "pilar": ind.pilar,
                    "nilai": a.nilai,
                    "satuan": ind.satuan,
                    "agregasi": ind.agregasi,
                    "desa_berdata": a.desa_berdata,
                    "pembilang": a.pembilang,
                    "penyebut": a.penyebut,
                }
            )
    return periode, t, rows


def _publik(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=MAKS_UMUR)
    response["Access-Control-Allow-Origin"] = "*"
    return response


class DataTerbukaView(TemplateView):
    """The documentation page: columns, indicators, how to download."""

    template_name = "provinsi/data.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["kolom"] = KOLOM
        ctx["indikator"] = sorted(registry.semua(), key=lambda i: (sel.PILAR.index(i.pilar), i.kunci))
        ctx["pilar_label"] = sel.PILAR_LABEL
        ctx["periode_daftar"] = sel.periode_daftar()
        return ctx

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _publik(super().get(request, *args, **kwargs))


class IndikatorCsvView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        hasil = tabel(request)
        if isinstance(hasil, str):
            return HttpResponse(hasil, status=400, content_type="text/plain; charset=utf-8")
        periode, tingkat, rows = hasil

        def baris() -> Iterator[str]:
            buf = io.StringIO()
            tulis = csv.writer(buf)
            tulis.writerow([k for k, _d in KOLOM])
            for row in rows:
                tulis.writerow(
                    [_teks(row[k]) if k in {"nilai", "pembilang", "penyebut"} else row[k] for k, _d in KOLOM]
                )
            yield buf.getvalue()

        response = HttpResponse("".join(baris()), content_type="text/csv; charset=utf-8")
        nama = f"indikator-{tingkat}-{periode:%Y-%m}.csv" if periode else f"indikator-{tingkat}.csv"
        response["Content-Disposition"] = f'attachment; filename="{nama}"'
        return _publik(response)


class IndikatorJsonView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        hasil = tabel(request)
        if isinstance(hasil, str):
            return JsonResponse({"galat": hasil}, status=400)
        periode, tingkat, rows = hasil
        data = {
            "periode": periode.strftime("%Y-%m") if periode else None,
            "tingkat": tingkat,
            "kolom": dict(KOLOM),
            "data": [
                {
                    k: (float(v) if k in {"nilai", "pembilang", "penyebut"} and v is not None else v)
                    for k, v in r.items()
                }
                for r in rows
            ],
        }
        response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/json; charset=utf-8")
        return _publik(response)
