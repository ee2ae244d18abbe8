"""Public open data of village finance (no sign-in): the transparency figures as JSON and CSV.

Aggregates only — APBDes totals, belanja per bidang and per sumber dana, realisation and its monthly
cumulative curve — of ditetapkan budgets. No transaction rows, no names: nothing personal exists here.
Kelurahan have no APBDes: 404 with the reason.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views import View

from platform_core.tenancy.models import Village
from tenants.keuangan import selectors, services

CACHE = "public, max-age=300"


def _village(request: HttpRequest) -> Village | None:
    tenant = getattr(request, "tenant", None)
    return tenant if isinstance(tenant, Village) else None


def _json(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 200:
        response["Cache-Control"] = CACHE
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def data_tahun(tahun: int) -> dict[str, Any] | None:
    ringkasan = selectors.ringkasan_apbdes(tahun)
    if ringkasan is None:
        return None
    ringkasan["realisasi_bulanan"] = selectors.realisasi_bulanan(tahun)
    ringkasan["persen_realisasi_belanja"] = selectors.persen(ringkasan["realisasi_belanja"], ringkasan["belanja"])
    ringkasan["persen_realisasi_pendapatan"] = selectors.persen(
        ringkasan["realisasi_pendapatan"], ringkasan["pendapatan"]
    )
    return _plain(ringkasan)  # type: ignore[no-any-return]


class _Terbuka(View):
    http_method_names = ["get", "head", "options"]

    def tolak(self, request: HttpRequest) -> JsonResponse | None:
        village = _village(request)
        if village is None:
            return _json({"detail": "Tidak ditemukan."}, status=404)
        if not village.is_desa:
            return _json({"detail": services.PESAN_KELURAHAN}, status=404)
        return None


class TerbukaIndexView(_Terbuka):
    def get(self, request: HttpRequest) -> HttpResponse:
        if (refused := self.tolak(request)) is not None:
            return refused
        village = _village(request)
        assert village is not None
        tahun = selectors.tahun_tersedia()
        return _json(
            {
                "desa": {"kode": village.kode, "nama": village.nama, "jenis": village.jenis},
                "tahun": tahun,
                "data": {t: request.build_absolute_uri(reverse("keuangan-terbuka-tahun", args=[t])) for t in tahun},
                "csv": {t: request.build_absolute_uri(reverse("keuangan-terbuka-csv", args=[t])) for t in tahun},
                "keterangan": "Angka agregat APBDes yang ditetapkan dan realisasinya (rupiah). Lisensi: data terbuka.",
            }
        )


class TerbukaTahunView(_Terbuka):
    def get(self, request: HttpRequest, tahun: int) -> HttpResponse:
        if (refused := self.tolak(request)) is not None:
            return refused
        data = data_tahun(tahun)
        if data is None:
            return _json({"detail": f"Belum ada APBDes {tahun} yang ditetapkan."}, status=404)
        return _json(data)


class TerbukaCsvView(_Terbuka):
    def get(self, request: HttpRequest, tahun: int) -> HttpResponse:
        if (refused := self.tolak(request)) is not None:
            return refused
        r = selectors.ringkasan_apbdes(tahun)
        if r is None:
            return _json({"detail": f"Belum ada APBDes {tahun} yang ditetapkan."}, status=404)
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["tahun", "bagian", "kode", "nama", "anggaran", "realisasi", "persen"])
        for kode, nama, a, re_ in (
            ("4", "Pendapatan", r["pendapatan"], r["realisasi_pendapatan"]),
            ("5", "Belanja", r["belanja"], r["realisasi_belanja"]),
            ("6.1", "Penerimaan pembiayaan", r["pembiayaan_penerimaan"], r["realisasi_pembiayaan_penerimaan"]),
            ("6.2", "Pengeluaran pembiayaan", r["pembiayaan_pengeluaran"], r["realisasi_pembiayaan_pengeluaran"]),
        ):
            w.writerow([tahun, "total", kode, nama, a, re_, selectors.persen(re_, a) or ""])
        for bagian in ("per_bidang", "per_sumber"):
            for b in r[bagian]:
                w.writerow([tahun, bagian, b["kode"], b["nama"], b["anggaran"], b["realisasi"], b["persen"] or ""])
        for m in selectors.realisasi_bulanan(tahun):
            w.writerow([tahun, "kumulatif_pendapatan", f"{m['bulan']:02d}", "", "", m["pendapatan"], ""])
            w.writerow([tahun, "kumulatif_belanja", f"{m['bulan']:02d}", "", "", m["belanja"], ""])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="apbdes-{tahun}.csv"'
        response["Cache-Control"] = CACHE
        response["Access-Control-Allow-Origin"] = "*"
        return response
