"""Operator pages of the population register, through Django's test Client on village A's host.

Data is made with the real services inside village A's schema (the test transaction); pages are
read and forms posted as A's operator. Forms write through the services: bad input comes back as
Indonesian messages on the form and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import village_context
from tenants.penduduk import reference as ref
from tenants.penduduk import services
from tenants.penduduk.models import AksesLog, Dusun, Keluarga, Mutasi, Penduduk, Peristiwa, Rt, RumahTangga, Rw
from tests.conftest import Villages, host_of, signed_in
from tests.tenants.penduduk.factories import make_nik, make_no_kk, penduduk_fields

BASE = "/operator/penduduk/"
_serials = itertools.count(7000)


def fields(*, nama: str, born: dt.date = dt.date(1990, 6, 5), perempuan: bool = False, **kw: Any) -> dict[str, Any]:
    return penduduk_fields(nama=nama, born=born, perempuan=perempuan, serial=next(_serials), **kw)


def keluarga(
    *, kepala: str = "Kepala Keluarga", anggota: tuple[str, ...] = (), rt: Rt | None = None
) -> tuple[Keluarga, Penduduk, list[Penduduk]]:
    k = services.keluarga_create(
        no_kk=make_no_kk(next(_serials)), kepala=fields(nama=kepala, born=dt.date(1970, 3, 4)), rt=rt
    )
    head = Penduduk.objects.get(keluarga=k)
    members = [
        services.penduduk_create(**fields(nama=nama, hubungan=ref.Hubungan.ANAK), keluarga=k) for nama in anggota
    ]
    return k, head, members


def rt_path(dusun: str = "Dusun Satu", rw: str = "001", rt: str = "001") -> Rt:
    found = services.wilayah_rt_ensure(dusun=dusun, rw=rw, rt=rt)
    assert found is not None
    return found


def form_data(**overrides: Any) -> dict[str, Any]:
    """A valid create-form POST: a man born 12-05-1985 with a NIK that says so."""
    data: dict[str, Any] = {
        "nik": make_nik(tanggal_lahir=dt.date(1985, 5, 12), serial=next(_serials)),
        "nama": "Budi Santoso",
        "hubungan": ref.Hubungan.ANAK,
        "jenis_kelamin": ref.JenisKelamin.LAKI_LAKI,
        "tanggal_lahir": "1985-05-12",
        "agama": ref.Agama.ISLAM,
        "pendidikan_kk": ref.PendidikanKK.SLTA_SEDERAJAT,
        "pekerjaan": ref.Pekerjaan.PETANI_PEKEBUN,
        "status_kawin": ref.StatusKawin.KAWIN,
        "warganegara": ref.Warganegara.WNI,
        "golongan_darah": ref.GolonganDarah.TIDAK_TAHU,
        "cacat": ref.Cacat.TIDAK_CACAT,
        "ktp_el": ref.KtpEl.BELUM,
        "asuransi": ref.Asuransi.TIDAK_BELUM_PUNYA,
        "status_penduduk": ref.StatusPenduduk.TETAP,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def text(response: Any) -> str:
    return str(response.content.decode())


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(ctx.captured_queries)


# --- every page renders ------------------------------------------------------------------


def test_every_page_renders_for_the_operator(client_a: Client, in_village_a: Village) -> None:
    # given a family in an RT, a household, and a resident with a temporary NIK
    rt = rt_path()
    k, head, (anak,) = keluarga(anggota=("Anak Satu",), rt=rt)
    rtm = services.rumah_tangga_create(no_rtm="RTM-001", kepala=head)
    tanpa_nik = services.penduduk_create(
        **{**fields(nama="Tanpa Nik"), "nik": ""}, jenis_kelamin=1, tanggal_lahir=dt.date(2000, 1, 2)
    )
    pages = [
        BASE,
        f"{BASE}?q=Kepala",
        f"{BASE}tambah/",
        f"{BASE}datang/",
        f"{BASE}{head.pk}/",
        f"{BASE}{head.pk}/ubah/",
        f"{BASE}{head.pk}/peristiwa/",
        f"{BASE}{head.pk}/peristiwa/?jenis=3",
        f"{BASE}{tanpa_nik.pk}/ganti-nik/",
        f"{BASE}{tanpa_nik.pk}/peristiwa/",  # no family: no choice of a new head
        f"{BASE}{anak.pk}/pindah-kk/",
        f"{BASE}keluarga/",
        f"{BASE}keluarga/?q=Kepala",
        f"{BASE}keluarga/tambah/",
        f"{BASE}keluarga/{k.pk}/",
        f"{BASE}keluarga/{k.pk}/lahir/",
        f"{BASE}keluarga/{k.pk}/ganti-kepala/",
        f"{BASE}keluarga/{k.pk}/pecah/",
        f"{BASE}keluarga/{k.pk}/anggota/",
        f"{BASE}rumah-tangga/",
        f"{BASE}rumah-tangga/tambah/",
        f"{BASE}rumah-tangga/{rtm.pk}/",
        f"{BASE}wilayah/",
    ]
    for url in pages:
        # when / then
        response = client_a.get(url)
        assert response.status_code == 200, url
        assert "<script>" not in text(response), url  # CSP: no inline scripts
    detail = text(client_a.get(f"{BASE}{head.pk}/"))
    assert head.nik in detail and k.no_kk in detail and "Anak Satu" in detail and "RTM-001" in detail
    assert "Dusun Satu" in detail


def test_operator_nav_links_to_the_register_pages(client_a: Client, villages: Villages) -> None:
    html = text(client_a.get("/operator/"))
    for href in (BASE, f"{BASE}keluarga/", f"{BASE}rumah-tangga/", f"{BASE}wilayah/"):
        assert f'href="{href}"' in html, href


# --- list: search, filters, flags, query count -----------------------------------------------


def test_list_searches_and_filters(client_a: Client, in_village_a: Village) -> None:
    # given residents of different sex, age and RT
    rt1, rt2 = rt_path(rt="001"), rt_path(rt="002")
    k, head, _ = keluarga(kepala="Ahmad Fauzi", rt=rt1)
    services.penduduk_create(
        **fields(nama="Siti Rahmawati", perempuan=True, born=dt.date(2015, 2, 3)), rt=rt2, perlu_diperiksa=True
    )
    # when / then: name part, typo, NIK prefix, No. KK
    assert "Ahmad Fauzi" in text(client_a.get(BASE, {"q": "fauz"}))
    assert "Ahmad Fauzi" in text(client_a.get(BASE, {"q": "Ahmd"}))  # typo-tolerant
    assert "Ahmad Fauzi" in text(client_a.get(BASE, {"q": head.nik[:10]}))
    assert "Ahmad Fauzi" in text(client_a.get(BASE, {"q": k.no_kk}))
    # filters
    women = text(client_a.get(BASE, {"jenis_kelamin": ref.JenisKelamin.PEREMPUAN}))
    assert "Siti Rahmawati" in women and "Ahmad Fauzi" not in women
    children = text(client_a.get(BASE, {"umur_min": 0, "umur_max": 17}))
    assert "Siti Rahmawati" in children and "Ahmad Fauzi" not in children
    in_rt1 = text(client_a.get(BASE, {"wilayah": f"rt-{rt1.pk}"}))
    assert "Ahmad Fauzi" in in_rt1 and "Siti Rahmawati" not in in_rt1
    in_dusun = text(client_a.get(BASE, {"wilayah": f"dusun-{rt1.rw.dusun_id}"}))
    assert "Ahmad Fauzi" in in_dusun and "Siti Rahmawati" in in_dusun
    # flagged residents are marked
    assert "Perlu diperiksa" in text(client_a.get(BASE, {"q": "Siti"}))
    # nothing matches: a clear Indonesian message
    assert "Tidak ada penduduk yang cocok" in text(client_a.get(BASE, {"q": "Zzyzx Qwrtp"}))


def test_list_bad_filter_values_do_not_crash(client_a: Client, villages: Villages) -> None:
    r = client_a.get(BASE, {"umur_min": "abc", "jenis_kelamin": "9", "wilayah": "rt-x", "page": "999"})
    assert r.status_code == 200


def test_list_pages_run_a_constant_number_of_queries(client_a: Client, in_village_a: Village) -> None:
    # given one family with a household in an RT, then six more
    def add_family(n: int) -> None:
        rt = rt_path(rt=f"{n % 3 + 1:03d}")
        _, head, _ = keluarga(anggota=("Anak A", "Anak B"), rt=rt)
        services.rumah_tangga_create(no_rtm=f"RTM-{n:03d}", kepala=head)

    add_family(0)
    urls = [BASE, f"{BASE}?q=Anak", f"{BASE}keluarga/", f"{BASE}keluarga/?q=Kepala", f"{BASE}rumah-tangga/"]
    few = [queries(client_a, url) for url in urls]
    for n in range(1, 7):
        add_family(n)
    # when / then
    assert [queries(client_a, url) for url in urls] == few


# --- detail: the access log ------------------------------------------------------------------


def test_detail_writes_exactly_one_access_log_row_per_view(client_a: Client, in_village_a: Village) -> None:
    # given
    _, head, _ = keluarga(kepala="Dibaca Petugas")
    assert AksesLog.objects.filter(penduduk=head).count() == 0
    # when the operator opens the full record twice
    first = client_a.get(f"{BASE}{head.pk}/")
    client_a.get(f"{BASE}{head.pk}/")
    # then two rows, by the operator, via the web, shown on the page
    logs = list(AksesLog.objects.filter(penduduk=head))
    assert len(logs) == 2
    assert {(log.petugas_nama, log.jalur) for log in logs} == {("operator_a", "web")}
    assert "Riwayat akses data" in text(first) and "operator_a" in text(first)
    # other pages (list, forms) log nothing
    client_a.get(BASE)
    client_a.get(f"{BASE}{head.pk}/ubah/")
    assert AksesLog.objects.filter(penduduk=head).count() == 2


def test_unknown_ids_are_404(client_a: Client, villages: Villages) -> None:
    for url in (f"{BASE}999999/", f"{BASE}keluarga/999999/", f"{BASE}rumah-tangga/999999/", f"{BASE}999999/ubah/"):
        assert client_a.get(url).status_code == 404, url


# --- create / update -------------------------------------------------------------------------


def test_create_form_adds_a_resident_into_an_existing_kk(client_a: Client, in_village_a: Village) -> None:
    # given
    k, _, _ = keluarga()
    rt = rt_path()
    # when
    r = client_a.post(f"{BASE}tambah/", form_data(nama="Budi Baru", no_kk=k.no_kk, rt=rt.pk))
    # then
    p = Penduduk.objects.get(nama="Budi Baru")
    assert r.status_code == 302 and r.headers["Location"] == f"{BASE}{p.pk}/"
    assert p.keluarga == k and p.rt == rt and p.hubungan == ref.Hubungan.ANAK
    assert Mutasi.objects.filter(penduduk=p, aksi=Mutasi.Aksi.DIBUAT).exists()
    assert "ditambahkan" in text(client_a.get(r.headers["Location"]))


def test_create_form_with_a_new_no_kk_makes_the_resident_its_head(client_a: Client, in_village_a: Village) -> None:
    no_kk = make_no_kk(next(_serials))
    r = client_a.post(f"{BASE}tambah/", form_data(nama="Kepala Baru", no_kk=no_kk))
    assert r.status_code == 302
    p = Penduduk.objects.get(nama="Kepala Baru")
    assert p.keluarga is not None and p.keluarga.no_kk == no_kk and p.hubungan == ref.Hubungan.KEPALA_KELUARGA


def test_create_form_without_nik_gives_a_temporary_nik(client_a: Client, in_village_a: Village) -> None:
    r = client_a.post(f"{BASE}tambah/", form_data(nama="Belum Punya Nik", nik=""))
    assert r.status_code == 302
    p = Penduduk.objects.get(nama="Belum Punya Nik")
    assert p.nik_sementara and p.nik.startswith("0")
    assert "NIK sementara" in text(client_a.get(f"{BASE}{p.pk}/"))


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({"nik": "180117120585000"}, "nik", "16 digit"),
        ({"nama": ""}, "nama", "wajib diisi"),
        ({"agama": "99"}, "agama", "Pilihan tidak dikenal"),
        ({"tanggal_lahir": "31-02-1985"}, "tanggal_lahir", "Tanggal tidak dikenal"),
        ({"jenis_kelamin": ref.JenisKelamin.PEREMPUAN}, "jenis_kelamin", "tidak sesuai dengan NIK"),
        ({"no_kk": "12345"}, "no_kk", "16 digit"),
    ],
)
def test_create_form_shows_indonesian_errors_and_saves_nothing(
    client_a: Client, in_village_a: Village, overrides: dict[str, Any], field: str, expected: str
) -> None:
    # given
    before = (Penduduk.objects.count(), Keluarga.objects.count(), Mutasi.objects.count())
    # when
    r = client_a.post(f"{BASE}tambah/", form_data(**overrides))
    # then
    assert r.status_code == 200
    assert "Data belum disimpan" in text(r)
    errors = r.context["form"].errors
    assert field in errors, errors
    assert expected in " ".join(errors[field]), errors
    assert (Penduduk.objects.count(), Keluarga.objects.count(), Mutasi.objects.count()) == before


def test_duplicate_nik_names_the_resident_who_holds_it(client_a: Client, in_village_a: Village) -> None:
    _, head, _ = keluarga(kepala="Pemegang Nik Asli")
    r = client_a.post(f"{BASE}tambah/", form_data(nik=head.nik, jenis_kelamin="", tanggal_lahir=""))
    assert r.status_code == 200
    assert "Pemegang Nik Asli" in " ".join(r.context["form"].errors["nik"])


def test_update_form_saves_changes_with_a_mutasi(client_a: Client, in_village_a: Village) -> None:
    # given
    _, head, _ = keluarga(kepala="Lama Namanya")
    page = client_a.get(f"{BASE}{head.pk}/ubah/")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data["tanggal_lahir"] = head.tanggal_lahir.isoformat()
    # when
    r = client_a.post(f"{BASE}{head.pk}/ubah/", {**data, "nama": "Baru Namanya", "pekerjaan": ref.Pekerjaan.GURU})
    # then
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    head.refresh_from_db()
    assert head.nama == "Baru Namanya" and head.pekerjaan == ref.Pekerjaan.GURU
    mutasi = Mutasi.objects.filter(penduduk=head, aksi=Mutasi.Aksi.DIUBAH).get()
    assert set(mutasi.perubahan) == {"nama", "pekerjaan"}
    assert "Guru" in text(client_a.get(f"{BASE}{head.pk}/"))


def test_update_form_refuses_demoting_the_head(client_a: Client, in_village_a: Village) -> None:
    _, head, _ = keluarga(kepala="Tetap Kepala")
    page = client_a.get(f"{BASE}{head.pk}/ubah/")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data["tanggal_lahir"] = head.tanggal_lahir.isoformat()
    r = client_a.post(f"{BASE}{head.pk}/ubah/", {**data, "hubungan": ref.Hubungan.ANAK})
    assert r.status_code == 200
    assert "kepala keluarga" in " ".join(r.context["form"].errors["hubungan"])
    head.refresh_from_db()
    assert head.hubungan == ref.Hubungan.KEPALA_KELUARGA


# --- peristiwa ----------------------------------------------------------------------------------


def test_mati_of_a_head_hands_the_family_to_the_chosen_member(client_a: Client, in_village_a: Village) -> None:
    # given a head with a living child
    _, head, (anak,) = keluarga(anggota=("Anak Penerus",))
    form = client_a.get(f"{BASE}{head.pk}/peristiwa/").context["form"]
    assert "kepala_baru" in form.fields
    post = {"jenis": ref.JenisPeristiwa.MATI, "tanggal_peristiwa": "2025-01-10", "tanggal_lapor": "2025-01-12"}
    # when the new head is missing: refused, nothing saved
    r = client_a.post(f"{BASE}{head.pk}/peristiwa/", post)
    assert r.status_code == 200 and r.context["form"].errors
    assert not Peristiwa.objects.filter(penduduk=head).exists()
    # when chosen
    r = client_a.post(f"{BASE}{head.pk}/peristiwa/", {**post, "kepala_baru": anak.pk})
    # then
    assert r.status_code == 302
    head.refresh_from_db()
    anak.refresh_from_db()
    assert head.status_dasar == ref.StatusDasar.MATI and anak.hubungan == ref.Hubungan.KEPALA_KELUARGA
    assert "Mati" in text(client_a.get(f"{BASE}{head.pk}/"))


def test_pindah_keluar_needs_a_destination_and_lapor_not_before_event(client_a: Client, in_village_a: Village) -> None:
    anak = services.penduduk_create(**fields(nama="Mau Pindah"))
    r = client_a.post(
        f"{BASE}{anak.pk}/peristiwa/",
        {"jenis": ref.JenisPeristiwa.PINDAH_KELUAR, "tanggal_peristiwa": "2025-03-10", "tanggal_lapor": "2025-03-01"},
    )
    errors = r.context["form"].errors
    assert "tingkat_pindah" in errors and "tanggal_lapor" in errors
    r = client_a.post(
        f"{BASE}{anak.pk}/peristiwa/",
        {
            "jenis": ref.JenisPeristiwa.PINDAH_KELUAR,
            "tanggal_peristiwa": "2025-03-10",
            "tanggal_lapor": "2025-03-11",
            "tingkat_pindah": ref.TingkatPindah.ANTAR_PROVINSI,
            "alamat_tujuan": "Jakarta",
        },
    )
    assert r.status_code == 302
    anak.refresh_from_db()
    assert anak.status_dasar == ref.StatusDasar.PINDAH
    # the same event twice is refused with the service's message on the form
    r = client_a.post(
        f"{BASE}{anak.pk}/peristiwa/",
        {
            "jenis": ref.JenisPeristiwa.PINDAH_KELUAR,
            "tanggal_peristiwa": "2025-03-10",
            "tanggal_lapor": "2025-03-11",
            "tingkat_pindah": ref.TingkatPindah.ANTAR_PROVINSI,
        },
    )
    assert r.status_code == 200 and "pindah" in " ".join(r.context["form"].errors["jenis"])


def test_lahir_from_the_family_page(client_a: Client, in_village_a: Village) -> None:
    k, _, _ = keluarga()
    r = client_a.post(
        f"{BASE}keluarga/{k.pk}/lahir/",
        {
            "nama": "Bayi Mungil",
            "jenis_kelamin": ref.JenisKelamin.PEREMPUAN,
            "tanggal_lahir": "2025-02-01",
            "agama": ref.Agama.ISLAM,
            "hubungan": ref.Hubungan.ANAK,
            "tanggal_lapor": "2025-02-05",
        },
    )
    assert r.status_code == 302
    bayi = Penduduk.objects.get(nama="Bayi Mungil")
    assert bayi.keluarga == k and bayi.nik_sementara
    assert Peristiwa.objects.filter(penduduk=bayi, jenis=ref.JenisPeristiwa.LAHIR).exists()


def test_datang_into_a_new_kk(client_a: Client, in_village_a: Village) -> None:
    no_kk = make_no_kk(next(_serials))
    data = form_data(
        nama="Pendatang Baru",
        no_kk=no_kk,
        tanggal_peristiwa="2025-04-01",
        tanggal_lapor="2025-04-02",
        alamat_asal="Metro",
    )
    r = client_a.post(f"{BASE}datang/", data)
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    p = Penduduk.objects.get(nama="Pendatang Baru")
    assert p.keluarga is not None and p.keluarga.no_kk == no_kk and p.hubungan == ref.Hubungan.KEPALA_KELUARGA
    assert Peristiwa.objects.filter(penduduk=p, jenis=ref.JenisPeristiwa.DATANG).exists()


def test_datang_without_dates_shows_errors_and_saves_nothing(client_a: Client, in_village_a: Village) -> None:
    before = Penduduk.objects.count()
    r = client_a.post(f"{BASE}datang/", form_data(nama="Tanpa Tanggal", no_kk=make_no_kk(next(_serials))))
    assert r.status_code == 200
    assert {"tanggal_peristiwa", "tanggal_lapor"} <= set(r.context["form"].errors)
    assert Penduduk.objects.count() == before


def test_nik_sementara_is_replaced(client_a: Client, in_village_a: Village) -> None:
    p = services.penduduk_create(
        **{**fields(nama="Nik Menyusul"), "nik": ""}, jenis_kelamin=1, tanggal_lahir=dt.date(1985, 5, 12)
    )
    bad = client_a.post(f"{BASE}{p.pk}/ganti-nik/", {"nik_baru": "123"})
    assert bad.status_code == 200 and "16 digit" in " ".join(bad.context["form"].errors["nik_baru"])
    nik = make_nik(tanggal_lahir=dt.date(1985, 5, 12), serial=next(_serials))
    assert client_a.post(f"{BASE}{p.pk}/ganti-nik/", {"nik_baru": nik}).status_code == 302
    p.refresh_from_db()
    assert p.nik == nik and not p.nik_sementara


# --- families ---------------------------------------------------------------------------------


def test_family_detail_lists_head_first_and_pecah_kk(client_a: Client, in_village_a: Village) -> None:
    # given
    k, _, (a, b) = keluarga(kepala="Bapak Kepala", anggota=("Anak Sulung", "Anak Bungsu"))
    html = text(client_a.get(f"{BASE}keluarga/{k.pk}/"))
    assert html.index("Bapak Kepala") < html.index("Anak Bungsu") < html.index("Anak Sulung")
    no_kk_baru = make_no_kk(next(_serials))
    # when the new head is not among the members who move: refused
    r = client_a.post(f"{BASE}keluarga/{k.pk}/pecah/", {"anggota": [a.pk], "kepala": b.pk, "no_kk_baru": no_kk_baru})
    assert r.status_code == 200 and "kepala" in r.context["form"].errors
    # when valid
    r = client_a.post(
        f"{BASE}keluarga/{k.pk}/pecah/", {"anggota": [a.pk, b.pk], "kepala": a.pk, "no_kk_baru": no_kk_baru}
    )
    # then
    baru = Keluarga.objects.get(no_kk=no_kk_baru)
    assert r.status_code == 302 and r.headers["Location"] == f"{BASE}keluarga/{baru.pk}/"
    a.refresh_from_db()
    assert a.keluarga == baru and a.hubungan == ref.Hubungan.KEPALA_KELUARGA


def test_ganti_kepala_and_add_member(client_a: Client, in_village_a: Village) -> None:
    k, head, (anak,) = keluarga(anggota=("Calon Kepala",))
    r = client_a.post(
        f"{BASE}keluarga/{k.pk}/ganti-kepala/",
        {"kepala_baru": anak.pk, "hubungan_kepala_lama": ref.Hubungan.ORANGTUA},
    )
    assert r.status_code == 302
    head.refresh_from_db()
    anak.refresh_from_db()
    assert anak.hubungan == ref.Hubungan.KEPALA_KELUARGA and head.hubungan == ref.Hubungan.ORANGTUA
    # add a resident without a family, by NIK
    lajang = services.penduduk_create(**fields(nama="Belum Ber KK"))
    r = client_a.post(f"{BASE}keluarga/{k.pk}/anggota/", {"nik": lajang.nik, "hubungan": ref.Hubungan.FAMILI_LAIN})
    assert r.status_code == 302
    lajang.refresh_from_db()
    assert lajang.keluarga == k
    # a second time: the service refuses, the message lands on the NIK field
    r = client_a.post(f"{BASE}keluarga/{k.pk}/anggota/", {"nik": lajang.nik, "hubungan": ref.Hubungan.FAMILI_LAIN})
    assert r.status_code == 200 and "nik" in r.context["form"].errors
    # an unknown NIK
    r = client_a.post(f"{BASE}keluarga/{k.pk}/anggota/", {"nik": "1801170101900001", "hubungan": 4})
    assert "Tidak ada penduduk" in " ".join(r.context["form"].errors["nik"])


def test_pindah_kk(client_a: Client, in_village_a: Village) -> None:
    _, _, (anak,) = keluarga(anggota=("Pindah Ikut Mertua",))
    tujuan, _, _ = keluarga(kepala="Mertua")
    r = client_a.post(f"{BASE}{anak.pk}/pindah-kk/", {"no_kk": tujuan.no_kk, "hubungan": ref.Hubungan.MENANTU})
    assert r.status_code == 302
    anak.refresh_from_db()
    assert anak.keluarga == tujuan and anak.hubungan == ref.Hubungan.MENANTU
    r = client_a.post(f"{BASE}{anak.pk}/pindah-kk/", {"no_kk": "1801170101209999", "hubungan": 4})
    assert "tidak terdaftar" in " ".join(r.context["form"].errors["no_kk"])


# --- households and territory -------------------------------------------------------------------


def test_rumah_tangga_create_add_and_remove(client_a: Client, in_village_a: Village) -> None:
    _, head, (anak,) = keluarga(anggota=("Anggota Rumah",))
    r = client_a.post(f"{BASE}rumah-tangga/tambah/", {"no_rtm": "RTM-900", "nik_kepala": head.nik})
    rtm = RumahTangga.objects.get(no_rtm="RTM-900")
    assert r.status_code == 302 and r.headers["Location"] == f"{BASE}rumah-tangga/{rtm.pk}/"
    assert client_a.post(f"{BASE}rumah-tangga/{rtm.pk}/", {"nik": anak.nik}).status_code == 302
    anak.refresh_from_db()
    assert anak.rumah_tangga == rtm
    # the head cannot leave while members remain: the refusal is shown, nothing changes
    r = client_a.post(f"{BASE}rumah-tangga/{rtm.pk}/", {"keluarkan": head.pk}, follow=True)
    assert "masih punya anggota" in text(r)
    r = client_a.post(f"{BASE}rumah-tangga/{rtm.pk}/", {"keluarkan": anak.pk}, follow=True)
    anak.refresh_from_db()
    assert anak.rumah_tangga is None and "dikeluarkan" in text(r)
    # the same number twice is refused on the form
    r = client_a.post(f"{BASE}rumah-tangga/tambah/", {"no_rtm": "RTM-900", "nik_kepala": anak.nik})
    assert "sudah terdaftar" in " ".join(r.context["form"].errors["no_rtm"])


def test_wilayah_add_rename_delete_with_refusals(client_a: Client, in_village_a: Village) -> None:
    url = f"{BASE}wilayah/"

    def post(**data: Any) -> str:
        return text(client_a.post(url, data, follow=True))

    assert "ditambahkan" in post(aksi="dusun-tambah", nama="Dusun Mawar")
    dusun = Dusun.objects.get(nama="Dusun Mawar")
    post(aksi="rw-tambah", target=f"dusun-{dusun.pk}", nomor="1")
    rw = Rw.objects.get(dusun=dusun)
    post(aksi="rt-tambah", target=f"rw-{rw.pk}", nomor="2")
    rt = Rt.objects.get(rw=rw)
    assert (rw.nomor, rt.nomor) == ("001", "002")
    post(aksi="dusun-ubah", target=f"dusun-{dusun.pk}", nama="Dusun Melati")
    dusun.refresh_from_db()
    assert dusun.nama == "Dusun Melati"
    # an RT in use cannot be deleted: the service's message is shown
    services.penduduk_create(**fields(nama="Warga Rt Ini"), rt=rt)
    assert "masih dipakai" in post(aksi="hapus", target=f"rt-{rt.pk}")
    assert "masih punya" in post(aksi="hapus", target=f"dusun-{dusun.pk}")
    assert Rt.objects.filter(pk=rt.pk).exists()
    # a blank name is refused by the form
    assert "wajib diisi" in post(aksi="dusun-tambah", nama="  ")
    html = text(client_a.get(url))
    assert "Dusun Melati" in html and "RT 002" in html


# --- village B ---------------------------------------------------------------------------------


def test_operator_of_b_gets_404_for_a_resident_of_a(villages: Villages, in_village_a: Village) -> None:
    # given a family of A
    k, head, _ = keluarga(kepala="Rahasia Desa A")
    client_b = signed_in("operator_b", host_of(villages.b))
    for url in (f"{BASE}{head.pk}/", f"{BASE}keluarga/{k.pk}/", f"{BASE}{head.pk}/ubah/"):
        # when B's operator asks B's site for A's ids
        r = client_b.get(url)
        # then B has no such row
        assert r.status_code == 404, url
        assert "Rahasia Desa A" not in text(r)
    # and A's operator on B's host is refused too
    client_a_on_b = signed_in("operator_a", host_of(villages.a))
    assert client_a_on_b.get(f"{BASE}{head.pk}/", HTTP_HOST=host_of(villages.b)).status_code in {302, 404}
    with village_context(villages.a):
        assert AksesLog.objects.filter(penduduk=head).count() == 0
