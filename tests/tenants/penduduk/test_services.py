"""Services of the population register, run inside village A's schema (test transaction)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from platform_core.tenancy.models import Village
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Keluarga, Penduduk
from tenants.penduduk.selectors import penduduk_list
from tenants.penduduk.services import (
    keluarga_add_member,
    keluarga_create,
    keluarga_kepala_change,
    nik_sementara_allocate,
    penduduk_create,
    penduduk_update,
    wilayah_rt_ensure,
)
from tests.tenants.penduduk.factories import (
    PendudukFactory,
    keluarga_dengan,
    make_nik,
    make_no_kk,
    penduduk_fields,
)


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- penduduk_create ---------------------------------------------------------------


def test_create_takes_sex_and_birth_date_from_the_nik(in_village_a: Village) -> None:
    # given a NIK of a woman born 3 Aug 1992, with sex and birth date left out
    fields = penduduk_fields(nama="Siti Aminah", born=dt.date(1992, 8, 3), perempuan=True)
    # when
    p = penduduk_create(**fields)
    # then
    p.refresh_from_db()
    assert p.jenis_kelamin == ref.JenisKelamin.PEREMPUAN
    assert p.tanggal_lahir == dt.date(1992, 8, 3)
    assert not p.nik_sementara


def test_create_without_nik_allocates_the_next_temporary_nik(in_village_a: Village) -> None:
    # given a resident with a temporary NIK already
    born = {"jenis_kelamin": ref.JenisKelamin.LAKI_LAKI, "tanggal_lahir": dt.date(2001, 1, 1)}
    first = penduduk_create(**penduduk_fields(nik="", **born), kode_desa=in_village_a.kode)
    # when another one without NIK is added
    second = penduduk_create(**penduduk_fields(nik="", nama="Andi", **born), kode_desa=in_village_a.kode)
    # then numbers follow on, from this village's code
    assert first.nik == "0180117201100001" and first.nik_sementara
    assert second.nik == "0180117201100002" and second.nik_sementara
    assert nik_sementara_allocate(kode_desa=in_village_a.kode) == "0180117201100003"


def test_temporary_nik_needs_sex_and_birth_date(in_village_a: Village) -> None:
    with pytest.raises(ValidationError) as exc:
        penduduk_create(**penduduk_fields(nik=""), kode_desa=in_village_a.kode)
    assert set(errors_of(exc)) == {"jenis_kelamin", "tanggal_lahir"}
    assert Penduduk.objects.count() == 0


@pytest.mark.parametrize("nik", ["180117120585000", "1801173202850001", "1899171205850001", "1801171205850000"])
def test_invalid_nik_saves_nothing(in_village_a: Village, nik: str) -> None:
    with pytest.raises(ValidationError) as exc:
        penduduk_create(**penduduk_fields(nik=nik))
    assert "nik" in errors_of(exc)
    assert Penduduk.objects.count() == 0


def test_sex_must_agree_with_the_nik(in_village_a: Village) -> None:
    # given a man's NIK, when the operator says "perempuan"
    with pytest.raises(ValidationError) as exc:
        penduduk_create(**penduduk_fields(jenis_kelamin=ref.JenisKelamin.PEREMPUAN))
    # then
    message = errors_of(exc)["jenis_kelamin"][0]
    assert "tidak sesuai dengan NIK" in message and "laki-laki" in message
    assert Penduduk.objects.count() == 0


def test_explicit_birth_date_must_agree_with_the_nik(in_village_a: Village) -> None:
    with pytest.raises(ValidationError) as exc:
        penduduk_create(**penduduk_fields(tanggal_lahir=dt.date(1985, 5, 13)))
    assert "tidak sesuai dengan NIK" in errors_of(exc)["tanggal_lahir"][0]
    assert Penduduk.objects.count() == 0


def test_birth_date_in_another_century_agrees_with_the_nik(in_village_a: Village) -> None:
    # a NIK has two year digits: 1925 and 2025 both read "25"
    p = penduduk_create(**penduduk_fields(born=dt.date(1925, 3, 1), tanggal_lahir=dt.date(1925, 3, 1)))
    assert p.tanggal_lahir == dt.date(1925, 3, 1)


def test_duplicate_nik_names_the_holder(in_village_a: Village) -> None:
    # given
    holder = PendudukFactory(nama="Sri Wahyuni", perempuan=True)
    # when
    with pytest.raises(ValidationError) as exc:
        penduduk_create(**penduduk_fields(nik=holder.nik, nama="Orang Lain"))
    # then
    assert "Sri Wahyuni" in errors_of(exc)["nik"][0]
    assert Penduduk.objects.count() == 1


def test_unknown_code_is_refused(in_village_a: Village) -> None:
    with pytest.raises(ValidationError) as exc:
        penduduk_create(**penduduk_fields(agama=99))
    assert "agama" in errors_of(exc)
    assert Penduduk.objects.count() == 0


# --- keluarga ----------------------------------------------------------------------


def test_keluarga_create_with_a_new_head(in_village_a: Village) -> None:
    # when
    keluarga = keluarga_create(no_kk=make_no_kk(1), kepala=penduduk_fields(hubungan=ref.Hubungan.ANAK))
    # then the head is Kepala Keluarga whatever was sent
    head = keluarga.anggota.get()
    assert head.hubungan == ref.Hubungan.KEPALA_KELUARGA
    assert head.nama == "Budi Santoso"


def test_keluarga_create_with_a_bad_head_saves_nothing(in_village_a: Village) -> None:
    with pytest.raises(ValidationError) as exc:
        keluarga_create(no_kk=make_no_kk(1), kepala=penduduk_fields(nik="1801173202850001"))
    assert "kepala.nik" in errors_of(exc)
    assert Keluarga.objects.count() == 0
    assert Penduduk.objects.count() == 0


def test_keluarga_create_with_an_existing_resident(in_village_a: Village) -> None:
    resident = PendudukFactory(hubungan=ref.Hubungan.LAINNYA)
    keluarga = keluarga_create(no_kk=make_no_kk(2), kepala=resident)
    resident.refresh_from_db()
    assert resident.keluarga == keluarga
    assert resident.hubungan == ref.Hubungan.KEPALA_KELUARGA


def test_duplicate_or_bad_no_kk(in_village_a: Village) -> None:
    keluarga_create(no_kk=make_no_kk(3), kepala=penduduk_fields())
    with pytest.raises(ValidationError) as exc:
        keluarga_create(no_kk=make_no_kk(3), kepala=PendudukFactory())
    assert "Budi Santoso" in errors_of(exc)["no_kk"][0]
    with pytest.raises(ValidationError) as exc:
        keluarga_create(no_kk="1234", kepala=PendudukFactory())
    assert "16 digit" in errors_of(exc)["no_kk"][0]
    assert Keluarga.objects.count() == 1


def test_a_second_head_is_refused(in_village_a: Village) -> None:
    # given a family with its head
    keluarga = keluarga_create(no_kk=make_no_kk(4), kepala=penduduk_fields(nama="Kepala Pertama"))
    # when a second head is added, by either way in
    with pytest.raises(ValidationError) as exc:
        keluarga_add_member(keluarga=keluarga, penduduk=PendudukFactory(), hubungan=ref.Hubungan.KEPALA_KELUARGA)
    assert "Kepala Pertama" in errors_of(exc)["hubungan"][0]
    with pytest.raises(ValidationError) as exc:
        penduduk_create(**penduduk_fields(serial=2), keluarga=keluarga)
    assert "sudah punya kepala keluarga" in errors_of(exc)["hubungan"][0]
    # then
    assert keluarga.anggota.count() == 1


def test_add_member_and_change_head(in_village_a: Village) -> None:
    # given
    keluarga = keluarga_create(no_kk=make_no_kk(5), kepala=penduduk_fields(nama="Ayah"))
    anak = keluarga_add_member(keluarga=keluarga, penduduk=PendudukFactory(nama="Anak"), hubungan=ref.Hubungan.ANAK)
    # when the child becomes head and the father "Orangtua"
    keluarga_kepala_change(keluarga=keluarga, kepala_baru=anak, hubungan_kepala_lama=ref.Hubungan.ORANGTUA)
    # then still exactly one head
    heads = list(keluarga.anggota.filter(hubungan=ref.Hubungan.KEPALA_KELUARGA).values_list("nama", flat=True))
    assert heads == ["Anak"]


# --- penduduk_update -----------------------------------------------------------------


def test_update_to_a_new_nik_takes_birth_date_from_it(in_village_a: Village) -> None:
    # given a resident with a temporary NIK
    p = penduduk_create(
        **penduduk_fields(nik="", jenis_kelamin=ref.JenisKelamin.PEREMPUAN, tanggal_lahir=dt.date(2000, 1, 1)),
        kode_desa=in_village_a.kode,
    )
    # when Dukcapil issues the real NIK
    real = make_nik(tanggal_lahir=dt.date(2000, 2, 2), perempuan=True, serial=7)
    penduduk_update(penduduk=p, data={"nik": real})
    # then
    p.refresh_from_db()
    assert (p.nik, p.nik_sementara, p.tanggal_lahir) == (real, False, dt.date(2000, 2, 2))


def test_update_with_bad_input_changes_nothing(in_village_a: Village) -> None:
    # given
    PendudukFactory(nama="Pemegang NIK", nik=make_nik(tanggal_lahir=dt.date(1990, 6, 5), serial=99))
    p = PendudukFactory(nama="Sebelum")
    # when the new NIK is taken, in the same request as a name change
    with pytest.raises(ValidationError) as exc:
        penduduk_update(
            penduduk=p, data={"nama": "Sesudah", "nik": make_nik(tanggal_lahir=dt.date(1990, 6, 5), serial=99)}
        )
    # then
    assert "Pemegang NIK" in errors_of(exc)["nik"][0]
    p.refresh_from_db()
    assert p.nama == "Sebelum"


def test_update_sex_against_the_nik_is_refused(in_village_a: Village) -> None:
    p = PendudukFactory()
    with pytest.raises(ValidationError) as exc:
        penduduk_update(penduduk=p, data={"jenis_kelamin": ref.JenisKelamin.PEREMPUAN})
    assert "jenis_kelamin" in errors_of(exc)


def test_update_of_other_fields_works_on_an_imported_record_that_disagrees_with_its_nik(in_village_a: Village) -> None:
    # given a record whose stored birth date disagrees with its NIK (as imports bring them)
    p = PendudukFactory(tanggal_lahir=dt.date(1990, 6, 5))
    Penduduk.objects.filter(pk=p.pk).update(tanggal_lahir=dt.date(1991, 1, 1))
    p.refresh_from_db()
    # when
    penduduk_update(penduduk=p, data={"pekerjaan": ref.Pekerjaan.GURU})
    # then
    p.refresh_from_db()
    assert p.pekerjaan == ref.Pekerjaan.GURU


def test_the_head_cannot_be_demoted_by_update(in_village_a: Village) -> None:
    keluarga = keluarga_create(no_kk=make_no_kk(6), kepala=penduduk_fields())
    head = keluarga.anggota.get()
    with pytest.raises(ValidationError) as exc:
        penduduk_update(penduduk=head, data={"hubungan": ref.Hubungan.SUAMI})
    assert "kepala keluarga" in errors_of(exc)["hubungan"][0]
    head.refresh_from_db()
    assert head.hubungan == ref.Hubungan.KEPALA_KELUARGA


# --- search and filters (penduduk_list) --------------------------------------------------------------


def names(qs: object) -> list[str]:
    return [p.nama for p in qs]  # type: ignore[attr-defined]


def test_search_by_part_of_the_name_nik_prefix_and_no_kk_prefix(in_village_a: Village) -> None:
    # given
    keluarga, _, _ = keluarga_dengan(kepala="Ahmad Dahlan", anggota=[("Siti Aminah", ref.Hubungan.ISTRI)])
    other = PendudukFactory(nama="Made Wirawan", nik=make_nik(tanggal_lahir=dt.date(1990, 6, 5), serial=4321))
    # then
    assert names(penduduk_list(q="amin")) == ["Siti Aminah"]
    assert names(penduduk_list(q="AHMAD d")) == ["Ahmad Dahlan"]
    assert names(penduduk_list(q=other.nik[:12])) == ["Made Wirawan"]
    assert names(penduduk_list(q=f"{keluarga.no_kk[:8]} {keluarga.no_kk[8:]}")) == ["Ahmad Dahlan", "Siti Aminah"]
    assert names(penduduk_list(q="50%")) == []  # LIKE wildcards are literal


def test_a_typo_still_finds_the_name(in_village_a: Village) -> None:
    keluarga_dengan(kepala="Ahmad Dahlan", anggota=[("Budi Santoso", ref.Hubungan.ANAK)])
    PendudukFactory(nama="Wayan Sudirta")
    assert names(penduduk_list(q="Ahmd")) == ["Ahmad Dahlan"]
    assert names(penduduk_list(q="santosa"))[0] == "Budi Santoso"
    assert names(penduduk_list(q="zzzqqq")) == []


def test_name_search_uses_the_trigram_index(in_village_a: Village) -> None:
    from django.db import connection

    sql, params = penduduk_list(q="amin").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "penduduk_nama_trgm" in plan, plan


def test_filters_by_territory_sex_and_age(in_village_a: Village) -> None:
    # given two RTs of two dusun, and people of known ages
    rt1 = wilayah_rt_ensure(dusun="Dusun I", rw="1", rt="1")
    rt2 = wilayah_rt_ensure(dusun="Dusun II", rw="1", rt="1")
    assert rt1 is not None and rt2 is not None
    today = dt.date.today()
    born_17 = today.replace(year=today.year - 17)  # 17 today
    born_18_tomorrow = today.replace(year=today.year - 18) + dt.timedelta(days=1)  # 17, turning 18 tomorrow
    keluarga_dengan(kepala="Tua Dusun Satu", rt=rt1)
    PendudukFactory(nama="Remaja", tanggal_lahir=born_17, rt=rt1, perempuan=True)
    PendudukFactory(nama="Hampir Dewasa", tanggal_lahir=born_18_tomorrow, rt=rt2)
    PendudukFactory(nama="Tanpa RT")
    # then
    assert names(penduduk_list(rt=rt1.pk)) == ["Remaja", "Tua Dusun Satu"]
    assert names(penduduk_list(rw=rt2.rw_id)) == ["Hampir Dewasa"]
    assert names(penduduk_list(dusun=rt1.rw.dusun_id, jenis_kelamin=ref.JenisKelamin.PEREMPUAN)) == ["Remaja"]
    assert names(penduduk_list(umur_min=17, umur_max=17)) == ["Hampir Dewasa", "Remaja"]
    assert names(penduduk_list(umur_min=18, umur_max=60)) == ["Tanpa RT", "Tua Dusun Satu"]
    assert names(penduduk_list(umur_max=16)) == []
    assert names(penduduk_list(status_dasar=ref.StatusDasar.HIDUP, agama=ref.Agama.ISLAM, q="tua")) == [
        "Tua Dusun Satu"
    ]
