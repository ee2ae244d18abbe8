"""Fact-table services, public-side indicators, presence, full recompute and the no-personal-data rule."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from platform_core.accounts.models import User
from platform_core.facts import registry
from platform_core.facts.models import Aktivitas, Fakta, KehadiranOperator, StatusDesa
from platform_core.facts.presence import throttle_key
from platform_core.facts.registry import Nilai
from platform_core.facts.services import fakta_simpan, hitung_ulang_batch, periode_dari
from platform_core.tenancy.schemas import village_context
from tenants.outbox.services import outbox_drain
from tenants.penduduk.models import Keluarga, Penduduk
from tests.conftest import Villages, host_of, signed_in
from tests.tenants.penduduk.factories import keluarga_dengan

NOW = timezone.now()


def test_fakta_simpan_upserts_and_says_whether_it_changed(villages: Villages, db: None) -> None:
    periode = periode_dari(NOW)
    kw = {"village_id": villages.a.pk, "indikator": "uji", "periode": periode, "computed_at": NOW}
    assert fakta_simpan(nilai=Nilai(nilai=Decimal(1) / Decimal(3)), **kw)
    assert not fakta_simpan(nilai=Nilai(nilai=Decimal("0.33333")), **kw)  # same at four decimals
    assert fakta_simpan(nilai=Nilai(nilai=None), **kw)
    assert Fakta.objects.get(village=villages.a, indikator="uji").nilai is None


def test_freshness_and_operators_this_week(villages: Villages, db: None) -> None:
    kesegaran, operator = registry.get("kesegaran_hari"), registry.get("operator_aktif_minggu")
    assert kesegaran.hitung(village_id=villages.a.pk).nilai is None  # type: ignore[call-arg]  # never active
    StatusDesa.objects.create(village=villages.a, terakhir_aktif=NOW - dt.timedelta(days=3, hours=1))
    assert kesegaran.hitung(village_id=villages.a.pk).nilai == 3  # type: ignore[call-arg]
    op_a, pmd = User.objects.get(username="operator_a"), User.objects.get(username="pmd")
    KehadiranOperator.objects.create(user=op_a, village=villages.a, terakhir_terlihat=NOW - dt.timedelta(days=1))
    KehadiranOperator.objects.create(user=pmd, village=villages.a, terakhir_terlihat=NOW - dt.timedelta(days=8))
    assert operator.hitung(village_id=villages.a.pk).nilai == 1  # type: ignore[call-arg]


def test_placeholders_are_no_data_not_zero() -> None:
    # The placeholders still standing (a module that holds the data replaces its own, e.g. finance).
    placeholders = [i for i in registry.semua() if i.placeholder]
    assert registry.get("bumdes_jumlah") in placeholders
    for ind in placeholders:
        assert ind.hitung(village_id=1).nilai is None  # type: ignore[call-arg]
        assert "Belum ada data" in ind.definisi


def test_presence_is_recorded_at_most_once_a_minute(villages: Villages, db: None) -> None:
    user = User.objects.get(username="operator_a")
    caches["platform"].delete(throttle_key(user.pk, villages.a.pk))
    client = signed_in("operator_a", host_of(villages.a))
    client.get("/")
    first = KehadiranOperator.objects.get(user=user, village=villages.a).terakhir_terlihat
    client.get("/")
    assert KehadiranOperator.objects.get(user=user, village=villages.a).terakhir_terlihat == first
    # after the minute (the throttle key expired), seen again
    caches["platform"].delete(throttle_key(user.pk, villages.a.pk))
    client.get("/")
    assert KehadiranOperator.objects.get(user=user, village=villages.a).terakhir_terlihat > first
    # anonymous visitors and another village's operator are not operators of A
    Client(HTTP_HOST=host_of(villages.a)).get("/")
    other = User.objects.get(username="operator_b")
    caches["platform"].delete(throttle_key(other.pk, villages.a.pk))
    assert KehadiranOperator.objects.filter(village=villages.a).count() == 1


def test_recompute_reports_and_corrects_drift(villages: Villages, db: None) -> None:
    with village_context(villages.a):
        keluarga_dengan(anggota=[("Anak", 4)])
    out = io.StringIO()
    call_command("recompute", village=villages.a.slug, no_progress=True, stdout=out)
    assert "1 desa" in out.getvalue()
    periode = periode_dari(timezone.now())
    assert Fakta.objects.get(village=villages.a, indikator="penduduk_jumlah", periode=periode).nilai == 2
    assert Fakta.objects.filter(village=villages.a, periode=periode).count() == len(registry.semua())
    # when a fact is tampered with, the next recompute finds and fixes exactly that
    Fakta.objects.filter(village=villages.a, indikator="penduduk_jumlah").update(nilai=99)
    out = io.StringIO()
    call_command("recompute", village=villages.a.kode, no_progress=True, stdout=out)
    assert "drift dikoreksi: 1 fakta (penduduk_jumlah 1)" in out.getvalue()
    assert Fakta.objects.get(village=villages.a, indikator="penduduk_jumlah", periode=periode).nilai == 2
    # and a third run has nothing to correct
    hasil = hitung_ulang_batch([villages.a.pk], close=True)
    assert hasil.drift == 0 and hasil.dihitung == 1


PERSONAL = re.compile(r"\d{16}")


def test_the_fact_table_holds_no_personal_data_after_demo_data(villages: Villages, db: None) -> None:
    # given a village filled by the demo generator, plus register writes that drain into the feed
    call_command("demo_data", village=villages.a.slug, residents=300, seed=7, stdout=io.StringIO())
    with village_context(villages.a):
        keluarga_dengan(kepala="Sutrisno Wibowo", anggota=[("Sri Lestari", 3)])
        outbox_drain()
        niks = set(Penduduk.objects.values_list("nik", flat=True))
        names = set(Penduduk.objects.values_list("nama", flat=True))
        no_kks = set(Keluarga.objects.values_list("no_kk", flat=True))
    # when the province recomputes
    hitung_ulang_batch([villages.a.pk], close=True)
    # then no NIK, No. KK or name appears anywhere in the facts or the feed
    blobs = [
        repr(row)
        for row in Fakta.objects.filter(village=villages.a).values_list(
            "indikator", "nilai", "pembilang", "penyebut", "rincian"
        )
    ] + [repr(row) for row in Aktivitas.objects.filter(village=villages.a).values_list("jenis", "keterangan")]
    assert Fakta.objects.get(village=villages.a, indikator="penduduk_jumlah").nilai >= 300
    text = "\n".join(blobs)
    assert not PERSONAL.search(text)  # no 16-digit number (NIK, No. KK) at all
    for secret in niks | no_kks:
        assert secret not in text
    for name in names:
        assert name not in text, name
