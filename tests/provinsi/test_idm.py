"""IDM / Indeks Desa import: all rows or none, an Indonesian report per row, province staff only."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from platform_core.accounts.models import User
from platform_core.facts.models import StatusIdm
from platform_core.tenancy.models import Village
from tests.conftest import Villages


def _upload(username: str, isi: str) -> object:
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=username))
    return client.post("/konsol/idm/impor/", {"berkas": SimpleUploadedFile("idm.csv", isi.encode(), "text/csv")})


def test_good_file_is_saved_with_derived_status(villages: Villages, db: None) -> None:
    Village.objects.filter(pk=villages.b.pk).update(kode_bps="1871010003")
    isi = f"kode_desa;tahun;skor;status\n{villages.a.kode};2024;0,6523;\n1871010003;2024;0.85;Mandiri\n"
    response = _upload("pmd", isi)
    assert response.status_code == 302, response.content.decode()[:2000]  # type: ignore[attr-defined]
    a = StatusIdm.objects.get(village=villages.a, tahun=2024)
    assert a.skor == Decimal("0.6523") and a.status == "Berkembang"
    assert StatusIdm.objects.get(village=villages.b, tahun=2024).status == "Mandiri"
    # Shown on the dashboard.
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="pmd"))
    html = client.get("/konsol/provinsi/").content.decode()
    assert "Berkembang" in html and 'data-chart="#chart-idm"' in html
    # Importing again updates, never duplicates.
    _upload("pmd", f"kode_desa,tahun,skor,status\n{villages.a.kode},2024,0.5,\n")
    assert StatusIdm.objects.get(village=villages.a, tahun=2024).status == "Tertinggal"
    assert StatusIdm.objects.count() == 2


def test_bad_file_saves_nothing_and_reports_each_row(villages: Villages, db: None) -> None:
    isi = (
        "kode_desa,tahun,skor,status\n"
        f"{villages.a.kode},2024,0.7,Maju\n"
        "18.99.99.9999,2024,0.5,\n"
        f"{villages.b.kode},dua ribu,0.5,\n"
        f"{villages.b.kode},2024,1.7,\n"
        f"{villages.b.kode},2023,0.5,Hebat\n"
        f"{villages.a.kode},2024,0.6,\n"
    )
    response = _upload("pmd", isi)
    assert response.status_code == 400
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "Tidak ada yang disimpan" in html
    for baris, pesan in ((3, "tidak dikenal"), (4, "Tahun"), (5, "Skor"), (6, "Status"), (7, "sudah ada di baris 2")):
        assert f"Baris {baris}" in html, baris
        assert pesan in html, pesan
    assert not StatusIdm.objects.exists()
    response = _upload("pmd", "desa,skor\n1,2\n")
    assert "tidak ada di baris judul" in response.content.decode()  # type: ignore[attr-defined]


def test_only_province_staff_may_import(villages: Villages, db: None) -> None:
    isi = f"kode_desa,tahun,skor,status\n{villages.a.kode},2024,0.7,Maju\n"
    for username in ("opd_lamsel", "camat_candipuro", "operator_a"):
        assert _upload(username, isi).status_code == 404, username  # type: ignore[attr-defined]
    assert not StatusIdm.objects.exists()
