"""The stored rollups and scores equal the on-the-fly computation after a drain and after a recompute."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from platform_core.facts import ringkasan as rk
from platform_core.facts.models import Fakta, Ringkasan, Skor
from platform_core.facts.services import periode_dari
from platform_core.tenancy.schemas import village_context
from tenants.outbox.services import outbox_drain
from tests.conftest import Villages
from tests.tenants.penduduk.factories import keluarga_dengan


def _sama_dengan_langsung() -> None:
    periode = periode_dari()
    assert Fakta.objects.filter(periode=periode).exists()
    for tingkat in ("kecamatan", "kabupaten", "provinsi"):
        langsung = rk.rollup_langsung(periode=periode, tingkat=tingkat, wilayah="18")
        tersimpan: dict[str, dict[str, rk.Angka]] = {}
        for r in Ringkasan.objects.filter(periode=periode, tingkat=tingkat):
            tersimpan.setdefault(r.kode, {})[r.indikator] = rk.Angka(r.nilai, r.dengan_data, r.pembilang, r.penyebut)
        assert tersimpan == langsung, tingkat  # exact: same Decimal digits
    skor = rk.skor_desa_langsung(periode=periode, wilayah="18")
    disimpan = {s.kode: s for s in Skor.objects.filter(periode=periode, tingkat="desa")}
    assert set(disimpan) == {s.kode for s in skor}
    for s in skor:
        d = disimpan[s.kode]
        assert (d.pemerintahan, d.ekonomi, d.masyarakat, d.total) == (
            s.pilar["pemerintahan"],
            s.pilar["ekonomi"],
            s.pilar["masyarakat"],
            s.total,
        )
    for tingkat in ("kecamatan", "kabupaten", "provinsi"):
        wilayah = rk.skor_wilayah_langsung(skor, tingkat)
        rows = {r.kode: r for r in Skor.objects.filter(periode=periode, tingkat=tingkat)}
        assert set(rows) == set(wilayah)
        for kode, per in wilayah.items():
            assert rows[kode].total == pytest.approx(per["total"])
            assert rows[kode].pemerintahan == pytest.approx(per["pemerintahan"])


def test_rollups_follow_the_drain_and_the_recompute(villages: Villages, db: None) -> None:
    with village_context(villages.a):
        keluarga_dengan(anggota=[("Anak", 4), ("Kakak", 4)])
        outbox_drain()
    with village_context(villages.b):
        keluarga_dengan(anggota=[("Adik", 4)])
        outbox_drain()
    _sama_dengan_langsung()  # after the drains, in their transactions
    with village_context(villages.a):
        keluarga_dengan(anggota=[("Bungsu", 4)])  # not drained: the recompute picks it up
    Ringkasan.objects.filter(tingkat="provinsi").update(nilai=None)  # drift in the stored rollups too
    call_command("recompute", village=villages.a.slug, no_progress=True, stdout=io.StringIO())
    _sama_dengan_langsung()
    assert Ringkasan.objects.filter(tingkat="provinsi", indikator="penduduk_jumlah").get().nilai is not None
