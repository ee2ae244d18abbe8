"""Peristiwa (lahir, datang, mati, pindah keluar, hilang, pergi): status, family and history follow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from platform_core.tenancy.models import Village
from tenants.outbox.models import OutboxEvent
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Keluarga, Mutasi, Penduduk, Peristiwa
from tenants.penduduk.services import penduduk_update, peristiwa_catat, peristiwa_datang, peristiwa_lahir
from tests.tenants.penduduk.factories import keluarga_dengan, make_no_kk, next_serial, warga

H = ref.Hubungan
S = ref.StatusDasar
J = ref.JenisPeristiwa
KEMARIN = dt.date.today() - dt.timedelta(days=1)
LALU = dt.date(2024, 2, 10)


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def catat(penduduk: Penduduk, jenis: int, **kwargs: object) -> Peristiwa:
    kwargs.setdefault("tanggal_peristiwa", LALU)
    kwargs.setdefault("tanggal_lapor", LALU + dt.timedelta(days=3))
    return peristiwa_catat(penduduk=penduduk, jenis=jenis, **kwargs)  # type: ignore[arg-type]


# --- lahir ------------------------------------------------------------------------------------------


def test_lahir_adds_a_living_child_with_a_temporary_nik(in_village_a: Village) -> None:
    # given a family
    keluarga, kepala, _ = keluarga_dengan(kepala="Ayah Bayi", anggota=[("Ibu Bayi", H.ISTRI)])
    # when a baby is born and reported two days later
    bayi = peristiwa_lahir(
        keluarga=keluarga,
        data={"nama": "Bayi Mungil", "jenis_kelamin": ref.JenisKelamin.PEREMPUAN, "nama_ibu": "Ibu Bayi"},
        tanggal_peristiwa=LALU,
        tanggal_lapor=LALU + dt.timedelta(days=2),
    )
    # then
    bayi.refresh_from_db()
    assert bayi.keluarga == keluarga and bayi.hubungan == H.ANAK
    assert bayi.status_dasar == S.HIDUP and bayi.tanggal_lahir == LALU
    assert bayi.nik_sementara and bayi.nik.startswith("01801172011")
    assert bayi.agama == kepala.agama and bayi.pekerjaan == ref.Pekerjaan.BELUM_TIDAK_BEKERJA
    peristiwa = bayi.peristiwa.get()
    assert (peristiwa.jenis, peristiwa.tanggal_lapor) == (J.LAHIR, LALU + dt.timedelta(days=2))
    assert Mutasi.objects.filter(penduduk=bayi, aksi=Mutasi.Aksi.PERISTIWA, peristiwa=peristiwa).count() == 1
    assert Mutasi.objects.filter(keluarga=keluarga, peristiwa=peristiwa).count() == 1
    assert OutboxEvent.objects.filter(topic="penduduk.lahir", payload__penduduk_id=bayi.pk).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hubungan": H.ISTRI}, "hubungan"),
        ({"hubungan": H.KEPALA_KELUARGA}, "hubungan"),
        ({"tanggal_peristiwa": dt.date.today() + dt.timedelta(days=1)}, "tanggal_peristiwa"),
        ({"tanggal_lapor": LALU - dt.timedelta(days=1)}, "tanggal_lapor"),
        ({"tanggal_lahir": LALU - dt.timedelta(days=5)}, "tanggal_lahir"),
    ],
)
def test_lahir_refuses_impossible_input_and_writes_nothing(
    in_village_a: Village, changes: dict[str, object], field: str
) -> None:
    # given
    keluarga, _, _ = keluarga_dengan()
    before = (Penduduk.objects.count(), Mutasi.objects.count(), OutboxEvent.objects.count())
    data: dict[str, object] = {"nama": "Bayi", "jenis_kelamin": ref.JenisKelamin.LAKI_LAKI}
    kwargs: dict[str, object] = {"tanggal_peristiwa": LALU, "tanggal_lapor": LALU}
    for name, value in changes.items():
        (kwargs if name.startswith("tanggal_") and name != "tanggal_lahir" else data)[name] = value
    # when
    with pytest.raises(ValidationError) as exc:
        peristiwa_lahir(keluarga=keluarga, data=data, **kwargs)  # type: ignore[arg-type]
    # then
    assert field in errors_of(exc)
    assert (Penduduk.objects.count(), Mutasi.objects.count(), OutboxEvent.objects.count()) == before
    assert not Peristiwa.objects.exists()


# --- datang ---------------------------------------------------------------------------------------


def test_datang_into_an_existing_family(in_village_a: Village) -> None:
    keluarga, _, _ = keluarga_dengan()
    # when a relative moves in
    p = peristiwa_datang(
        data=warga(nama="Sepupu Datang", hubungan=H.FAMILI_LAIN),
        keluarga=keluarga,
        alamat_asal="Jl. Asal 1, Metro",
        tanggal_peristiwa=LALU,
        tanggal_lapor=KEMARIN,
    )
    # then
    p.refresh_from_db()
    assert (p.keluarga, p.hubungan, p.status_dasar) == (keluarga, H.FAMILI_LAIN, S.HIDUP)
    assert p.alamat_sebelumnya == "Jl. Asal 1, Metro"
    peristiwa = p.peristiwa.get()
    assert (peristiwa.jenis, peristiwa.alamat_asal) == (J.DATANG, "Jl. Asal 1, Metro")


def test_datang_with_a_new_family_card(in_village_a: Village) -> None:
    p = peristiwa_datang(
        data=warga(nama="Kepala Pendatang", hubungan=H.ANAK, alamat_sekarang="Jl. Baru 2"),
        no_kk_baru=make_no_kk(next_serial()),
        alamat_asal="Kota Bumi",
        tanggal_peristiwa=LALU,
        tanggal_lapor=LALU,
    )
    p.refresh_from_db()
    assert p.hubungan == H.KEPALA_KELUARGA
    assert p.keluarga is not None and p.keluarga.alamat == "Jl. Baru 2"
    assert Mutasi.objects.filter(keluarga=p.keluarga, aksi=Mutasi.Aksi.DIBUAT).count() == 1


def test_datang_needs_exactly_one_family_choice(in_village_a: Village) -> None:
    keluarga, _, _ = keluarga_dengan()
    for extra in ({}, {"keluarga": keluarga, "no_kk_baru": make_no_kk(next_serial())}):
        with pytest.raises(ValidationError) as exc:
            peristiwa_datang(data=warga(nama="X"), tanggal_peristiwa=LALU, tanggal_lapor=LALU, **extra)  # type: ignore[arg-type]
        assert "keluarga" in errors_of(exc)
    assert Keluarga.objects.count() == 1


def test_datang_before_being_born_is_refused(in_village_a: Village) -> None:
    keluarga, _, _ = keluarga_dengan()
    with pytest.raises(ValidationError) as exc:
        peristiwa_datang(
            data=warga(nama="Belum Lahir", born=dt.date(2024, 5, 1)),
            keluarga=keluarga,
            tanggal_peristiwa=dt.date(2024, 4, 1),
            tanggal_lapor=dt.date(2024, 4, 2),
        )
    assert "tanggal_peristiwa" in errors_of(exc)
    assert not Penduduk.objects.filter(nama="Belum Lahir").exists()


# --- mati, pindah keluar, hilang, pergi --------------------------------------------------------------


def test_mati_of_a_member_sets_the_status_and_keeps_the_family(in_village_a: Village) -> None:
    keluarga, kepala, (anak,) = keluarga_dengan(anggota=[("Anak", H.ANAK)])
    # when
    peristiwa = catat(anak, J.MATI, keterangan="sakit")
    # then
    anak.refresh_from_db()
    assert anak.status_dasar == S.MATI and anak.keluarga == keluarga
    assert (peristiwa.status_sebelumnya, peristiwa.status_sesudahnya) == (S.HIDUP, S.MATI)
    mutasi = Mutasi.objects.get(penduduk=anak, aksi=Mutasi.Aksi.PERISTIWA)
    assert mutasi.perubahan == {"status_dasar": [S.HIDUP, S.MATI]} and mutasi.peristiwa == peristiwa
    kepala.refresh_from_db()
    assert kepala.hubungan == H.KEPALA_KELUARGA


def test_head_dies_with_living_members_needs_a_new_head(in_village_a: Village) -> None:
    # given a husband who heads a family with his wife and child
    _keluarga, suami, (_istri, _anak) = keluarga_dengan(kepala="Suami", anggota=[("Istri", H.ISTRI), ("Anak", H.ANAK)])
    # when his death is recorded without a new head
    with pytest.raises(ValidationError) as exc:
        catat(suami, J.MATI)
    # then it is refused, naming the members
    assert "Istri" in errors_of(exc)["kepala_baru"][0]
    suami.refresh_from_db()
    assert suami.status_dasar == S.HIDUP
    # and a non-member as new head is refused too
    _, orang_lain, _ = keluarga_dengan(kepala="Orang Lain")
    with pytest.raises(ValidationError) as exc:
        catat(suami, J.MATI, kepala_baru=orang_lain)
    assert "kepala_baru" in errors_of(exc)


def test_head_dies_and_the_wife_becomes_head(in_village_a: Village) -> None:
    keluarga, suami, (istri, anak) = keluarga_dengan(kepala="Suami", anggota=[("Istri", H.ISTRI), ("Anak", H.ANAK)])
    # when
    peristiwa = catat(suami, J.MATI, kepala_baru=istri)
    # then exactly one head, the wife; the husband is recorded as her (late) husband
    for p in (suami, istri, anak):
        p.refresh_from_db()
    assert istri.hubungan == H.KEPALA_KELUARGA
    assert (suami.status_dasar, suami.hubungan) == (S.MATI, H.SUAMI)
    assert keluarga.anggota.filter(hubungan=H.KEPALA_KELUARGA).count() == 1
    # and the old head's relationship stays in the history
    ganti = Mutasi.objects.get(penduduk=suami, aksi=Mutasi.Aksi.GANTI_KEPALA)
    assert ganti.perubahan == {"hubungan": [H.KEPALA_KELUARGA, H.SUAMI]} and ganti.peristiwa == peristiwa
    assert Mutasi.objects.get(keluarga=keluarga, aksi=Mutasi.Aksi.GANTI_KEPALA).perubahan == {
        "kepala": [suami.pk, istri.pk]
    }


def test_head_dies_alone_and_the_family_has_no_living_members(in_village_a: Village) -> None:
    keluarga, kepala, _ = keluarga_dengan(kepala="Sebatang Kara")
    catat(kepala, J.MATI)
    kepala.refresh_from_db()
    assert (kepala.status_dasar, kepala.hubungan) == (S.MATI, H.KEPALA_KELUARGA)
    assert not keluarga.anggota.filter(status_dasar=S.HIDUP).exists()


def test_head_moves_out_and_a_child_becomes_head(in_village_a: Village) -> None:
    _keluarga, ayah, (anak,) = keluarga_dengan(kepala="Ayah", anggota=[("Anak Sulung", H.ANAK)])
    catat(ayah, J.PINDAH_KELUAR, tingkat_pindah=ref.TingkatPindah.ANTAR_PROVINSI, kepala_baru=anak)
    ayah.refresh_from_db()
    anak.refresh_from_db()
    assert (ayah.status_dasar, ayah.hubungan) == (S.PINDAH, H.ORANGTUA)
    assert anak.hubungan == H.KEPALA_KELUARGA


def test_pindah_keluar_needs_the_destination_level(in_village_a: Village) -> None:
    _, kepala, _ = keluarga_dengan()
    with pytest.raises(ValidationError) as exc:
        catat(kepala, J.PINDAH_KELUAR)
    assert "tingkat_pindah" in errors_of(exc)
    peristiwa = catat(kepala, J.PINDAH_KELUAR, tingkat_pindah=ref.TingkatPindah.ANTAR_DESA, alamat_tujuan="Desa X")
    assert (peristiwa.tingkat_pindah, peristiwa.alamat_tujuan) == (ref.TingkatPindah.ANTAR_DESA, "Desa X")


def test_a_dead_resident_cannot_move_and_a_moved_one_cannot_die_here(in_village_a: Village) -> None:
    _, _, (almarhum, perantau) = keluarga_dengan(anggota=[("Almarhum", H.ANAK), ("Perantau", H.ANAK)])
    catat(almarhum, J.MATI)
    catat(perantau, J.PINDAH_KELUAR, tingkat_pindah=ref.TingkatPindah.ANTAR_KABUPATEN)
    with pytest.raises(ValidationError) as exc:
        catat(almarhum, J.PINDAH_KELUAR, tingkat_pindah=ref.TingkatPindah.ANTAR_DESA)
    assert "sudah tercatat meninggal" in errors_of(exc)["jenis"][0]
    with pytest.raises(ValidationError) as exc:
        catat(perantau, J.MATI)
    assert "sudah tercatat pindah keluar" in errors_of(exc)["jenis"][0]
    assert Peristiwa.objects.count() == 2


def test_the_same_event_is_not_recorded_twice(in_village_a: Village) -> None:
    _, _, (anak,) = keluarga_dengan(anggota=[("Anak", H.ANAK)])
    catat(anak, J.MATI)
    with pytest.raises(ValidationError) as exc:
        catat(anak, J.MATI)
    assert "tidak dicatat dua kali" in errors_of(exc)["jenis"][0]
    assert anak.peristiwa.count() == 1


def test_missing_then_declared_dead(in_village_a: Village) -> None:
    _, _, (anak,) = keluarga_dengan(anggota=[("Nelayan", H.ANAK)])
    catat(anak, J.HILANG)
    with pytest.raises(ValidationError):
        catat(anak, J.PINDAH_KELUAR, tingkat_pindah=ref.TingkatPindah.ANTAR_DESA)
    catat(anak, J.MATI, tanggal_peristiwa=LALU + dt.timedelta(days=30), tanggal_lapor=LALU + dt.timedelta(days=31))
    anak.refresh_from_db()
    assert anak.status_dasar == S.MATI
    assert list(anak.peristiwa.values_list("jenis", flat=True)) == [J.MATI, J.HILANG]


def test_pergi_only_for_temporary_residents(in_village_a: Village) -> None:
    _, _, (tetap, sementara) = keluarga_dengan(anggota=[("Tetap", H.ANAK), ("Sementara", H.FAMILI_LAIN)])
    with pytest.raises(ValidationError) as exc:
        catat(tetap, J.PERGI)
    assert "penduduk tidak tetap" in errors_of(exc)["jenis"][0]
    penduduk_update(penduduk=sementara, data={"status_penduduk": ref.StatusPenduduk.TIDAK_TETAP})
    catat(sementara, J.PERGI)
    sementara.refresh_from_db()
    assert sementara.status_dasar == S.PERGI


@pytest.mark.parametrize(
    ("tanggal_peristiwa", "tanggal_lapor", "field"),
    [
        (LALU, LALU - dt.timedelta(days=1), "tanggal_lapor"),
        (dt.date.today() + dt.timedelta(days=2), dt.date.today() + dt.timedelta(days=2), "tanggal_peristiwa"),
        (LALU, dt.date.today() + dt.timedelta(days=2), "tanggal_lapor"),
        (dt.date(1960, 1, 1), dt.date(1960, 1, 2), "tanggal_peristiwa"),  # before the resident was born
    ],
)
def test_dates_are_checked(
    in_village_a: Village, tanggal_peristiwa: dt.date, tanggal_lapor: dt.date, field: str
) -> None:
    _, kepala, _ = keluarga_dengan()
    with pytest.raises(ValidationError) as exc:
        catat(kepala, J.MATI, tanggal_peristiwa=tanggal_peristiwa, tanggal_lapor=tanggal_lapor)
    assert field in errors_of(exc)
    kepala.refresh_from_db()
    assert kepala.status_dasar == S.HIDUP


def test_status_changes_only_through_peristiwa(in_village_a: Village) -> None:
    _, kepala, _ = keluarga_dengan()
    with pytest.raises(ValidationError) as exc:
        penduduk_update(penduduk=kepala, data={"status_dasar": S.MATI})
    assert "peristiwa" in errors_of(exc)["status_dasar"][0]
    penduduk_update(penduduk=kepala, data={"status_dasar": S.TIDAK_VALID})  # a correction, not an event


# --- append-only --------------------------------------------------------------------------------------


def test_peristiwa_and_mutasi_cannot_be_changed_or_deleted(in_village_a: Village) -> None:
    _, kepala, _ = keluarga_dengan()
    peristiwa = catat(kepala, J.MATI)
    mutasi = Mutasi.objects.filter(penduduk=kepala).first()
    assert mutasi is not None
    for attempt in (
        lambda: Peristiwa.objects.filter(pk=peristiwa.pk).update(keterangan="diubah"),
        lambda: Peristiwa.objects.filter(pk=peristiwa.pk).delete(),
        lambda: Mutasi.objects.filter(pk=mutasi.pk).update(keterangan="diubah"),
        lambda: Mutasi.objects.filter(pk=mutasi.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    peristiwa.refresh_from_db()
    assert peristiwa.keterangan == ""
