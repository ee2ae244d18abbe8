"""Families with exactly one head (create, add, pecah, pindah, ganti kepala), households, NIK replacement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from platform_core.tenancy.models import Village
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Keluarga, Mutasi, Penduduk, RumahTangga
from tenants.penduduk.services import (
    keluarga_add_member,
    keluarga_kepala_change,
    keluarga_pecah,
    penduduk_create,
    penduduk_nik_ganti,
    penduduk_pindah_kk,
    penduduk_update,
    rumah_tangga_add_member,
    rumah_tangga_create,
    rumah_tangga_remove_member,
    wilayah_rt_ensure,
)
from tests.tenants.penduduk.factories import (
    KeluargaFactory,
    PendudukFactory,
    keluarga_dengan,
    make_nik,
    make_no_kk,
    next_serial,
    warga,
)

H = ref.Hubungan


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def heads(keluarga: Keluarga) -> list[str]:
    return list(keluarga.anggota.filter(hubungan=H.KEPALA_KELUARGA).values_list("nama", flat=True))


# --- exactly one head ------------------------------------------------------------------------------


def test_the_database_refuses_two_heads(in_village_a: Village) -> None:
    keluarga, _, _ = keluarga_dengan()
    with pytest.raises(IntegrityError), transaction.atomic():
        PendudukFactory(keluarga=keluarga, hubungan=H.KEPALA_KELUARGA)


def test_a_family_without_a_head_takes_no_members(in_village_a: Village) -> None:
    # given a card that came in without a head (e.g. a broken import)
    tanpa_kepala = KeluargaFactory()
    # when members are added by any way in
    with pytest.raises(ValidationError) as exc:
        keluarga_add_member(keluarga=tanpa_kepala, penduduk=PendudukFactory(), hubungan=H.ANAK)
    assert "tidak punya kepala keluarga" in errors_of(exc)["hubungan"][0]
    with pytest.raises(ValidationError):
        penduduk_create(**warga(nama="Anak"), keluarga=tanpa_kepala)
    # then none is added; as head it is accepted
    assert tanpa_kepala.anggota.count() == 0
    keluarga_add_member(keluarga=tanpa_kepala, penduduk=PendudukFactory(nama="Kepala Baru"), hubungan=H.KEPALA_KELUARGA)
    assert heads(tanpa_kepala) == ["Kepala Baru"]


def test_a_second_head_is_refused_by_pindah_kk_and_update(in_village_a: Village) -> None:
    keluarga, _, (anak,) = keluarga_dengan(kepala="Kepala Satu", anggota=[("Anak", H.ANAK)])
    _, _lain, (menantu,) = keluarga_dengan(kepala="Kepala Lain", anggota=[("Menantu", H.MENANTU)])
    with pytest.raises(ValidationError) as exc:
        penduduk_pindah_kk(penduduk=menantu, keluarga_tujuan=keluarga, hubungan=H.KEPALA_KELUARGA)
    assert "Kepala Satu" in errors_of(exc)["hubungan"][0]
    with pytest.raises(ValidationError):
        penduduk_update(penduduk=anak, data={"hubungan": H.KEPALA_KELUARGA})
    assert heads(keluarga) == ["Kepala Satu"]


# --- ganti kepala ------------------------------------------------------------------------------------


def test_change_head_keeps_one_head_and_records_both_relationships(in_village_a: Village, user_a: object) -> None:
    keluarga, ayah, (anak,) = keluarga_dengan(kepala="Ayah", anggota=[("Anak", H.ANAK)])
    # when
    keluarga_kepala_change(keluarga=keluarga, kepala_baru=anak, hubungan_kepala_lama=H.ORANGTUA, petugas=user_a)  # type: ignore[arg-type]
    # then
    assert heads(keluarga) == ["Anak"]
    m = Mutasi.objects.get(penduduk=ayah, aksi=Mutasi.Aksi.GANTI_KEPALA)
    assert m.perubahan == {"hubungan": [H.KEPALA_KELUARGA, H.ORANGTUA]}
    assert m.petugas_nama == "operator_a"
    assert Mutasi.objects.get(penduduk=anak, aksi=Mutasi.Aksi.GANTI_KEPALA).perubahan == {
        "hubungan": [H.ANAK, H.KEPALA_KELUARGA]
    }


def test_change_head_refuses_a_non_member(in_village_a: Village) -> None:
    keluarga, _, _ = keluarga_dengan(kepala="Ayah")
    with pytest.raises(ValidationError) as exc:
        keluarga_kepala_change(keluarga=keluarga, kepala_baru=PendudukFactory(), hubungan_kepala_lama=H.ORANGTUA)
    assert "kepala_baru" in errors_of(exc)
    assert heads(keluarga) == ["Ayah"]


# --- pecah KK -------------------------------------------------------------------------------------------


def test_pecah_kk_moves_members_into_a_new_card_with_its_own_head(in_village_a: Village) -> None:
    rt = wilayah_rt_ensure(dusun="Dusun I", rw="1", rt="2")
    keluarga, _ayah, (anak, menantu, cucu) = keluarga_dengan(
        kepala="Ayah", anggota=[("Anak", H.ANAK), ("Menantu", H.MENANTU), ("Cucu", H.CUCU)], rt=rt
    )
    # when the married child splits off with spouse and child
    baru = keluarga_pecah(
        keluarga=keluarga, anggota=[anak, menantu, cucu], kepala=anak, no_kk_baru=make_no_kk(next_serial())
    )
    # then
    assert heads(keluarga) == ["Ayah"] and heads(baru) == ["Anak"]
    assert set(baru.anggota.values_list("nama", flat=True)) == {"Anak", "Menantu", "Cucu"}
    assert baru.rt == rt and baru.alamat == keluarga.alamat
    m = Mutasi.objects.get(penduduk=anak, aksi=Mutasi.Aksi.PECAH_KK)
    assert m.perubahan["keluarga"] == [keluarga.pk, baru.pk]
    assert m.perubahan["hubungan"] == [H.ANAK, H.KEPALA_KELUARGA]
    assert Mutasi.objects.filter(keluarga=keluarga, aksi=Mutasi.Aksi.PECAH_KK).count() == 1
    assert Mutasi.objects.filter(keluarga=baru, aksi=Mutasi.Aksi.PECAH_KK).count() == 1


def test_pecah_kk_refuses_leaving_the_old_card_without_a_head(in_village_a: Village) -> None:
    keluarga, ayah, (anak, _istri) = keluarga_dengan(kepala="Ayah", anggota=[("Anak", H.ANAK), ("Istri", H.ISTRI)])
    with pytest.raises(ValidationError) as exc:
        keluarga_pecah(keluarga=keluarga, anggota=[ayah, anak], kepala=anak, no_kk_baru=make_no_kk(next_serial()))
    assert "tanpa kepala" in errors_of(exc)["anggota"][0]
    assert Keluarga.objects.count() == 1 and heads(keluarga) == ["Ayah"]


def test_pecah_kk_refuses_bad_choices(in_village_a: Village) -> None:
    keluarga, _, (anak,) = keluarga_dengan(anggota=[("Anak", H.ANAK)])
    _, orang_lain, _ = keluarga_dengan(kepala="Orang Lain")
    for anggota, kepala, field in (
        ([anak], orang_lain, "kepala"),
        ([anak, orang_lain], anak, "anggota"),
        ([], anak, "anggota"),
    ):
        with pytest.raises(ValidationError) as exc:
            keluarga_pecah(keluarga=keluarga, anggota=anggota, kepala=kepala, no_kk_baru=make_no_kk(next_serial()))
        assert field in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        keluarga_pecah(keluarga=keluarga, anggota=[anak], kepala=anak, no_kk_baru=keluarga.no_kk)
    assert "sudah terdaftar" in errors_of(exc)["no_kk_baru"][0]
    assert Keluarga.objects.count() == 2


def test_pecah_kk_with_every_member_leaves_an_empty_card(in_village_a: Village) -> None:
    keluarga, ayah, (ibu,) = keluarga_dengan(kepala="Ayah", anggota=[("Ibu", H.ISTRI)])
    baru = keluarga_pecah(keluarga=keluarga, anggota=[ayah, ibu], kepala=ibu, no_kk_baru=make_no_kk(next_serial()))
    ayah.refresh_from_db()
    assert heads(baru) == ["Ibu"] and ayah.hubungan == H.SUAMI
    assert keluarga.anggota.count() == 0


# --- pindah KK --------------------------------------------------------------------------------------------


def test_pindah_kk_moves_a_member_and_traces_both_cards(in_village_a: Village) -> None:
    asal, _, (anak,) = keluarga_dengan(kepala="Ayah", anggota=[("Anak", H.ANAK)])
    tujuan, _, _ = keluarga_dengan(kepala="Paman")
    penduduk_pindah_kk(penduduk=anak, keluarga_tujuan=tujuan, hubungan=H.FAMILI_LAIN)
    anak.refresh_from_db()
    assert (anak.keluarga, anak.hubungan) == (tujuan, H.FAMILI_LAIN)
    assert Mutasi.objects.get(keluarga=asal, aksi=Mutasi.Aksi.PINDAH_KK).perubahan == {
        "anggota_keluar": [anak.pk, None]
    }
    assert Mutasi.objects.get(keluarga=tujuan, aksi=Mutasi.Aksi.PINDAH_KK).perubahan == {
        "anggota_masuk": [None, anak.pk]
    }


def test_the_head_of_a_family_with_members_cannot_just_leave(in_village_a: Village) -> None:
    asal, ayah, _ = keluarga_dengan(kepala="Ayah", anggota=[("Anak", H.ANAK)])
    tujuan, _, _ = keluarga_dengan(kepala="Paman")
    with pytest.raises(ValidationError) as exc:
        penduduk_pindah_kk(penduduk=ayah, keluarga_tujuan=tujuan, hubungan=H.FAMILI_LAIN)
    assert "Ganti kepala keluarga" in errors_of(exc)["penduduk"][0]
    assert heads(asal) == ["Ayah"]


# --- mutasi on writes --------------------------------------------------------------------------------------


def test_update_writes_old_and_new_values(in_village_a: Village, user_a: object) -> None:
    _, kepala, _ = keluarga_dengan(kepala="Nama Lama")
    penduduk_update(
        penduduk=kepala,
        data={"nama": "Nama Baru", "pekerjaan": ref.Pekerjaan.GURU, "telepon": "0812"},
        petugas=user_a,  # type: ignore[arg-type]
    )
    m = Mutasi.objects.filter(penduduk=kepala, aksi=Mutasi.Aksi.DIUBAH).get()
    assert m.perubahan == {
        "nama": ["Nama Lama", "Nama Baru"],
        "pekerjaan": [ref.Pekerjaan.PETANI_PEKEBUN, ref.Pekerjaan.GURU],
        "telepon": ["", "0812"],
    }
    assert (m.petugas_nama, m.petugas_id) == ("operator_a", user_a.pk)  # type: ignore[attr-defined]
    # an update that changes nothing leaves no row
    penduduk_update(penduduk=kepala, data={"nama": "Nama Baru"})
    assert Mutasi.objects.filter(penduduk=kepala, aksi=Mutasi.Aksi.DIUBAH).count() == 1


def test_create_writes_a_dibuat_row_for_resident_and_family(in_village_a: Village) -> None:
    keluarga, kepala, (anak,) = keluarga_dengan(kepala="Kepala", anggota=[("Anak", H.ANAK)])
    dibuat = Mutasi.objects.get(penduduk=kepala, aksi=Mutasi.Aksi.DIBUAT)
    assert dibuat.perubahan["nama"] == [None, "Kepala"]
    assert dibuat.perubahan["tanggal_lahir"] == [None, "1970-03-04"]
    assert Mutasi.objects.filter(keluarga=keluarga, aksi=Mutasi.Aksi.DIBUAT).count() == 1
    assert Mutasi.objects.get(keluarga=keluarga, aksi=Mutasi.Aksi.DIUBAH).perubahan == {
        "anggota_masuk": [None, anak.pk]
    }


# --- NIK sementara -> NIK -----------------------------------------------------------------------------------


def test_temporary_nik_is_replaced_by_the_real_one(in_village_a: Village) -> None:
    born = dt.date(2001, 7, 9)
    p = penduduk_create(**warga(nama="Tanpa NIK", nik="", jenis_kelamin=ref.JenisKelamin.PEREMPUAN, tanggal_lahir=born))
    sementara = p.nik
    real = make_nik(tanggal_lahir=born, perempuan=True, serial=next_serial())
    penduduk_nik_ganti(penduduk=p, nik_baru=real)
    p.refresh_from_db()
    assert (p.nik, p.nik_sementara) == (real, False)
    m = Mutasi.objects.get(penduduk=p, aksi=Mutasi.Aksi.NIK_DIGANTI)
    assert m.perubahan == {"nik": [sementara, real], "nik_sementara": [True, False]}


def test_nik_replacement_is_checked(in_village_a: Village) -> None:
    born = dt.date(2001, 7, 9)
    p = penduduk_create(**warga(nama="Tanpa NIK", nik="", jenis_kelamin=ref.JenisKelamin.LAKI_LAKI, tanggal_lahir=born))
    holder = PendudukFactory(nama="Pemilik NIK", tanggal_lahir=born)
    for nik, expected in (
        (make_nik(tanggal_lahir=born, perempuan=True, serial=next_serial()), "Jenis kelamin"),
        (make_nik(tanggal_lahir=dt.date(2001, 7, 10), serial=next_serial()), "Tanggal lahir"),
        (holder.nik, "Pemilik NIK"),
        ("123", "16 digit"),
        ("0180117201199999", "bukan NIK sementara"),
    ):
        with pytest.raises(ValidationError) as exc:
            penduduk_nik_ganti(penduduk=p, nik_baru=nik)
        assert expected in " ".join(errors_of(exc)["nik_baru"]), nik
    with pytest.raises(ValidationError) as exc:
        penduduk_nik_ganti(penduduk=holder, nik_baru=make_nik(tanggal_lahir=born, serial=next_serial()))
    assert "bukan NIK sementara" in errors_of(exc)["nik_baru"][0]
    p.refresh_from_db()
    assert p.nik_sementara


# --- rumah tangga -------------------------------------------------------------------------------------------------


def test_household_create_add_and_remove(in_village_a: Village) -> None:
    _, kepala, (istri, anak) = keluarga_dengan(kepala="Kepala RT", anggota=[("Istri", H.ISTRI), ("Anak", H.ANAK)])
    rtm = rumah_tangga_create(no_rtm="RTM-001", kepala=kepala)
    rumah_tangga_add_member(rumah_tangga=rtm, penduduk=istri)
    rumah_tangga_add_member(rumah_tangga=rtm, penduduk=anak)
    assert rtm.anggota.count() == 3
    kepala.refresh_from_db()
    assert kepala.hubungan_rtm == ref.HubunganRumahTangga.KEPALA
    # the head leaves only last
    with pytest.raises(ValidationError):
        rumah_tangga_remove_member(penduduk=kepala)
    rumah_tangga_remove_member(penduduk=anak)
    anak.refresh_from_db()
    assert anak.rumah_tangga is None and anak.hubungan_rtm is None
    assert Mutasi.objects.filter(rumah_tangga=rtm).count() == 4  # dibuat, 2 masuk, 1 keluar
    # a member of another household, or a duplicate number, is refused
    with pytest.raises(ValidationError):
        rumah_tangga_create(no_rtm="RTM-002", kepala=istri)
    with pytest.raises(ValidationError) as exc:
        rumah_tangga_create(no_rtm="RTM-001", kepala=anak)
    assert "sudah terdaftar" in errors_of(exc)["no_rtm"][0]
    assert RumahTangga.objects.count() == 1
    assert Penduduk.objects.filter(rumah_tangga=rtm).count() == 2
