"""Operator pages: create a project, record progress with a photo, upload a report, answer a complaint."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from platform_core.tenancy.schemas import village_context
from tenants.pembangunan import services
from tenants.pembangunan.models import Dokumen, Progres, Proyek
from tests.conftest import Villages, host_of
from tests.tenants.pembangunan.factories import PDF, jpeg, upload


@pytest.fixture
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def test_operator_pages_create_project_progress_and_report(villages: Villages, client_a: Client, media: Path) -> None:
    today = dt.date.today()
    for name in (
        "pembangunan:index",
        "pembangunan:proyek-list",
        "pembangunan:proyek-create",
        "pembangunan:dokumen-list",
        "pembangunan:pengaduan-list",
    ):
        assert client_a.get(reverse(name)).status_code == 200, name
    form = {
        "nama": "Talud penahan tanah",
        "tahun": today.year,
        "lokasi": "RT 004",
        "pelaksana": "TPK Desa",
        "mulai_rencana": today.isoformat(),
        "selesai_rencana": (today + dt.timedelta(days=40)).isoformat(),
        "lat": "-5,5123",
        "lng": "105.52",
        "dana_DDS": "90000000",
        "dana_ADD": "10000000",
    }
    bad = client_a.post(reverse("pembangunan:proyek-create"), {**form, "dana_DDS": "", "dana_ADD": ""})
    assert bad.status_code == 200 and "sumber dana" in bad.content.decode()
    response = client_a.post(reverse("pembangunan:proyek-create"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    with village_context(villages.a):
        proyek = Proyek.objects.get()
    assert proyek.anggaran == 100_000_000 and str(proyek.lat) == "-5.512300"
    detail = reverse("pembangunan:proyek-detail", args=[proyek.pk])
    ok = client_a.post(detail, {"tanggal": today.isoformat(), "persen": "35", "foto": upload("p.jpg", jpeg())})
    assert ok.status_code == 302
    refused = client_a.post(
        detail, {"tanggal": today.isoformat(), "persen": "40", "foto": upload("p.png", b"MZ\x90\x00")}
    )
    assert refused.status_code == 400 and "bukan foto" in refused.content.decode()
    with village_context(villages.a):
        assert Progres.objects.count() == 1
    page = client_a.get(detail).content.decode()
    assert "35%" in page and "Berjalan" in page
    upload_ok = client_a.post(
        reverse("pembangunan:dokumen-list"),
        {
            "jenis": "semester_1",
            "judul": "Lap. semester I",
            "tahun": today.year,
            "tanggal": today.isoformat(),
            "berkas": upload("s1.pdf", PDF),
        },
    )
    assert upload_ok.status_code == 302
    upload_bad = client_a.post(
        reverse("pembangunan:dokumen-list"),
        {
            "jenis": "lpj",
            "judul": "LPJ",
            "tahun": today.year,
            "tanggal": today.isoformat(),
            "berkas": upload("x.pdf", jpeg()),
        },
    )
    assert upload_bad.status_code == 400 and "bukan PDF" in upload_bad.content.decode()
    with village_context(villages.a):
        assert list(Dokumen.objects.values_list("jenis", flat=True)) == ["semester_1"]


def test_anonymous_and_other_village_operators_get_no_operator_page(villages: Villages, db: None) -> None:
    with village_context(villages.a):
        p = services.pengaduan_kirim(
            nama="Rahasia Pengirim", kontak="0811", judul="Judul", isi="Isi yang cukup panjang."
        )
    anonymous = Client(HTTP_HOST=host_of(villages.a))
    response = anonymous.get(reverse("pembangunan:pengaduan-detail", args=[p.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_delete_needs_the_confirmation_field(villages: Villages, client_a: Client) -> None:
    from tests.tenants.pembangunan.factories import proyek_baru

    with village_context(villages.a):
        proyek = proyek_baru()
    url = reverse("pembangunan:proyek-delete", args=[proyek.pk])
    assert client_a.post(url).status_code == 302
    with village_context(villages.a):
        assert Proyek.objects.filter(pk=proyek.pk).exists()
    assert client_a.post(url, {"konfirmasi": "hapus"}).status_code == 302
    with village_context(villages.a):
        assert not Proyek.objects.filter(pk=proyek.pk).exists()
