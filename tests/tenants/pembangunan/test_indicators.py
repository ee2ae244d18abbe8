"""Indicators: laporan_tepat_waktu replaces the placeholder; projects finished and late."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from platform_core.facts import registry
from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import village_context
from tenants.pembangunan import indicators, services
from tenants.pembangunan.models import Dokumen
from tests.conftest import Villages
from tests.tenants.pembangunan.factories import PDF, proyek_baru, upload


@pytest.fixture
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def test_real_indicators_are_registered() -> None:
    laporan = registry.get("laporan_tepat_waktu")
    assert not laporan.placeholder and laporan.hitung is indicators.laporan_tepat_waktu
    assert "pembangunan.dokumen" in laporan.pemicu
    assert registry.get("proyek_selesai").pemicu == ("pembangunan.proyek",)
    assert registry.get("proyek_terlambat").arah == -1


def _lapor(tahun: int, diunggah: dt.datetime) -> None:
    d = services.dokumen_upload(
        jenis="semester_1", judul="S1", tahun=tahun, tanggal=diunggah.date(), berkas=upload("s.pdf", PDF)
    )
    Dokumen.objects.filter(pk=d.pk).update(diunggah=diunggah)


def test_semester_report_on_time(in_village_a: Village, media: Path) -> None:
    tz = timezone.get_current_timezone()
    assert indicators.tahun_laporan(dt.date(2026, 7, 14)) == 2025
    assert indicators.tahun_laporan(dt.date(2026, 7, 15)) == 2026
    # before the deadline of 2026 the 2025 report counts: none uploaded -> 0
    assert indicators.laporan_tepat_waktu(dt.date(2026, 7, 1)).nilai == Decimal(0)
    _lapor(2025, dt.datetime(2025, 7, 15, 23, 0, tzinfo=tz))
    assert indicators.laporan_tepat_waktu(dt.date(2026, 7, 1)).nilai == Decimal(1)
    # 2026: uploaded on 16 July, late
    _lapor(2026, dt.datetime(2026, 7, 16, 8, 0, tzinfo=tz))
    nilai = indicators.laporan_tepat_waktu(dt.date(2026, 8, 1))
    assert nilai.nilai == Decimal(0) and nilai.rincian["diunggah"] == "2026-07-16"


def test_kelurahan_has_no_report_indicator(villages: Villages, db: None) -> None:
    with village_context(villages.b):
        assert indicators.laporan_tepat_waktu().nilai is None


def test_projects_finished_and_late(in_village_a: Village) -> None:
    today = timezone.localdate()
    selesai = proyek_baru()
    services.progres_add(proyek=selesai, tanggal=today, persen=100)
    proyek_baru(mulai_rencana=today - dt.timedelta(days=60), selesai_rencana=today - dt.timedelta(days=1))
    proyek_baru(tahun=today.year - 1)  # another year: not counted
    assert indicators.proyek_selesai().nilai == Decimal(1)
    late = indicators.proyek_terlambat()
    assert late.nilai == Decimal(1) and late.rincian["selesai"] == 1
