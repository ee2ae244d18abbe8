"""The penduduk API on a village host, through Django's test Client (village A's operator unless said)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import village_context
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Keluarga, Penduduk
from tests.conftest import Villages, host_of, signed_in
from tests.tenants.penduduk.factories import KeluargaFactory, PendudukFactory, make_nik, make_no_kk

API = "/api/penduduk/"


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "nik": "1801171205850001",
        "nama": "Budi Santoso",
        "hubungan": ref.Hubungan.KEPALA_KELUARGA,
        "agama": ref.Agama.ISLAM,
        "pendidikan_kk": ref.PendidikanKK.SLTA_SEDERAJAT,
        "pekerjaan": ref.Pekerjaan.PETANI_PEKEBUN,
        "status_kawin": ref.StatusKawin.KAWIN,
    }
    data.update(overrides)
    return data


def count_in(village: Village) -> int:
    with village_context(village):
        return Penduduk.objects.count()


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nik", "expected"),
    [
        ("180117120585000", "16 digit"),  # wrong length
        ("1801173202850001", "Tanggal lahir di NIK"),  # 32 February
        ("1899171205850001", "Kode wilayah tidak dikenal"),  # no kabupaten 18.99
    ],
)
def test_invalid_nik_is_a_400_in_indonesian_and_saves_nothing(
    client_a: Client, villages: Villages, nik: str, expected: str
) -> None:
    # given
    before = count_in(villages.a)
    # when
    r = client_a.post(f"{API}create/", body(nik=nik), content_type="application/json")
    # then
    assert r.status_code == 400
    assert r.json()["detail"] == "Data tidak valid. Periksa isian yang ditandai."
    assert expected in r.json()["errors"]["nik"][0]
    assert count_in(villages.a) == before


def test_duplicate_nik_names_the_holder(client_a: Client, in_village_a: Village) -> None:
    # given
    holder = PendudukFactory(nama="Sri Wahyuni", perempuan=True)
    before = count_in(in_village_a)
    # when
    r = client_a.post(f"{API}create/", body(nik=holder.nik), content_type="application/json")
    # then
    assert r.status_code == 400
    assert "Sri Wahyuni" in r.json()["errors"]["nik"][0]
    assert count_in(in_village_a) == before


def test_unknown_code_and_sex_against_nik(client_a: Client, villages: Villages) -> None:
    r = client_a.post(f"{API}create/", body(agama=99), content_type="application/json")
    assert r.status_code == 400
    assert 'Kode agama "99" tidak dikenal' in r.json()["errors"]["agama"][0]
    r = client_a.post(f"{API}create/", body(jenis_kelamin=2), content_type="application/json")
    assert r.status_code == 400
    assert "tidak sesuai dengan NIK" in r.json()["errors"]["jenis_kelamin"][0]
    assert count_in(villages.a) == 0


# --- happy path -------------------------------------------------------------------------


def test_create_then_detail(client_a: Client, villages: Villages) -> None:
    # when
    r = client_a.post(f"{API}create/", body(), content_type="application/json")
    # then
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["agama"] == {"kode": 1, "label": "Islam"}
    assert created["jenis_kelamin"] == {"kode": 1, "label": "Laki-laki"}
    assert created["tanggal_lahir"] == "1985-05-12"
    assert created["nik_sementara"] is False
    detail = client_a.get(f"{API}{created['id']}/")
    assert detail.status_code == 200
    assert detail.json()["nama"] == "Budi Santoso"


def test_create_without_nik_gets_a_temporary_one(client_a: Client, villages: Villages) -> None:
    r = client_a.post(
        f"{API}create/",
        body(nik="", jenis_kelamin=2, tanggal_lahir="2010-04-01"),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["nik"] == "0180117201100001"
    assert r.json()["nik_sementara"] is True


def test_list_search_and_filters(client_a: Client, in_village_a: Village) -> None:
    # given
    keluarga = KeluargaFactory(no_kk=make_no_kk(77))
    PendudukFactory(nama="Siti Aminah", perempuan=True, keluarga=keluarga, hubungan=ref.Hubungan.KEPALA_KELUARGA)
    PendudukFactory(nama="Ahmad Dahlan", nik=make_nik(tanggal_lahir=dt.date(1990, 6, 5), serial=4321))
    PendudukFactory(nama="Made Wirawan", agama=ref.Agama.HINDU)
    # when / then
    assert client_a.get(API).json()["count"] == 3
    assert [p["nama"] for p in client_a.get(API, {"q": "amin"}).json()["results"]] == ["Siti Aminah"]
    assert [p["nama"] for p in client_a.get(API, {"q": "1801170506904321"}).json()["results"]] == ["Ahmad Dahlan"]
    assert [p["nama"] for p in client_a.get(API, {"q": make_no_kk(77)}).json()["results"]] == ["Siti Aminah"]
    assert [p["nama"] for p in client_a.get(API, {"jenis_kelamin": 2}).json()["results"]] == ["Siti Aminah"]
    assert [p["nama"] for p in client_a.get(API, {"agama": ref.Agama.HINDU}).json()["results"]] == ["Made Wirawan"]
    page = client_a.get(API, {"ukuran": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    assert client_a.get(API, {"agama": 99}).status_code == 400


def test_update_is_a_patch(client_a: Client, in_village_a: Village) -> None:
    # given
    p = PendudukFactory(nama="Nama Lama")
    # when
    r = client_a.patch(f"{API}{p.pk}/update/", {"nama": "Nama Baru", "pekerjaan": 65}, content_type="application/json")
    # then
    assert r.status_code == 200, r.content
    assert r.json()["pekerjaan"] == {"kode": 65, "label": "Guru"}
    p.refresh_from_db()
    assert (p.nama, p.pekerjaan) == ("Nama Baru", ref.Pekerjaan.GURU)
    # and bad input changes nothing
    r = client_a.patch(f"{API}{p.pk}/update/", {"nama": "X", "nik": "123"}, content_type="application/json")
    assert r.status_code == 400
    p.refresh_from_db()
    assert p.nama == "Nama Baru"


def test_keluarga_create_list_detail(client_a: Client, villages: Villages) -> None:
    # when
    r = client_a.post(
        f"{API}keluarga/create/",
        {"no_kk": make_no_kk(1), "alamat": "Jl. Melati 3", "kepala": body()},
        content_type="application/json",
    )
    # then
    assert r.status_code == 201, r.content
    keluarga = r.json()
    assert keluarga["kepala"]["nama"] == "Budi Santoso"
    assert keluarga["anggota"][0]["hubungan"] == {"kode": 1, "label": "Kepala Keluarga"}
    # a second head is refused
    r = client_a.post(
        f"{API}create/",
        body(nik="1801175506900001", keluarga_id=keluarga["id"]),
        content_type="application/json",
    )
    assert r.status_code == 400
    assert "Budi Santoso" in r.json()["errors"]["hubungan"][0]
    listed = client_a.get(f"{API}keluarga/").json()
    assert listed["count"] == 1 and listed["results"][0]["jumlah_anggota"] == 1
    detail = client_a.get(f"{API}keluarga/{keluarga['id']}/").json()
    assert [a["nama"] for a in detail["anggota"]] == ["Budi Santoso"]


def test_keluarga_create_with_bad_head_saves_nothing(client_a: Client, villages: Villages) -> None:
    r = client_a.post(
        f"{API}keluarga/create/",
        {"no_kk": make_no_kk(1), "kepala": body(nik="1801173202850001")},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert "Tanggal lahir di NIK" in r.json()["errors"]["kepala"]["nik"][0]
    with village_context(villages.a):
        assert Keluarga.objects.count() == 0
    assert count_in(villages.a) == 0


def test_referensi_lists_every_code_table(client_a: Client, villages: Villages) -> None:
    r = client_a.get(f"{API}referensi/")
    assert r.status_code == 200
    data = r.json()
    assert set(data) == set(ref.TABLES)
    assert {"kode": 1, "label": "Islam"} in data["agama"]
    assert len(data["pekerjaan"]) == 89


def test_lists_do_not_grow_queries_with_rows(client_a: Client, in_village_a: Village) -> None:
    # given one family, then five more
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client_a.get(url).status_code == 200
        return len(ctx.captured_queries)

    def family() -> None:
        keluarga = KeluargaFactory()
        PendudukFactory(keluarga=keluarga, hubungan=ref.Hubungan.KEPALA_KELUARGA)
        PendudukFactory(keluarga=keluarga)

    family()
    few = (queries(API), queries(f"{API}keluarga/"))
    for _ in range(5):
        family()
    # then
    assert (queries(API), queries(f"{API}keluarga/")) == few


# --- isolation -----------------------------------------------------------------------------


def test_village_b_sees_nothing_of_village_a(client_a: Client, villages: Villages, in_village_a: Village) -> None:
    # given a resident and a family in village A
    keluarga = KeluargaFactory()
    resident = PendudukFactory(nama="Warga Desa A", keluarga=keluarga, hubungan=ref.Hubungan.KEPALA_KELUARGA)
    client_b = signed_in("operator_b", host_of(villages.b))
    # when B's operator asks its own village
    listed = client_b.get(API).json()
    # then
    assert listed["count"] == 0
    assert client_b.get(f"{API}{resident.pk}/").status_code == 404
    assert client_b.get(f"{API}keluarga/{keluarga.pk}/").status_code == 404
    assert client_b.get(f"{API}keluarga/").json()["count"] == 0
    # and on A's host B's operator gets a plain 404 for everything
    on_a = Client(HTTP_HOST=host_of(villages.a))
    on_a.cookies = client_b.cookies
    for url in (API, f"{API}{resident.pk}/", f"{API}keluarga/", f"{API}referensi/"):
        r = on_a.get(url)
        assert r.status_code in (401, 403, 404), url
        assert "Warga Desa A" not in r.content.decode()
    r = on_a.patch(f"{API}{resident.pk}/update/", {"nama": "Diubah"}, content_type="application/json")
    assert r.status_code in (401, 403, 404)
    with village_context(villages.a):
        resident.refresh_from_db()
    assert resident.nama == "Warga Desa A"


def test_anonymous_gets_nothing(villages: Villages, db: None) -> None:
    r = Client(HTTP_HOST=host_of(villages.a)).get(API)
    assert r.status_code in (401, 403)
    assert r.json() == {"detail": "Silakan masuk terlebih dahulu."}


# --- OpenAPI ----------------------------------------------------------------------------------


def test_schema_and_docs_are_served_on_the_village_host(client_a: Client) -> None:
    schema = client_a.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/penduduk/", "/api/penduduk/create/", "/api/penduduk/{id}/update/", "/api/penduduk/referensi/"} <= set(
        paths
    )
    docs = client_a.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
