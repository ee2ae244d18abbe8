"""Smart-people indicators against a hand-built village: every definition checked by counting by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from platform_core.facts import registry
from platform_core.facts.services import indikator_hitung, sesi_hitung
from platform_core.tenancy.models import Village
from tenants.penduduk import reference as ref
from tenants.penduduk.indicators import PEMICU
from tests.tenants.penduduk.factories import PendudukFactory

KUNCI = [
    "penduduk_jumlah",
    "rasio_jenis_kelamin",
    "piramida_umur",
    "rasio_pendidikan_slta",
    "rasio_tidak_bekerja",
    "rasio_ktp_el",
    "rasio_disabilitas",
    "rasio_asuransi",
]


def umur(years: int, extra_days: int = 10) -> dt.date:
    """A birth date `years` whole years (and a few days) ago."""
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=extra_days)


def semua(village: Village) -> dict[str, registry.Nilai]:
    with sesi_hitung():
        return {k: indikator_hitung(registry.get(k), village_id=village.pk) for k in KUNCI}


def test_hand_built_village(in_village_a: Village) -> None:
    # given 8 living residents and 2 who are not
    PendudukFactory(tanggal_lahir=umur(2), pekerjaan=ref.Pekerjaan.BELUM_TIDAK_BEKERJA)  # L, toddler
    PendudukFactory(tanggal_lahir=umur(16), perempuan=True, pekerjaan=ref.Pekerjaan.BELUM_TIDAK_BEKERJA)  # 15-64
    PendudukFactory(  # L 17: adult, working age, no job, SLTA, KTP-el
        tanggal_lahir=umur(17),
        pekerjaan=ref.Pekerjaan.BELUM_TIDAK_BEKERJA,
        pendidikan_kk=ref.PendidikanKK.SLTA_SEDERAJAT,
        ktp_el=ref.KtpEl.KTP_EL,
    )
    PendudukFactory(  # P 30: adult, D-IV, KTP-el, BPJS
        tanggal_lahir=umur(30),
        perempuan=True,
        pendidikan_kk=ref.PendidikanKK.DIPLOMA_IV_STRATA_I,
        ktp_el=ref.KtpEl.KTP_EL,
        asuransi=ref.Asuransi.BPJS_PENERIMA_BANTUAN_IURAN,
    )
    PendudukFactory(tanggal_lahir=umur(44), perempuan=True, cacat=ref.Cacat.CACAT_FISIK)  # P adult, SD
    PendudukFactory(tanggal_lahir=umur(64), asuransi=ref.Asuransi.ASURANSI_LAINNYA)  # L 64: still working age
    PendudukFactory(  # P 65: adult, not working age
        tanggal_lahir=umur(65), perempuan=True, pekerjaan=ref.Pekerjaan.BELUM_TIDAK_BEKERJA, ktp_el=ref.KtpEl.KTP_EL
    )
    PendudukFactory(tanggal_lahir=umur(80), perempuan=True)  # 75+
    PendudukFactory(tanggal_lahir=umur(40), status_dasar=ref.StatusDasar.MATI, ktp_el=ref.KtpEl.KTP_EL)
    PendudukFactory(tanggal_lahir=umur(40), status_dasar=ref.StatusDasar.PINDAH)

    # when every indicator is computed (one query for all of them)
    with CaptureQueriesContext(connection) as queries:
        hasil = semua(in_village_a)
    assert len(queries) == 1

    # then: 8 living, 3 L and 5 P
    assert hasil["penduduk_jumlah"].nilai == 8
    assert hasil["penduduk_jumlah"].rincian == {"L": 3, "P": 5}
    jk = hasil["rasio_jenis_kelamin"]
    assert (jk.pembilang, jk.penyebut, jk.nilai) == (Decimal(300), Decimal(5), Decimal(60))
    # adults 17+: 17, 30, 44, 64, 65, 80 = 6; SLTA or more: 17 (SLTA), 30 (D-IV) = 2; KTP-el: 17, 30, 65 = 3
    assert (hasil["rasio_pendidikan_slta"].pembilang, hasil["rasio_pendidikan_slta"].penyebut) == (2, 6)
    assert (hasil["rasio_ktp_el"].pembilang, hasil["rasio_ktp_el"].penyebut) == (3, 6)
    assert hasil["rasio_ktp_el"].nilai == Decimal("0.5")
    # working age 15-64: 16, 17, 30, 44, 64 = 5; "Belum/Tidak Bekerja" among them: 16, 17 = 2
    tb = hasil["rasio_tidak_bekerja"]
    assert (tb.pembilang, tb.penyebut, tb.nilai) == (2, 5, Decimal("0.4"))
    assert (hasil["rasio_disabilitas"].pembilang, hasil["rasio_disabilitas"].penyebut) == (1, 8)
    assert (hasil["rasio_asuransi"].pembilang, hasil["rasio_asuransi"].penyebut) == (2, 8)
    pyramid = hasil["piramida_umur"].rincian
    assert pyramid["0-4"] == {"L": 1, "P": 0}
    assert pyramid["15-19"] == {"L": 1, "P": 1}
    assert pyramid["60-64"] == {"L": 1, "P": 0}
    assert pyramid["65-69"] == {"L": 0, "P": 1}
    assert pyramid["75+"] == {"L": 0, "P": 1}
    assert sum(v["L"] + v["P"] for v in pyramid.values() if isinstance(v, dict)) == 8


def test_empty_village_has_no_ratio_but_a_zero_count(in_village_a: Village) -> None:
    hasil = semua(in_village_a)
    assert hasil["penduduk_jumlah"].nilai == 0
    for kunci in ("rasio_jenis_kelamin", "rasio_pendidikan_slta", "rasio_tidak_bekerja", "rasio_ktp_el"):
        assert hasil[kunci].nilai is None, kunci  # "belum ada data", not zero


def test_every_population_indicator_is_documented_and_triggered_by_register_topics() -> None:
    for kunci in KUNCI:
        ind = registry.get(kunci)
        assert ind.pilar == "masyarakat" and ind.definisi and ind.sumber and ind.satuan
        assert ind.pemicu == PEMICU
        assert ind in registry.untuk_topik("penduduk.lahir")
    assert registry.get("rasio_tidak_bekerja").arah == -1
    assert registry.get("piramida_umur").agregasi == "terbaru"
