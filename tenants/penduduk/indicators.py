"""Smart-people indicators from the population register (registered in PendudukConfig.ready()).

All of them read ONE row per village: a conditional aggregation over penduduk_penduduk (living residents,
status_dasar = Hidup), computed once per village per run (platform_core.facts.services.bersama) and shared
by every indicator below. Ages are whole years on today's date (Asia/Jakarta); a birth date after today
counts as an unknown age. Documentation: docs/indicators.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from platform_core.facts.registry import Indikator, Nilai, register
from platform_core.facts.services import bersama
from tenants.penduduk import events
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Penduduk

#: The register topics that can change a population indicator.
PEMICU = (
    events.PENDUDUK_DIBUAT,
    events.PENDUDUK_DIUBAH,
    events.PENDUDUK_PEKERJAAN_BERUBAH,
    events.PENDUDUK_PERISTIWA,
    events.PENDUDUK_LAHIR,
    events.PENDUDUK_MATI,
    events.PENDUDUK_PINDAH_KELUAR,
    events.PENDUDUK_DATANG,
    events.PENDUDUK_HILANG,
    events.PENDUDUK_PERGI,
    events.REGISTER_DIIMPOR,
)

DEWASA = 17  # adults: KTP-el is compulsory from 17 (and earlier when married; the register does not say)
USIA_KERJA = (15, 64)
KELOMPOK_UMUR = 16  # 0-4 ... 70-74, then 75+
L, P = int(ref.JenisKelamin.LAKI_LAKI), int(ref.JenisKelamin.PEREMPUAN)


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February in a year that has none
        return today.replace(year=today.year - years, day=28)


def label_kelompok(i: int) -> str:
    return f"{i * 5}-{i * 5 + 4}" if i < KELOMPOK_UMUR - 1 else f"{i * 5}+"


def _kolom(today: dt.date) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """(name, SQL expression) of every column of the shared row, and its parameters."""
    params: dict[str, Any] = {"today": today, "d17": _years_ago(today, DEWASA)}
    params["d15"] = _years_ago(today, USIA_KERJA[0])
    params["d65"] = _years_ago(today, USIA_KERJA[1] + 1)
    dewasa = "tanggal_lahir <= %(d17)s"
    usia_kerja = "tanggal_lahir <= %(d15)s AND tanggal_lahir > %(d65)s"
    cols = [
        ("hidup", "COUNT(*)"),
        ("laki", f"COUNT(*) FILTER (WHERE jenis_kelamin = {L})"),
        ("perempuan", f"COUNT(*) FILTER (WHERE jenis_kelamin = {P})"),
        ("dewasa", f"COUNT(*) FILTER (WHERE {dewasa})"),
        (
            "dewasa_slta",
            f"COUNT(*) FILTER (WHERE {dewasa} AND pendidikan_kk >= {int(ref.PendidikanKK.SLTA_SEDERAJAT)})",
        ),
        ("dewasa_ktp_el", f"COUNT(*) FILTER (WHERE {dewasa} AND ktp_el = {int(ref.KtpEl.KTP_EL)})"),
        ("usia_kerja", f"COUNT(*) FILTER (WHERE {usia_kerja})"),
        (
            "usia_kerja_tidak_bekerja",
            f"COUNT(*) FILTER (WHERE {usia_kerja} AND pekerjaan = {int(ref.Pekerjaan.BELUM_TIDAK_BEKERJA)})",
        ),
        ("disabilitas", f"COUNT(*) FILTER (WHERE cacat <> {int(ref.Cacat.TIDAK_CACAT)})"),
        ("asuransi", f"COUNT(*) FILTER (WHERE asuransi <> {int(ref.Asuransi.TIDAK_BELUM_PUNYA)})"),
        ("umur_tidak_diketahui", "COUNT(*) FILTER (WHERE tanggal_lahir > %(today)s)"),
    ]
    for i in range(KELOMPOK_UMUR):
        params[f"u{i}"] = _years_ago(today, i * 5)
        cond = f"tanggal_lahir <= %(u{i})s"
        if i < KELOMPOK_UMUR - 1:
            params[f"u{i + 1}"] = _years_ago(today, (i + 1) * 5)
            cond += f" AND tanggal_lahir > %(u{i + 1})s"
        for jk, sex in ((L, "L"), (P, "P")):
            cols.append((f"umur_{i}_{sex}", f"COUNT(*) FILTER (WHERE {cond} AND jenis_kelamin = {jk})"))
    return cols, params


def baris_penduduk(today: dt.date | None = None) -> dict[str, int]:
    """The shared row of the village whose schema is active: one query over its living residents."""
    cols, params = _kolom(today or timezone.localdate())
    table = connection.ops.quote_name(Penduduk._meta.db_table)
    sql = f"SELECT {', '.join(expr for _, expr in cols)} FROM {table} WHERE status_dasar = {int(ref.StatusDasar.HIDUP)}"
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    return {name: int(value or 0) for (name, _), value in zip(cols, row or (), strict=False)}


def _baris() -> dict[str, int]:
    return bersama("penduduk", baris_penduduk)


def _rasio(pembilang: int, penyebut: int, skala: int = 1) -> Nilai:
    if not penyebut:
        return Nilai(nilai=None, pembilang=Decimal(pembilang * skala), penyebut=Decimal(0))
    return Nilai(
        nilai=Decimal(pembilang * skala) / Decimal(penyebut),
        pembilang=Decimal(pembilang * skala),
        penyebut=Decimal(penyebut),
    )


def penduduk_jumlah() -> Nilai:
    b = _baris()
    return Nilai(nilai=Decimal(b["hidup"]), rincian={"L": b["laki"], "P": b["perempuan"]})


def rasio_jenis_kelamin() -> Nilai:
    b = _baris()
    n = _rasio(b["laki"], b["perempuan"], skala=100)
    return Nilai(
        nilai=n.nilai, pembilang=n.pembilang, penyebut=n.penyebut, rincian={"L": b["laki"], "P": b["perempuan"]}
    )


def piramida_umur() -> Nilai:
    b = _baris()
    rincian: dict[str, object] = {
        label_kelompok(i): {"L": b[f"umur_{i}_L"], "P": b[f"umur_{i}_P"]} for i in range(KELOMPOK_UMUR)
    }
    if b["umur_tidak_diketahui"]:
        rincian["tidak_diketahui"] = b["umur_tidak_diketahui"]
    return Nilai(nilai=Decimal(b["hidup"]), rincian=rincian)


def rasio_pendidikan_slta() -> Nilai:
    b = _baris()
    return _rasio(b["dewasa_slta"], b["dewasa"])


def rasio_tidak_bekerja() -> Nilai:
    b = _baris()
    return _rasio(b["usia_kerja_tidak_bekerja"], b["usia_kerja"])


def rasio_ktp_el() -> Nilai:
    b = _baris()
    return _rasio(b["dewasa_ktp_el"], b["dewasa"])


def rasio_disabilitas() -> Nilai:
    b = _baris()
    return _rasio(b["disabilitas"], b["hidup"])


def rasio_asuransi() -> Nilai:
    b = _baris()
    return _rasio(b["asuransi"], b["hidup"])


SUMBER = "Register penduduk desa (penduduk_penduduk), penduduk dengan status dasar Hidup"

INDIKATOR = [
    register(Indikator(
        kunci="penduduk_jumlah", pilar="masyarakat", label="Jumlah penduduk", satuan="jiwa",
        definisi="Jumlah penduduk hidup yang tercatat di register desa (tetap dan tidak tetap); rincian L/P.",
        sumber=SUMBER, pemicu=PEMICU, agregasi="jumlah", hitung=penduduk_jumlah, arah=0,
    )),
    register(Indikator(
        kunci="rasio_jenis_kelamin", pilar="masyarakat", label="Rasio jenis kelamin", satuan="L per 100 P",
        definisi=(
            "Jumlah laki-laki per 100 perempuan di antara penduduk hidup. Pembilang = 100 x laki-laki, "
            "penyebut = perempuan, sehingga agregat wilayah = jumlah pembilang / jumlah penyebut."
        ),
        sumber=SUMBER, pemicu=PEMICU, agregasi="rasio", hitung=rasio_jenis_kelamin, arah=0,
        batas_atas=Decimal(200),
    )),
    register(Indikator(
        kunci="piramida_umur", pilar="masyarakat", label="Piramida umur", satuan="jiwa",
        definisi=(
            "Penduduk hidup per kelompok umur 5 tahunan (0-4 ... 70-74, 75+) dan jenis kelamin, di rincian; "
            "nilai = jumlah penduduk hidup. Umur dalam tahun penuh per hari ini (WIB)."
        ),
        sumber=SUMBER, pemicu=PEMICU, agregasi="terbaru", hitung=piramida_umur, arah=0,
    )),
    register(Indikator(
        kunci="rasio_pendidikan_slta", pilar="masyarakat", label="Penduduk dewasa berpendidikan SLTA ke atas",
        satuan="rasio",
        definisi=(
            "Penduduk hidup berumur 17 tahun ke atas yang pendidikan dalam KK-nya SLTA/sederajat atau lebih "
            "tinggi, dibagi semua penduduk hidup berumur 17 tahun ke atas."
        ),
        sumber=SUMBER, pemicu=PEMICU, agregasi="rasio", hitung=rasio_pendidikan_slta,
    )),
    register(Indikator(
        kunci="rasio_tidak_bekerja", pilar="masyarakat", label="Usia kerja belum/tidak bekerja", satuan="rasio",
        definisi=(
            "Penduduk hidup usia kerja (15-64 tahun) dengan pekerjaan 'Belum/Tidak Bekerja', dibagi semua "
            "penduduk hidup usia kerja. Pelajar dan ibu rumah tangga punya kode pekerjaan sendiri dan tidak "
            "terhitung di pembilang."
        ),
        sumber=SUMBER, pemicu=PEMICU, agregasi="rasio", hitung=rasio_tidak_bekerja, arah=-1,
    )),
    register(Indikator(
        kunci="rasio_ktp_el", pilar="masyarakat", label="Cakupan KTP-el", satuan="rasio",
        definisi="Penduduk hidup berumur 17 tahun ke atas yang memiliki KTP-el, dibagi semua penduduk hidup 17+.",
        sumber=SUMBER, pemicu=PEMICU, agregasi="rasio", hitung=rasio_ktp_el,
    )),
    register(Indikator(
        kunci="rasio_disabilitas", pilar="masyarakat", label="Penduduk dengan disabilitas", satuan="rasio",
        definisi="Penduduk hidup dengan disabilitas tercatat (kode cacat selain 'Tidak Cacat'), dibagi penduduk hidup.",
        sumber=SUMBER, pemicu=PEMICU, agregasi="rasio", hitung=rasio_disabilitas, arah=0,
    )),
    register(Indikator(
        kunci="rasio_asuransi", pilar="masyarakat", label="Cakupan asuransi kesehatan", satuan="rasio",
        definisi=(
            "Penduduk hidup yang tercatat memiliki asuransi kesehatan (BPJS PBI, non-PBI, bantuan daerah atau "
            "lainnya), dibagi penduduk hidup."
        ),
        sumber=SUMBER, pemicu=PEMICU, agregasi="rasio", hitung=rasio_asuransi,
    )),
]  # fmt: skip
