"""The projects API: create, progress with a photo, list, answer a complaint; bad input is a 400 in Indonesian."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client

from platform_core.tenancy.models import Village
from tenants.pembangunan import services
from tests.conftest import Villages, host_of
from tests.tenants.pembangunan.factories import jpeg, upload

API = "/api/pembangunan/"


@pytest.fixture
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def test_project_over_the_api(client_a: Client, in_village_a: Village, media: Path) -> None:
    today = dt.date.today()
    body = {
        "nama": "Drainase RT 5",
        "tahun": today.year,
        "lokasi": "RT 005",
        "pelaksana": "TPK",
        "pendanaan": {"DDS": 50_000_000},
        "mulai_rencana": today.isoformat(),
        "selesai_rencana": (today + dt.timedelta(days=30)).isoformat(),
    }
    bad = client_a.post(f"{API}kegiatan/create/", {**body, "pendanaan": {"XXX": 1}}, content_type="application/json")
    assert bad.status_code == 400 and "tidak dikenal" in bad.json()["errors"]["pendanaan"][0]
    r = client_a.post(f"{API}kegiatan/create/", body, content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["anggaran"] == "50000000" and r.json()["status"] == "belum_mulai"
    p = client_a.post(
        f"{API}kegiatan/{pk}/progres/", {"tanggal": today.isoformat(), "persen": 20, "foto": upload("a.jpg", jpeg())}
    )
    assert p.status_code == 201 and p.json()["ada_foto"] is True
    detail = client_a.get(f"{API}kegiatan/{pk}/").json()
    assert detail["status"] == "berjalan" and detail["progres"][0]["persen"] == 20
    assert client_a.get(f"{API}kegiatan/?status=berjalan").json()["count"] == 1


def test_complaints_over_the_api(client_a: Client, in_village_a: Village) -> None:
    p = services.pengaduan_kirim(nama="Warga", kontak="", judul="Judul", isi="Isi pengaduan panjang.")
    assert client_a.get(f"{API}pengaduan/").json()["results"][0]["nama"] == "Warga"
    r = client_a.post(
        f"{API}pengaduan/{p.pk}/jawab/", {"jawaban": "Terima kasih, segera."}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "dijawab"


def test_anonymous_gets_nothing(villages: Villages, db: None) -> None:
    assert Client(HTTP_HOST=host_of(villages.a)).get(f"{API}pengaduan/").status_code in (401, 403)


def test_api_delete_needs_confirmation(client_a: Client, in_village_a: Village) -> None:
    from tenants.pembangunan.models import Proyek
    from tests.tenants.pembangunan.factories import proyek_baru

    pk = proyek_baru().pk
    r = client_a.post(f"{API}kegiatan/{pk}/delete/", {}, content_type="application/json")
    assert r.status_code == 400 and "konfirmasi" in r.json()["errors"]["konfirmasi"][0]
    assert (
        client_a.post(
            f"{API}kegiatan/{pk}/delete/", {"konfirmasi": "hapus"}, content_type="application/json"
        ).status_code
        == 204
    )
    assert not Proyek.objects.filter(pk=pk).exists()
