"""Buku administrasi desa B (Permendagri 47/2016), generated from the register (selectors, read only).

B.1 induk penduduk, B.2 mutasi penduduk, B.3 rekapitulasi jumlah penduduk (monthly, sent to the camat),
B.4 penduduk sementara, B.5 KTP dan KK. Each book is columns + rows of plain values, so the same rows feed
the printable HTML (a page at a time) and the .xlsx download (streamed, openpyxl write-only).

The monthly recap is computed backwards from today's living residents: the population at the end of a month is
today's living residents minus those added by a peristiwa after that month plus those who left after it. So
awal + lahir + datang - mati - pindah = akhir holds for every month by construction, and the end of one month
is the start of the next.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import connection
from django.db.models import IntegerChoices, OuterRef, QuerySet, Subquery
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tenants.penduduk import reference as ref
from tenants.penduduk.models import Dusun, Penduduk, Peristiwa, Rt, Rw
from tenants.penduduk.statistik import BELUM_MENGISI, HIDUP, SaringanStatus

BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]

MASUK = (int(ref.JenisPeristiwa.LAHIR), int(ref.JenisPeristiwa.DATANG))
KELUAR = (
    int(ref.JenisPeristiwa.MATI),
    int(ref.JenisPeristiwa.PINDAH_KELUAR),
    int(ref.JenisPeristiwa.HILANG),
    int(ref.JenisPeristiwa.PERGI),
)


@dataclass(frozen=True)
class Periode:
    """A month (bulan 1-12) or a whole year (bulan None)."""

    tahun: int
    bulan: int | None = None

    @classmethod
    def dari(cls, *, tahun: str | None, bulan: str | None, wajib_bulan: bool = False) -> Periode:
        """From ?tahun=&bulan=. Nothing given: this month (Asia/Jakarta). A year without a month: the whole
        year, unless the book needs a month. Invalid values fall back to this month/year."""
        today = timezone.localdate()
        t = _angka(tahun)
        if t is None or not 1900 <= t <= 2200:  # plausible years of a register
            t = today.year
        b = _angka(bulan)
        if b is not None and not 1 <= b <= 12:  # months
            b = None
        if b is None and (wajib_bulan or not (tahun or "").strip()):
            b = today.month
        return cls(tahun=t, bulan=b)

    @property
    def awal(self) -> dt.date:
        return dt.date(self.tahun, self.bulan or 1, 1)

    @property
    def akhir(self) -> dt.date:
        bulan = self.bulan or 12
        return dt.date(self.tahun, bulan, calendar.monthrange(self.tahun, bulan)[1])

    @property
    def label(self) -> str:
        return f"{BULAN[self.bulan - 1]} {self.tahun}" if self.bulan else f"Tahun {self.tahun}"


def _angka(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


# --- columns and books ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Kolom:
    judul: str
    lebar: int = 14  # column width in the .xlsx (characters)
    grup: str = ""  # a heading spanning consecutive columns of the same group


@dataclass(frozen=True)
class Buku:
    kode: str  # URL slug
    nomor: str  # B.1 ...
    judul: str
    keterangan: str
    kolom: list[Kolom]
    berperiode: str = ""  # "", "bulan" (month required) or "bulan_tahun" (month or whole year)
    berhalaman: bool = True  # long books are shown a page at a time

    @property
    def ada_grup(self) -> bool:
        return any(k.grup for k in self.kolom)

    def header_grup(self) -> list[tuple[str, int, bool]]:
        """(heading, colspan, is_group) runs for a two-row table head."""
        runs: list[tuple[str, int, bool]] = []
        for k in self.kolom:
            if k.grup and runs and runs[-1][0] == k.grup and runs[-1][2]:
                runs[-1] = (k.grup, runs[-1][1] + 1, True)
            elif k.grup:
                runs.append((k.grup, 1, True))
            else:
                runs.append((k.judul, 1, False))
        return runs


def _label(table: type[IntegerChoices]) -> Callable[[Any], str]:
    labels = {int(v): str(label) for v, label in table.choices}
    return lambda value: "" if value is None else labels.get(value, str(value))


JK = _label(ref.JenisKelamin)
JK_SINGKAT = {int(ref.JenisKelamin.LAKI_LAKI): "L", int(ref.JenisKelamin.PEREMPUAN): "P"}
AGAMA = _label(ref.Agama)
PENDIDIKAN = _label(ref.PendidikanKK)
PEKERJAAN = _label(ref.Pekerjaan)
KAWIN = _label(ref.StatusKawin)
HUBUNGAN = _label(ref.Hubungan)
WN = _label(ref.Warganegara)
DARAH = _label(ref.GolonganDarah)
KTP = _label(ref.KtpEl)
REKAM = _label(ref.StatusRekam)
STATUS = _label(ref.StatusDasar)
PERISTIWA = _label(ref.JenisPeristiwa)
TINGKAT = _label(ref.TingkatPindah)


def _tanggal(value: dt.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _ttl(tempat: str, tanggal: dt.date | None) -> str:
    return ", ".join(x for x in (tempat, _tanggal(tanggal)) if x)


def _alamat(row: dict[str, Any]) -> str:
    parts = [row.get("keluarga__alamat") or row.get("alamat_sekarang") or ""]
    if row.get("rt__nomor"):
        parts.append(f"RT {row['rt__nomor']}/RW {row['rt__rw__nomor']}")
        parts.append(row["rt__rw__dusun__nama"])
    return ", ".join(p for p in parts if p)


def _umur(lahir: dt.date | None, today: dt.date) -> str:
    if lahir is None or lahir > today:
        return ""
    return str(today.year - lahir.year - ((today.month, today.day) < (lahir.month, lahir.day)))


PENDUDUK_FIELDS = (
    "id",
    "nama",
    "nik",
    "nik_sementara",
    "jenis_kelamin",
    "status_kawin",
    "tempat_lahir",
    "tanggal_lahir",
    "agama",
    "pendidikan_kk",
    "pekerjaan",
    "warganegara",
    "hubungan",
    "golongan_darah",
    "nama_ayah",
    "nama_ibu",
    "ktp_el",
    "status_rekam",
    "status_dasar",
    "alamat_sekarang",
    "alamat_sebelumnya",
    "keluarga__no_kk",
    "keluarga__alamat",
    "rt__nomor",
    "rt__rw__nomor",
    "rt__rw__dusun__nama",
)


# B.1 Buku Induk Penduduk --------------------------------------------------------------------------

INDUK = Buku(
    kode="induk",
    nomor="B.1",
    judul="Buku Induk Penduduk",
    keterangan="Satu baris per penduduk, sesuai kolom Permendagri 47/2016.",
    kolom=[
        Kolom("No", 6),
        Kolom("Nama lengkap", 28),
        Kolom("Jenis kelamin", 8),
        Kolom("Status perkawinan", 14),
        Kolom("Tempat lahir", 16, "Tempat & tanggal lahir"),
        Kolom("Tanggal lahir", 12, "Tempat & tanggal lahir"),
        Kolom("Agama", 12),
        Kolom("Pendidikan terakhir", 18),
        Kolom("Pekerjaan", 18),
        Kolom("Dapat membaca huruf", 10),
        Kolom("Kewarganegaraan", 10),
        Kolom("Alamat lengkap", 32),
        Kolom("Kedudukan dalam keluarga", 14),
        Kolom("NIK", 19),
        Kolom("No. KK", 19),
        Kolom("Keterangan", 18),
    ],
)


def _keterangan(row: dict[str, Any]) -> str:
    notes = []
    if row["status_dasar"] != HIDUP:
        notes.append(STATUS(row["status_dasar"]))
    if row["nik_sementara"]:
        notes.append("NIK sementara")
    return "; ".join(notes)


def _induk_qs(status: SaringanStatus) -> QuerySet[Penduduk]:
    qs = Penduduk.objects.all()
    if status.kode is not None:
        qs = qs.filter(status_dasar=status.kode)
    return qs.order_by("nama", "id")


def _induk_row(no: int, r: dict[str, Any]) -> list[Any]:
    return [
        no,
        r["nama"],
        JK_SINGKAT.get(r["jenis_kelamin"], ""),
        KAWIN(r["status_kawin"]),
        r["tempat_lahir"],
        _tanggal(r["tanggal_lahir"]),
        AGAMA(r["agama"]),
        PENDIDIKAN(r["pendidikan_kk"]),
        PEKERJAAN(r["pekerjaan"]),
        "",  # not recorded in SIAK
        WN(r["warganegara"]),
        _alamat(r),
        HUBUNGAN(r["hubungan"]),
        r["nik"],
        r["keluarga__no_kk"] or "",
        _keterangan(r),
    ]


# B.2 Buku Mutasi Penduduk -------------------------------------------------------------------------

MUTASI = Buku(
    kode="mutasi",
    nomor="B.2",
    judul="Buku Mutasi Penduduk Desa",
    keterangan="Penambahan (lahir, datang) dan pengurangan (mati, pindah, hilang, pergi) menurut tanggal peristiwa.",
    berperiode="bulan_tahun",
    kolom=[
        Kolom("No", 6),
        Kolom("Nama lengkap", 28),
        Kolom("Tempat & tanggal lahir", 22),
        Kolom("Jenis kelamin", 8),
        Kolom("Kewarganegaraan", 10),
        Kolom("Datang dari", 22, "Penambahan"),
        Kolom("Tanggal datang", 12, "Penambahan"),
        Kolom("Tanggal lahir", 12, "Penambahan"),
        Kolom("Pindah ke", 22, "Pengurangan"),
        Kolom("Tanggal pindah", 12, "Pengurangan"),
        Kolom("Meninggal tanggal", 12, "Pengurangan"),
        Kolom("Keterangan", 24),
    ],
)


def _mutasi_qs(periode: Periode) -> QuerySet[Peristiwa]:
    return Peristiwa.objects.filter(tanggal_peristiwa__range=(periode.awal, periode.akhir)).order_by(
        "tanggal_peristiwa", "id"
    )


MUTASI_FIELDS = (
    "jenis",
    "tanggal_peristiwa",
    "tanggal_lapor",
    "tingkat_pindah",
    "alamat_tujuan",
    "alamat_asal",
    "keterangan",
    "penduduk__nama",
    "penduduk__tempat_lahir",
    "penduduk__tanggal_lahir",
    "penduduk__jenis_kelamin",
    "penduduk__warganegara",
    "penduduk__alamat_sebelumnya",
)


def _mutasi_row(no: int, r: dict[str, Any]) -> list[Any]:
    jenis, tanggal = r["jenis"], _tanggal(r["tanggal_peristiwa"])
    datang = jenis == ref.JenisPeristiwa.DATANG
    pindah = jenis == ref.JenisPeristiwa.PINDAH_KELUAR
    notes = [PERISTIWA(jenis)]
    if pindah and r["tingkat_pindah"]:
        notes.append(TINGKAT(r["tingkat_pindah"]))
    if r["keterangan"]:
        notes.append(r["keterangan"])
    notes.append(f"dilaporkan {_tanggal(r['tanggal_lapor'])}")
    return [
        no,
        r["penduduk__nama"],
        _ttl(r["penduduk__tempat_lahir"], r["penduduk__tanggal_lahir"]),
        JK_SINGKAT.get(r["penduduk__jenis_kelamin"], ""),
        WN(r["penduduk__warganegara"]),
        (r["alamat_asal"] or r["penduduk__alamat_sebelumnya"]) if datang else "",
        tanggal if datang else "",
        tanggal if jenis == ref.JenisPeristiwa.LAHIR else "",
        r["alamat_tujuan"] if pindah else "",
        tanggal if pindah else "",
        tanggal if jenis == ref.JenisPeristiwa.MATI else "",
        "; ".join(notes),
    ]


# B.3 Buku Rekapitulasi Jumlah Penduduk ------------------------------------------------------------

KATEGORI = ("wni_l", "wni_p", "wna_l", "wna_p")
KATEGORI_LABEL = {"wni_l": "WNI L", "wni_p": "WNI P", "wna_l": "WNA L", "wna_p": "WNA P"}
GOLONGAN = (
    ("awal", "Jumlah penduduk awal bulan"),
    ("lahir", "Lahir"),
    ("datang", "Datang"),
    ("mati", "Meninggal"),
    ("pindah", "Pindah, pergi, hilang"),
    ("akhir", "Jumlah penduduk akhir bulan"),
)

REKAPITULASI = Buku(
    kode="rekapitulasi",
    nomor="B.3",
    judul="Buku Rekapitulasi Jumlah Penduduk",
    keterangan="Rekap bulanan per dusun, dikirim ke camat. Awal + lahir + datang - meninggal - pindah = akhir.",
    berperiode="bulan",
    berhalaman=False,
    kolom=[
        Kolom("No", 5),
        Kolom("Dusun", 20),
        *(
            kolom
            for _, judul in GOLONGAN
            for kolom in [*(Kolom(KATEGORI_LABEL[k], 7, judul) for k in KATEGORI), Kolom("Jumlah", 8, judul)]
        ),
        Kolom("Jumlah KK (per hari ini)", 10),
    ],
)


@dataclass
class RekapBaris:
    dusun_id: int | None
    dusun: str
    angka: dict[str, dict[str, int]] = field(default_factory=dict)  # golongan -> kategori -> n
    kk: int = 0

    def jumlah(self, golongan: str) -> int:
        return sum(self.angka[golongan].values())

    def sel(self) -> list[int]:
        out: list[int] = []
        for g, _ in GOLONGAN:
            out.extend(self.angka[g][k] for k in KATEGORI)
            out.append(self.jumlah(g))
        return [*out, self.kk]


@dataclass(frozen=True)
class Rekap:
    periode: Periode
    baris: list[RekapBaris]
    total: RekapBaris


def _kategori(jenis_kelamin: int, warganegara: int) -> str:
    wn = "wni" if warganegara == ref.Warganegara.WNI else "wna"
    return f"{wn}_{'p' if jenis_kelamin == ref.JenisKelamin.PEREMPUAN else 'l'}"


def rekap_bulanan(*, periode: Periode) -> Rekap:
    """B.3 numbers for one month, per dusun (current address), by sex and WNI/WNA. Four queries."""
    assert periode.bulan is not None
    awal, akhir = periode.awal, periode.akhir
    q = connection.ops.quote_name
    p, e = q(Penduduk._meta.db_table), q(Peristiwa._meta.db_table)
    # Residents -> their dusun today (none when they have no RT).
    penduduk = (
        f"{p} p LEFT JOIN {q(Rt._meta.db_table)} t ON t.id = p.rt_id "
        f"LEFT JOIN {q(Rw._meta.db_table)} w ON w.id = t.rw_id"
    )
    now: Counter[tuple[int | None, str]] = Counter()
    # (dusun, kategori, jenis, after the month?) -> n
    events: Counter[tuple[int | None, str, int, bool]] = Counter()
    kk: Counter[int | None] = Counter()
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT w.dusun_id, p.jenis_kelamin, p.warganegara, COUNT(*) FROM {penduduk} "
            "WHERE p.status_dasar = %s GROUP BY 1, 2, 3",
            [HIDUP],
        )
        for dusun, jk, wn, n in cur.fetchall():
            now[(dusun, _kategori(jk, wn))] += n
        cur.execute(
            f"SELECT w.dusun_id, p.jenis_kelamin, p.warganegara, e.jenis, e.tanggal_peristiwa > %s, COUNT(*) "
            f"FROM {e} e JOIN ({penduduk}) ON p.id = e.penduduk_id "
            "WHERE e.tanggal_peristiwa >= %s GROUP BY 1, 2, 3, 4, 5",
            [akhir, awal],
        )
        for dusun, jk, wn, jenis, sesudah, n in cur.fetchall():
            events[(dusun, _kategori(jk, wn), jenis, sesudah)] += n
        # Families today whose living head lives in the dusun (a family count has no history to rewind).
        cur.execute(
            f"SELECT w.dusun_id, COUNT(*) FROM {penduduk} WHERE p.hubungan = %s AND p.status_dasar = %s "
            "AND p.keluarga_id IS NOT NULL GROUP BY 1",
            [int(ref.Hubungan.KEPALA_KELUARGA), HIDUP],
        )
        kk.update(dict(cur.fetchall()))
    dusun_list: list[tuple[int | None, str]] = list(Dusun.objects.order_by("nama").values_list("id", "nama"))
    seen = {d for d, _ in now} | {d for d, *_ in events} | set(kk)
    if None in seen:
        dusun_list.append((None, BELUM_MENGISI))
    rows = []
    for dusun_id, nama in dusun_list:
        row = RekapBaris(dusun_id=dusun_id, dusun=nama, kk=kk.get(dusun_id, 0))
        for g, _ in GOLONGAN:
            row.angka[g] = dict.fromkeys(KATEGORI, 0)
        for k in KATEGORI:

            def n(jenis: Sequence[int], sesudah: bool, k: str = k, dusun_id: int | None = dusun_id) -> int:
                return sum(events[(dusun_id, k, j, sesudah)] for j in jenis)

            akhir_n = now[(dusun_id, k)] - n(MASUK, True) + n(KELUAR, True)
            row.angka["lahir"][k] = n((int(ref.JenisPeristiwa.LAHIR),), False)
            row.angka["datang"][k] = n((int(ref.JenisPeristiwa.DATANG),), False)
            row.angka["mati"][k] = n((int(ref.JenisPeristiwa.MATI),), False)
            row.angka["pindah"][k] = n(KELUAR[1:], False)
            row.angka["akhir"][k] = akhir_n
            row.angka["awal"][k] = (
                akhir_n - row.angka["lahir"][k] - row.angka["datang"][k] + row.angka["mati"][k] + row.angka["pindah"][k]
            )
        rows.append(row)
    total = RekapBaris(dusun_id=None, dusun="Jumlah", kk=sum(r.kk for r in rows))
    for g, _ in GOLONGAN:
        total.angka[g] = {k: sum(r.angka[g][k] for r in rows) for k in KATEGORI}
    return Rekap(periode=periode, baris=rows, total=total)


# B.4 Buku Penduduk Sementara ------------------------------------------------------------------------

SEMENTARA = Buku(
    kode="sementara",
    nomor="B.4",
    judul="Buku Penduduk Sementara",
    keterangan="Penduduk berstatus tidak tetap, dengan tanggal datang dan pergi dari peristiwanya.",
    kolom=[
        Kolom("No", 6),
        Kolom("Nama lengkap", 28),
        Kolom("L/P", 5),
        Kolom("Nomor identitas", 19),
        Kolom("Tempat & tanggal lahir", 22),
        Kolom("Umur", 6),
        Kolom("Pekerjaan", 18),
        Kolom("Kewarganegaraan", 10),
        Kolom("Datang dari", 24),
        Kolom("Maksud dan tujuan kedatangan", 24),
        Kolom("Nama dan alamat yang didatangi", 30),
        Kolom("Datang tanggal", 12),
        Kolom("Pergi tanggal", 12),
        Kolom("Keterangan", 16),
    ],
)


def _sementara_qs() -> QuerySet[Penduduk]:
    def last(jenis: int, column: str) -> Subquery:
        return Subquery(
            Peristiwa.objects.filter(penduduk=OuterRef("pk"), jenis=jenis)
            .order_by("-tanggal_peristiwa", "-id")
            .values(column)[:1]
        )

    return (
        Penduduk.objects.filter(status_penduduk=ref.StatusPenduduk.TIDAK_TETAP)
        .annotate(
            datang_tanggal=last(ref.JenisPeristiwa.DATANG, "tanggal_peristiwa"),
            datang_asal=last(ref.JenisPeristiwa.DATANG, "alamat_asal"),
            datang_maksud=last(ref.JenisPeristiwa.DATANG, "keterangan"),
            pergi_tanggal=last(ref.JenisPeristiwa.PERGI, "tanggal_peristiwa"),
        )
        .order_by("nama", "id")
    )


def _sementara_row(no: int, r: dict[str, Any], today: dt.date) -> list[Any]:
    return [
        no,
        r["nama"],
        JK_SINGKAT.get(r["jenis_kelamin"], ""),
        r["nik"],
        _ttl(r["tempat_lahir"], r["tanggal_lahir"]),
        _umur(r["tanggal_lahir"], today),
        PEKERJAAN(r["pekerjaan"]),
        WN(r["warganegara"]),
        r["datang_asal"] or r["alamat_sebelumnya"],
        r["datang_maksud"] or "",
        _alamat(r),
        _tanggal(r["datang_tanggal"]),
        _tanggal(r["pergi_tanggal"]),
        "" if r["status_dasar"] == HIDUP else STATUS(r["status_dasar"]),
    ]


# B.5 Buku KTP dan KK ----------------------------------------------------------------------------------

KTP_KK = Buku(
    kode="ktp-kk",
    nomor="B.5",
    judul="Buku Kartu Tanda Penduduk dan Buku Kartu Keluarga",
    keterangan="Penduduk hidup dikelompokkan per Kartu Keluarga (kepala keluarga lebih dulu), dengan status KTP-el.",
    kolom=[
        Kolom("No", 6),
        Kolom("No. KK", 19),
        Kolom("Nama lengkap", 28),
        Kolom("NIK", 19),
        Kolom("L/P", 5),
        Kolom("Tempat & tanggal lahir", 22),
        Kolom("Gol. darah", 7),
        Kolom("Agama", 12),
        Kolom("Pendidikan", 18),
        Kolom("Pekerjaan", 18),
        Kolom("Alamat", 30),
        Kolom("Status perkawinan", 12),
        Kolom("Hubungan dalam keluarga", 14),
        Kolom("Kewarganegaraan", 10),
        Kolom("Nama ayah", 20, "Orang tua"),
        Kolom("Nama ibu", 20, "Orang tua"),
        Kolom("KTP-el", 8),
        Kolom("Status rekam", 14),
        Kolom("Keterangan", 14),
    ],
)


def _ktp_kk_qs() -> QuerySet[Penduduk]:
    return Penduduk.objects.filter(status_dasar=HIDUP).order_by(
        "keluarga__no_kk", "keluarga_id", "hubungan", "tanggal_lahir", "id"
    )


def _ktp_kk_row(no: int, r: dict[str, Any], previous_kk: str | None) -> list[Any]:
    no_kk = r["keluarga__no_kk"] or ""
    return [
        no,
        no_kk if no_kk != previous_kk else "",  # the card number once per family, as in the paper book
        r["nama"],
        r["nik"],
        JK_SINGKAT.get(r["jenis_kelamin"], ""),
        _ttl(r["tempat_lahir"], r["tanggal_lahir"]),
        DARAH(r["golongan_darah"]),
        AGAMA(r["agama"]),
        PENDIDIKAN(r["pendidikan_kk"]),
        PEKERJAAN(r["pekerjaan"]),
        _alamat(r),
        KAWIN(r["status_kawin"]),
        HUBUNGAN(r["hubungan"]),
        WN(r["warganegara"]),
        r["nama_ayah"],
        r["nama_ibu"],
        KTP(r["ktp_el"]),
        REKAM(r["status_rekam"]) or BELUM_MENGISI,
        "NIK sementara" if r["nik_sementara"] else ("Tanpa KK" if not no_kk else ""),
    ]


# --- one way in for the views ------------------------------------------------------------------------

DAFTAR_BUKU: dict[str, Buku] = {b.kode: b for b in (INDUK, MUTASI, REKAPITULASI, SEMENTARA, KTP_KK)}


@dataclass(frozen=True)
class Pilihan:
    """What the reader asked for: a period (mutasi, rekapitulasi) and a status filter (induk)."""

    periode: Periode
    status: SaringanStatus = field(default_factory=SaringanStatus)


def _source(buku: Buku, pilihan: Pilihan) -> QuerySet[Any]:
    qs: QuerySet[Any]
    if buku is INDUK:
        qs = _induk_qs(pilihan.status).values(*PENDUDUK_FIELDS)
    elif buku is MUTASI:
        qs = _mutasi_qs(pilihan.periode).values(*MUTASI_FIELDS)
    elif buku is SEMENTARA:
        extra = ("datang_tanggal", "datang_asal", "datang_maksud", "pergi_tanggal")
        qs = _sementara_qs().values(*PENDUDUK_FIELDS, *extra)
    elif buku is KTP_KK:
        qs = _ktp_kk_qs().values(*PENDUDUK_FIELDS)
    else:
        raise ValueError(f"{buku.kode} has no row source")
    return qs


def buku_jumlah_baris(*, buku: Buku, pilihan: Pilihan) -> int:
    if buku is REKAPITULASI:
        return len(rekap_bulanan(periode=pilihan.periode).baris) + 1  # + the total row
    return _source(buku, pilihan).count()


def buku_baris(
    *, buku: Buku, pilihan: Pilihan, offset: int = 0, limit: int | None = None, chunk_size: int = 2000
) -> list[list[Any]] | Iterator[list[Any]]:
    """Rows of a book (numbered from offset + 1). A list for a page; an iterator (server-side chunks) for all."""
    if buku is REKAPITULASI:
        rekap = rekap_bulanan(periode=pilihan.periode)
        rows = [[i, r.dusun, *r.sel()] for i, r in enumerate(rekap.baris, 1)]
        return [*rows, ["", "Jumlah", *rekap.total.sel()]]
    qs = _source(buku, pilihan)
    if limit is not None:
        return list(_rows(buku, qs[offset : offset + limit], start=offset + 1))
    return _rows(buku, qs.iterator(chunk_size=chunk_size), start=1)


def _rows(buku: Buku, source: Any, *, start: int) -> Iterator[list[Any]]:
    today = timezone.localdate()
    previous_kk: str | None = None
    for no, r in enumerate(source, start):
        if buku is INDUK:
            yield _induk_row(no, r)
        elif buku is MUTASI:
            yield _mutasi_row(no, r)
        elif buku is SEMENTARA:
            yield _sementara_row(no, r, today)
        else:
            yield _ktp_kk_row(no, r, previous_kk)
            previous_kk = r["keluarga__no_kk"] or ""


def buku_xlsx(*, buku: Buku, pilihan: Pilihan, judul_desa: str, out: IO[bytes]) -> int:
    """Write the whole book as .xlsx (write-only: rows stream from the database in chunks). Returns data rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=buku.nomor)
    ws.freeze_panes = "A6" if buku.ada_grup else "A5"
    for i, k in enumerate(buku.kolom, 1):
        ws.column_dimensions[get_column_letter(i)].width = k.lebar
    bold = Font(bold=True)

    def cell(value: Any, *, strong: bool = False) -> Cell:
        c = WriteOnlyCell(ws, value=value)
        if strong:
            c.font = bold
            c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        return c

    ws.append([cell(f"{buku.nomor} {buku.judul.upper()}", strong=True)])
    ws.append([judul_desa])
    ws.append([f"Periode: {pilihan.periode.label}" if buku.berperiode else f"Per {_tanggal(timezone.localdate())}"])
    ws.append([])
    if buku.ada_grup:
        ws.append([cell(k.grup or k.judul, strong=True) for k in buku.kolom])
        ws.append([cell(k.judul if k.grup else "", strong=True) for k in buku.kolom])
    else:
        ws.append([cell(k.judul, strong=True) for k in buku.kolom])
    n = 0
    for values in buku_baris(buku=buku, pilihan=pilihan):
        ws.append(values)
        n += 1
    wb.save(out)
    return n
