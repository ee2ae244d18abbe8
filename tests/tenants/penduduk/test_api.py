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
from tenants.penduduk.models import Keluarga, Penduduk, Rt
from tenants.penduduk.services import rumah_tangga_create, wilayah_rt_ensure
from tests.conftest import Villages, host_of, signed_in
from tests.tenants.penduduk.factories import KeluargaFactory, PendudukFactory, keluarga_dengan, make_nik, make_no_kk

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


# --- issue 3: peristiwa, families, households, territory over the API -------------------------------


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def test_peristiwa_over_the_api(client_a: Client, in_village_a: Village) -> None:
    # given a family of husband, wife and child
    keluarga, suami, (istri, _anak) = keluarga_dengan(
        kepala="Suami", anggota=[("Istri", ref.Hubungan.ISTRI), ("Anak", ref.Hubungan.ANAK)]
    )
    # when a baby is born
    r = post(
        client_a,
        f"{API}peristiwa/lahir/",
        {
            "keluarga_id": keluarga.pk,
            "bayi": {"nama": "Bayi Baru", "jenis_kelamin": 2},
            "tanggal_peristiwa": "2024-05-01",
            "tanggal_lapor": "2024-05-03",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["hubungan"]["kode"] == ref.Hubungan.ANAK and r.json()["nik_sementara"]
    # and a bad report says which field, under the nested object
    r = post(
        client_a,
        f"{API}peristiwa/lahir/",
        {
            "keluarga_id": keluarga.pk,
            "bayi": {"nama": "Bayi", "jenis_kelamin": 1, "hubungan": ref.Hubungan.ISTRI},
            "tanggal_peristiwa": "2024-05-01",
            "tanggal_lapor": "2024-04-01",
        },
    )
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"bayi", "tanggal_lapor"} and "hubungan" in r.json()["errors"]["bayi"]
    # when the husband dies without naming a new head: refused
    url = f"{API}{suami.pk}/peristiwa/mati/"
    r = post(client_a, url, {"tanggal_peristiwa": "2024-06-01", "tanggal_lapor": "2024-06-02"})
    assert r.status_code == 400 and "kepala_baru" in r.json()["errors"]
    # with the wife as new head: recorded
    r = post(
        client_a, url, {"tanggal_peristiwa": "2024-06-01", "tanggal_lapor": "2024-06-02", "kepala_baru_id": istri.pk}
    )
    assert r.status_code == 201, r.content
    assert r.json()["status_sesudahnya"] == {"kode": ref.StatusDasar.MATI, "label": "Mati"}
    detail = client_a.get(f"{API}keluarga/{keluarga.pk}/").json()
    assert detail["kepala"]["nama"] == "Istri" and detail["jumlah_anggota"] == 3
    # the history is there, per resident and per family
    assert [p["jenis"]["kode"] for p in client_a.get(f"{API}{suami.pk}/peristiwa/").json()["results"]] == [
        ref.JenisPeristiwa.MATI
    ]
    aksi = {m["aksi"] for m in client_a.get(f"{API}{suami.pk}/mutasi/").json()["results"]}
    assert {"dibuat", "peristiwa", "ganti_kepala"} <= aksi
    aksi = {m["aksi"] for m in client_a.get(f"{API}keluarga/{keluarga.pk}/mutasi/").json()["results"]}
    assert {"dibuat", "peristiwa", "ganti_kepala"} <= aksi
    # pindah keluar needs the level; a dead resident cannot move
    r = post(
        client_a,
        f"{API}{suami.pk}/peristiwa/pindah-keluar/",
        {"tanggal_peristiwa": "2024-07-01", "tanggal_lapor": "2024-07-01"},
    )
    assert r.status_code == 400 and "tingkat_pindah" in r.json()["errors"]
    r = post(
        client_a,
        f"{API}{suami.pk}/peristiwa/pindah-keluar/",
        {"tanggal_peristiwa": "2024-07-01", "tanggal_lapor": "2024-07-01", "tingkat_pindah": 2},
    )
    assert r.status_code == 400 and "meninggal" in r.json()["errors"]["jenis"][0]


def test_datang_into_a_new_family_over_the_api(client_a: Client, in_village_a: Village) -> None:
    r = post(
        client_a,
        f"{API}peristiwa/datang/",
        {
            "no_kk_baru": make_no_kk(8801),
            "alamat_asal": "Kota Metro",
            "pendatang": body(nik=make_nik(tanggal_lahir=dt.date(1980, 1, 2), serial=8801), nama="Pendatang"),
            "tanggal_peristiwa": "2024-01-10",
            "tanggal_lapor": "2024-01-11",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["keluarga"]["no_kk"] == make_no_kk(8801)
    assert r.json()["alamat_sebelumnya"] == "Kota Metro"


def test_families_over_the_api(client_a: Client, in_village_a: Village) -> None:
    keluarga, _, (anak, menantu) = keluarga_dengan(
        kepala="Ayah", anggota=[("Anak", ref.Hubungan.ANAK), ("Menantu", ref.Hubungan.MENANTU)]
    )
    # pecah KK
    r = post(
        client_a,
        f"{API}keluarga/{keluarga.pk}/pecah/",
        {"anggota_ids": [anak.pk, menantu.pk], "kepala_id": anak.pk, "no_kk_baru": make_no_kk(8802)},
    )
    assert r.status_code == 201, r.content
    baru = r.json()
    assert baru["kepala"]["nama"] == "Anak" and baru["jumlah_anggota"] == 2
    # ganti kepala of the new card
    r = post(client_a, f"{API}keluarga/{baru['id']}/kepala/", {"kepala_baru_id": menantu.pk, "hubungan_kepala_lama": 2})
    assert r.status_code == 200, r.content
    assert r.json()["kepala"]["nama"] == "Menantu"
    r = post(client_a, f"{API}keluarga/{baru['id']}/kepala/", {"kepala_baru_id": menantu.pk, "hubungan_kepala_lama": 1})
    assert r.status_code == 400
    # pindah KK back, and add a resident who has no family
    r = post(client_a, f"{API}{anak.pk}/pindah-kk/", {"keluarga_tujuan_id": keluarga.pk, "hubungan": 4})
    assert r.status_code == 200, r.content
    assert r.json()["keluarga"]["id"] == keluarga.pk
    lajang = PendudukFactory(nama="Lajang")
    r = post(client_a, f"{API}keluarga/{keluarga.pk}/anggota/", {"penduduk_id": lajang.pk, "hubungan": 9})
    assert r.status_code == 200
    assert {a["nama"] for a in r.json()["anggota"]} == {"Ayah", "Anak", "Lajang"}
    r = post(client_a, f"{API}keluarga/{keluarga.pk}/anggota/", {"penduduk_id": lajang.pk, "hubungan": 1})
    assert r.status_code == 400


def test_households_and_nik_replacement_over_the_api(client_a: Client, in_village_a: Village) -> None:
    _, kepala, (istri,) = keluarga_dengan(kepala="Kepala", anggota=[("Istri", ref.Hubungan.ISTRI)])
    r = post(client_a, f"{API}rumah-tangga/create/", {"no_rtm": "RTM-1", "kepala_id": kepala.pk})
    assert r.status_code == 201, r.content
    rtm = r.json()["id"]
    assert post(client_a, f"{API}rumah-tangga/{rtm}/anggota/", {"penduduk_id": istri.pk}).status_code == 200
    r = post(client_a, f"{API}rumah-tangga/{rtm}/keluar/", {"penduduk_id": istri.pk})
    assert [a["nama"] for a in r.json()["anggota"]] == ["Kepala"]
    assert client_a.get(f"{API}rumah-tangga/").json()["count"] == 1
    # a temporary NIK replaced by the real one
    r = client_a.post(
        f"{API}create/", body(nik="", jenis_kelamin=1, tanggal_lahir="2010-04-01"), content_type="application/json"
    )
    pk = r.json()["id"]
    real = make_nik(tanggal_lahir=dt.date(2010, 4, 1), serial=8803)
    r = post(client_a, f"{API}{pk}/nik/", {"nik_baru": real})
    assert r.status_code == 200, r.content
    assert (r.json()["nik"], r.json()["nik_sementara"]) == (real, False)
    assert post(client_a, f"{API}{pk}/nik/", {"nik_baru": real}).status_code == 400


def test_territory_over_the_api(client_a: Client, in_village_a: Village) -> None:
    dusun = post(client_a, f"{API}wilayah/dusun/create/", {"nama": "Dusun Krajan"}).json()
    rw = post(client_a, f"{API}wilayah/rw/create/", {"dusun_id": dusun["id"], "nomor": "1"}).json()
    rt = post(client_a, f"{API}wilayah/rt/create/", {"rw_id": rw["id"], "nomor": "2"}).json()
    assert (rw["nomor"], rt["nomor"]) == ("001", "002")
    r = client_a.patch(f"{API}wilayah/dusun/{dusun['id']}/update/", {"nama": "Krajan"}, content_type="application/json")
    assert r.json()["nama"] == "Krajan"
    assert post(client_a, f"{API}wilayah/dusun/create/", {"nama": "krajan"}).status_code == 400
    tree = client_a.get(f"{API}wilayah/").json()
    assert tree == [
        {"id": dusun["id"], "nama": "Krajan", "rw": [{**rw, "rt": [rt]}]},
    ]
    # a resident in that RT keeps it from being deleted
    p = client_a.post(f"{API}create/", body(rt_id=rt["id"]), content_type="application/json").json()
    assert p["wilayah"] == {
        "rt_id": rt["id"],
        "rt": "002",
        "rw_id": rw["id"],
        "rw": "001",
        "dusun_id": dusun["id"],
        "dusun": "Krajan",
    }
    assert client_a.get(API, {"rt": rt["id"]}).json()["count"] == 1
    assert client_a.get(API, {"dusun": dusun["id"]}).json()["count"] == 1
    r = client_a.delete(f"{API}wilayah/rt/{rt['id']}/delete/")
    assert r.status_code == 400 and "1 penduduk" in r.json()["errors"]["wilayah"][0]
    empty = post(client_a, f"{API}wilayah/rt/create/", {"rw_id": rw["id"], "nomor": "3"}).json()
    assert client_a.delete(f"{API}wilayah/rt/{empty['id']}/delete/").status_code == 204


def test_list_filters_by_age_and_finds_typos(client_a: Client, in_village_a: Village) -> None:
    keluarga_dengan(kepala="Ahmad Dahlan")  # born 1970
    PendudukFactory(nama="Muda Sekali", tanggal_lahir=dt.date.today().replace(year=dt.date.today().year - 20))
    assert [p["nama"] for p in client_a.get(API, {"q": "Ahmd"}).json()["results"]] == ["Ahmad Dahlan"]
    assert [p["nama"] for p in client_a.get(API, {"umur_min": 18, "umur_max": 30}).json()["results"]] == ["Muda Sekali"]
    assert client_a.get(API, {"umur_min": -1}).status_code == 400


def test_village_b_sees_none_of_the_new_resources_of_a(
    client_a: Client, villages: Villages, in_village_a: Village
) -> None:
    rt = wilayah_rt_ensure(dusun="Dusun A", rw="1", rt="1")
    assert rt is not None
    keluarga, kepala, _ = keluarga_dengan(kepala="Rahasia Desa A", rt=rt)
    rtm = rumah_tangga_create(no_rtm="A-1", kepala=kepala)
    client_b = signed_in("operator_b", host_of(villages.b))
    for url in (
        f"{API}{kepala.pk}/mutasi/",
        f"{API}{kepala.pk}/peristiwa/",
        f"{API}{kepala.pk}/akses/",
        f"{API}keluarga/{keluarga.pk}/mutasi/",
        f"{API}rumah-tangga/{rtm.pk}/",
    ):
        assert client_b.get(url).status_code == 404, url
    assert client_b.get(f"{API}wilayah/").json() == []
    assert client_b.get(f"{API}rumah-tangga/").json()["count"] == 0
    r = post(
        client_b,
        f"{API}{kepala.pk}/peristiwa/mati/",
        {"tanggal_peristiwa": "2024-01-01", "tanggal_lapor": "2024-01-01"},
    )
    assert r.status_code == 404
    assert client_b.delete(f"{API}wilayah/rt/{rt.pk}/delete/").status_code == 404
    with village_context(villages.a):
        kepala.refresh_from_db()
        assert kepala.status_dasar == ref.StatusDasar.HIDUP
        assert Rt.objects.filter(pk=rt.pk).exists()
