"""Population statistics of one village (selectors): every breakdown as rows of (kode, label, L, P, jumlah, %).

Each breakdown is one GROUP BY (value, sex) over the village's residents; the whole statistics page is one
pass with GROUPING SETS over every resident breakdown, plus one query each for the territory, families and
households. Codes with no residents are shown as zeros; empty values count as "Belum mengisi", values outside
the code list as "Tidak diketahui".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models import IntegerChoices
from django.utils import timezone

from tenants.penduduk import reference as ref
from tenants.penduduk.models import Dusun, Keluarga, Penduduk, Rt, RumahTangga, Rw

LAKI_LAKI = int(ref.JenisKelamin.LAKI_LAKI)
PEREMPUAN = int(ref.JenisKelamin.PEREMPUAN)
HIDUP = int(ref.StatusDasar.HIDUP)

BELUM_MENGISI = "Belum mengisi"
TIDAK_DIKETAHUI = "Tidak diketahui"

# Five-year age groups: 0-4, 5-9, ..., 70-74, 75+ (index 15).
UMUR_KELOMPOK_TERAKHIR = 15


# --- what a breakdown is ------------------------------------------------------------------------


@dataclass(frozen=True)
class Definisi:
    """One breakdown. `dimensi` is a Penduduk field with a code list, or one of the computed dimensions."""

    kunci: str
    judul: str
    dimensi: str
    sumber: str = "penduduk"  # "penduduk", "keluarga" or "rumah_tangga": what is counted
    grafik: str = "bar"
    semua_status: bool = False  # counts every resident whatever the status filter (the status breakdown itself)
    keterangan: str = ""

    @property
    def satuan(self) -> str:
        return {"penduduk": "penduduk", "keluarga": "keluarga", "rumah_tangga": "rumah tangga"}[self.sumber]


DEFINISI: dict[str, Definisi] = {
    d.kunci: d
    for d in [
        Definisi("jenis-kelamin", "Jenis kelamin", "jenis_kelamin", grafik="doughnut"),
        Definisi("kelompok-umur", "Kelompok umur (5 tahunan)", "umur5", keterangan="Umur dihitung per hari ini (WIB)."),
        Definisi("pendidikan-kk", "Pendidikan dalam KK", "pendidikan_kk"),
        Definisi("pendidikan-sedang", "Pendidikan sedang ditempuh", "pendidikan_sedang"),
        Definisi("pekerjaan", "Pekerjaan", "pekerjaan"),
        Definisi("agama", "Agama", "agama"),
        Definisi("status-kawin", "Status perkawinan", "status_kawin"),
        Definisi("golongan-darah", "Golongan darah", "golongan_darah"),
        Definisi("disabilitas", "Disabilitas (cacat)", "cacat"),
        Definisi("kewarganegaraan", "Kewarganegaraan", "warganegara", grafik="doughnut"),
        Definisi(
            "status-dasar",
            "Status dasar",
            "status_dasar",
            semua_status=True,
            keterangan="Selalu menghitung semua penduduk yang pernah tercatat, apa pun saringan status.",
        ),
        Definisi("status-penduduk", "Status penduduk (tetap/tidak tetap)", "status_penduduk", grafik="doughnut"),
        Definisi("hubungan", "Hubungan dalam keluarga", "hubungan"),
        Definisi("dusun", "Penduduk per dusun", "dusun"),
        Definisi("rw", "Penduduk per RW", "rw"),
        Definisi("rt", "Penduduk per RT", "rt"),
        Definisi(
            "keluarga",
            "Keluarga (KK) per dusun",
            "dusun",
            sumber="keluarga",
            keterangan="Laki-laki/perempuan = jenis kelamin kepala keluarga; kolom perempuan = KK berkepala perempuan.",
        ),
        Definisi(
            "rumah-tangga",
            "Rumah tangga per dusun",
            "dusun",
            sumber="rumah_tangga",
            keterangan="Laki-laki/perempuan = jenis kelamin kepala rumah tangga.",
        ),
        Definisi("ktp-el", "Kepemilikan KTP-el", "ktp_el", grafik="doughnut"),
        Definisi("status-rekam", "Status rekam KTP-el", "status_rekam"),
        Definisi("asuransi", "Asuransi kesehatan", "asuransi"),
        Definisi("akseptor-kb", "Akseptor KB", "cara_kb"),
        Definisi("sakit-menahun", "Sakit menahun", "sakit_menahun"),
    ]
}

WILAYAH = ("dusun", "rw", "rt")


@dataclass(frozen=True)
class Baris:
    kode: str
    label: str
    laki_laki: int
    perempuan: int
    jumlah: int
    persen: float


@dataclass(frozen=True)
class Rincian:
    """One breakdown, computed."""

    definisi: Definisi
    baris: list[Baris]
    total: Baris
    status_label: str

    @property
    def kunci(self) -> str:
        return self.definisi.kunci

    @property
    def judul(self) -> str:
        return self.definisi.judul


@dataclass(frozen=True)
class SaringanStatus:
    """Which residents are counted: living ones by default, any one status, or all."""

    kode: int | None = HIDUP  # None = every status

    @classmethod
    def dari(cls, value: str | None) -> SaringanStatus:
        """From the ?status= parameter: "" / "hidup" (default), "semua", or a status code."""
        value = (value or "").strip().lower()
        if value == "semua":
            return cls(kode=None)
        if value.isdigit() and int(value) in ref.StatusDasar.values:
            return cls(kode=int(value))
        return cls()

    @property
    def param(self) -> str:
        return "semua" if self.kode is None else ("hidup" if self.kode == HIDUP else str(self.kode))

    @property
    def keterangan(self) -> str:
        if self.kode is None:
            return "semua penduduk yang pernah tercatat (hidup, mati, pindah, hilang, pergi)"
        return f"penduduk berstatus {ref.StatusDasar(self.kode).label.lower()}"


def pilihan_status() -> list[tuple[str, str]]:
    """Options of the status filter: (param, label)."""
    return [("hidup", "Hidup (bawaan)"), ("semua", "Semua status")] + [
        (str(v), str(label)) for v, label in ref.StatusDasar.choices if v != HIDUP
    ]


# --- computing ----------------------------------------------------------------------------------


def _table(name: str) -> str:
    return connection.ops.quote_name(name)


P = Penduduk._meta.db_table


def _umur_sql() -> str:
    # Age in whole years on %(today)s; a birth date after today (bad data) is -1: "Tidak diketahui".
    return (
        "CASE WHEN tanggal_lahir > %(today)s THEN -1 "
        f"ELSE LEAST(FLOOR(DATE_PART('year', AGE(%(today)s, tanggal_lahir)) / 5), {UMUR_KELOMPOK_TERAKHIR})::int END"
    )


def _field(name: str) -> models.Field[Any, Any]:
    found = Penduduk._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


def _kolom_sql(dimensi: str) -> str:
    if dimensi == "umur5":
        return _umur_sql()
    if dimensi in WILAYAH:
        return "rt_id"
    return _table(_field(dimensi).column)


def _hitung_penduduk(
    dimensi: Sequence[str], status: SaringanStatus, *, today: dt.date
) -> dict[str, Counter[tuple[int | None, int]]]:
    """{dimensi: Counter[(value, jenis_kelamin)]} in one query (GROUPING SETS when several).

    Dimensions with `semua_status` are counted without the status filter, through a FILTER-free second set of
    columns: the WHERE keeps every resident and the status condition moves into the grouped count.
    """
    dims = list(dict.fromkeys("wilayah" if d in WILAYAH else d for d in dimensi))
    if not dims:
        return {}
    assert len(dims) <= 31, "PostgreSQL GROUPING() takes at most 31 arguments"  # server limit
    cols = [f"{_kolom_sql('rt' if d == 'wilayah' else d)} AS d{i}" for i, d in enumerate(dims)]
    status_dims = [i for i, d in enumerate(dims) if d == "status_dasar"]
    params: dict[str, Any] = {"today": today, "status": status.kode}
    # Rows of other statuses are kept only when a dimension counts every status; they are then counted
    # for that dimension alone (the `ikut` flag).
    keep_all = bool(status_dims) and status.kode is not None
    where = "" if status.kode is None or keep_all else "WHERE status_dasar = %(status)s"
    ikut = "TRUE" if status.kode is None else "status_dasar = %(status)s"
    grouping = ", ".join(f"d{i}" for i in range(len(dims)))
    sets = ", ".join(f"(jk, d{i})" for i in range(len(dims)))
    sql = (
        f"SELECT GROUPING({grouping}), jk, {grouping}, COUNT(*) FILTER (WHERE ikut), COUNT(*) "
        f"FROM (SELECT jenis_kelamin AS jk, {ikut} AS ikut, {', '.join(cols)} FROM {_table(P)} {where}) p "
        f"GROUP BY GROUPING SETS ({sets})"
    )
    out: dict[str, Counter[tuple[int | None, int]]] = {d: Counter() for d in dims}
    n = len(dims)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for row in cur.fetchall():
            g, jk, values, n_ikut, n_semua = row[0], row[1], row[2 : 2 + n], row[-2], row[-1]
            i = next(i for i in range(n) if not (g >> (n - 1 - i)) & 1)
            count = n_semua if (dims[i] == "status_dasar") else n_ikut
            if count:
                out[dims[i]][(values[i], jk)] += count
    for d in dimensi:
        if d in WILAYAH:
            out[d] = out["wilayah"]
    return out


def _hitung_kepala(sumber: str, status: SaringanStatus) -> Counter[tuple[int | None, int]]:
    """Families (or households) per RT and sex of their head; only those whose head passes the status filter."""
    if sumber == "keluarga":
        table, fk, head = Keluarga._meta.db_table, "keluarga_id", f"p.hubungan = {int(ref.Hubungan.KEPALA_KELUARGA)}"
    else:
        table, fk, head = (
            RumahTangga._meta.db_table,
            "rumah_tangga_id",
            (f"p.hubungan_rtm = {int(ref.HubunganRumahTangga.KEPALA)}"),
        )
    where = "" if status.kode is None else "WHERE p.status_dasar = %(status)s"
    sql = (
        f"SELECT COALESCE(u.rt_id, p.rt_id), p.jenis_kelamin, COUNT(DISTINCT u.id) "
        f"FROM {_table(table)} u JOIN {_table(P)} p ON p.{fk} = u.id AND {head} {where} GROUP BY 1, 2"
    )
    with connection.cursor() as cur:
        cur.execute(sql, {"status": status.kode})
        return Counter({(rt, jk): n for rt, jk, n in cur.fetchall()})


@dataclass(frozen=True)
class _Wilayah:
    dusun: list[tuple[int, str]]  # (id, nama)
    rw: list[tuple[int, str]]  # (id, "Dusun / RW 001")
    rt: list[tuple[int, str]]
    rt_ke_rw: dict[int, int]
    rt_ke_dusun: dict[int, int]


def _wilayah() -> _Wilayah:
    """The whole territory tree in one query (dusun without RW and RW without RT included)."""
    sql = (
        f"SELECT d.id, d.nama, w.id, w.nomor, t.id, t.nomor FROM {_table(Dusun._meta.db_table)} d "
        f"LEFT JOIN {_table(Rw._meta.db_table)} w ON w.dusun_id = d.id "
        f"LEFT JOIN {_table(Rt._meta.db_table)} t ON t.rw_id = w.id ORDER BY d.nama, w.nomor, t.nomor"
    )
    dusun: dict[int, str] = {}
    rw: dict[int, str] = {}
    rt: dict[int, str] = {}
    rt_ke_rw: dict[int, int] = {}
    rt_ke_dusun: dict[int, int] = {}
    with connection.cursor() as cur:
        cur.execute(sql)
        for d_id, d_nama, w_id, w_nomor, t_id, t_nomor in cur.fetchall():
            dusun.setdefault(d_id, d_nama)
            if w_id is not None:
                rw.setdefault(w_id, f"{d_nama} / RW {w_nomor}")
            if t_id is not None:
                rt[t_id] = f"{d_nama} / RW {w_nomor} / RT {t_nomor}"
                rt_ke_rw[t_id] = w_id
                rt_ke_dusun[t_id] = d_id
    return _Wilayah(list(dusun.items()), list(rw.items()), list(rt.items()), rt_ke_rw, rt_ke_dusun)


def _baris(
    kategori: Iterable[tuple[object, str]], counts: Counter[tuple[int | None, int]], *, selalu_belum_mengisi: bool
) -> tuple[list[Baris], Baris]:
    """Rows for every category (zeros included), then "Belum mengisi" (NULL) and "Tidak diketahui" (other codes)."""
    per_value: dict[object, list[int]] = {}
    for (value, jk), n in counts.items():
        cell = per_value.setdefault(value, [0, 0, 0])
        cell[0] += n if jk == LAKI_LAKI else 0
        cell[1] += n if jk == PEREMPUAN else 0
        cell[2] += n
    known = list(kategori)
    known_values = {value for value, _ in known}
    total = sum(cell[2] for cell in per_value.values())

    def row(kode: str, label: str, cell: Sequence[int]) -> Baris:
        persen = round(cell[2] * 100 / total, 2) if total else 0.0
        return Baris(kode=kode, label=label, laki_laki=cell[0], perempuan=cell[1], jumlah=cell[2], persen=persen)

    rows = [row(str(value), label, per_value.get(value, (0, 0, 0))) for value, label in known]
    kosong = per_value.get(None, [0, 0, 0])
    if selalu_belum_mengisi or kosong[2]:
        rows.append(row("", BELUM_MENGISI, kosong))
    lain = [0, 0, 0]
    for v, cell in per_value.items():
        if v is not None and v not in known_values:
            lain = [a + b for a, b in zip(lain, cell, strict=True)]
    if lain[2]:
        rows.append(row("?", TIDAK_DIKETAHUI, lain))
    totals = [sum(r.laki_laki for r in rows), sum(r.perempuan for r in rows), total]
    return rows, Baris(
        kode="", label="Jumlah", laki_laki=totals[0], perempuan=totals[1], jumlah=total, persen=100.0 if total else 0.0
    )


def _umur_kategori() -> list[tuple[object, str]]:
    kategori: list[tuple[object, str]] = [(i, f"{i * 5}-{i * 5 + 4} tahun") for i in range(UMUR_KELOMPOK_TERAKHIR)]
    kategori += [(UMUR_KELOMPOK_TERAKHIR, f"{UMUR_KELOMPOK_TERAKHIR * 5} tahun ke atas")]
    return kategori


def _per_wilayah(
    tingkat: str, counts: Counter[tuple[int | None, int]], wilayah: _Wilayah
) -> tuple[list[tuple[object, str]], Counter[tuple[int | None, int]]]:
    """Categories of one territory level, and the per-RT counts rolled up to it (no RT: None)."""
    if tingkat == "rt":
        return list(wilayah.rt), counts
    up = wilayah.rt_ke_rw if tingkat == "rw" else wilayah.rt_ke_dusun
    rolled: Counter[tuple[int | None, int]] = Counter()
    for (rt_id, jk), n in counts.items():
        rolled[(up.get(rt_id) if rt_id is not None else None, jk)] += n
    return list(wilayah.rw if tingkat == "rw" else wilayah.dusun), rolled


def _susun(
    definisi: Definisi, counts: Counter[tuple[int | None, int]], status: SaringanStatus, wilayah: _Wilayah | None
) -> Rincian:
    d = definisi.dimensi
    if d == "umur5":
        kategori, selalu = _umur_kategori(), False
    elif d in WILAYAH:
        assert wilayah is not None
        kategori, counts = _per_wilayah(d, counts, wilayah)
        selalu = True
    else:
        table: type[IntegerChoices] = ref.TABLES[d]
        kategori = [(int(v), str(label)) for v, label in table.choices]
        selalu = _field(d).null
    rows, total = _baris(kategori, counts, selalu_belum_mengisi=selalu)
    label = SaringanStatus(kode=None).keterangan if definisi.semua_status else status.keterangan
    return Rincian(definisi=definisi, baris=rows, total=total, status_label=label)


def _today() -> dt.date:
    return timezone.localdate()  # Asia/Jakarta (settings.TIME_ZONE)


def statistik_rincian(*, kunci: str, status: SaringanStatus | None = None, today: dt.date | None = None) -> Rincian:
    """One breakdown: one GROUP BY (plus one query for the territory when the breakdown is by territory)."""
    definisi = DEFINISI[kunci]
    status = status or SaringanStatus()
    today = today or _today()
    wilayah = _wilayah() if definisi.dimensi in WILAYAH else None
    if definisi.sumber == "penduduk":
        counts = _hitung_penduduk([definisi.dimensi], status, today=today)[definisi.dimensi]
    else:
        counts = _hitung_kepala(definisi.sumber, status)
    return _susun(definisi, counts, status, wilayah)


def statistik_semua(*, status: SaringanStatus | None = None, today: dt.date | None = None) -> list[Rincian]:
    """Every breakdown, in four queries: residents (GROUPING SETS), territory, families, households."""
    status = status or SaringanStatus()
    today = today or _today()
    wilayah = _wilayah()
    dims = [d.dimensi for d in DEFINISI.values() if d.sumber == "penduduk"]
    penduduk = _hitung_penduduk(dims, status, today=today)
    kepala = {s: _hitung_kepala(s, status) for s in ("keluarga", "rumah_tangga")}
    return [
        _susun(d, penduduk[d.dimensi] if d.sumber == "penduduk" else kepala[d.sumber], status, wilayah)
        for d in DEFINISI.values()
    ]
