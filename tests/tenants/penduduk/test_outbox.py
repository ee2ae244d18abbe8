"""Outbox events: written with every register change, in its transaction, with no personal data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from platform_core.tenancy.models import Village
from tenants.outbox.models import OutboxEvent
from tenants.outbox.services import FORBIDDEN_KEYS, OutboxPayloadError, outbox_emit
from tenants.penduduk import reference as ref
from tenants.penduduk.services import (
    keluarga_pecah,
    penduduk_create,
    penduduk_update,
    peristiwa_catat,
    peristiwa_lahir,
    rumah_tangga_create,
    wilayah_rt_ensure,
)
from tests.tenants.penduduk.factories import keluarga_dengan, make_no_kk, next_serial, warga

H = ref.Hubungan
LALU = dt.date(2024, 3, 1)
PERSONAL = FORBIDDEN_KEYS | {"alamat_sekarang", "alamat_asal", "alamat_tujuan", "tempat_lahir", "no_rtm"}


def topics() -> list[str]:
    return list(OutboxEvent.objects.order_by("id").values_list("topic", flat=True))


def test_every_kind_of_write_emits_events_without_personal_data(in_village_a: Village) -> None:
    # given / when: a tour through the register
    rt = wilayah_rt_ensure(dusun="Dusun I", rw="1", rt="1")
    keluarga, kepala, (istri, anak) = keluarga_dengan(anggota=[("Istri", H.ISTRI), ("Anak", H.ANAK)], rt=rt)
    penduduk_update(penduduk=anak, data={"pekerjaan": ref.Pekerjaan.GURU})
    peristiwa_lahir(
        keluarga=keluarga, data={"nama": "Bayi", "jenis_kelamin": 1}, tanggal_peristiwa=LALU, tanggal_lapor=LALU
    )
    keluarga_pecah(keluarga=keluarga, anggota=[anak], kepala=anak, no_kk_baru=make_no_kk(next_serial()))
    rumah_tangga_create(no_rtm="RTM-9", kepala=istri)
    peristiwa_catat(
        penduduk=kepala, jenis=ref.JenisPeristiwa.MATI, tanggal_peristiwa=LALU, tanggal_lapor=LALU, kepala_baru=istri
    )
    # then
    seen = set(topics())
    assert {
        "wilayah.berubah",
        "keluarga.dibuat",
        "keluarga.berubah",
        "penduduk.dibuat",
        "penduduk.diubah",
        "penduduk.pekerjaan_berubah",
        "penduduk.peristiwa",
        "penduduk.lahir",
        "penduduk.mati",
        "rumah_tangga.berubah",
    } <= seen
    for event in OutboxEvent.objects.all():
        assert not PERSONAL & set(event.payload), (event.topic, event.payload)
        assert all(isinstance(v, int | str | bool | float | type(None)) for v in event.payload.values())
        for value in event.payload.values():
            assert value not in (kepala.nik, keluarga.no_kk, kepala.nama), event.topic


def test_job_change_carries_old_and_new_codes(in_village_a: Village) -> None:
    _, kepala, _ = keluarga_dengan(pekerjaan=ref.Pekerjaan.BELUM_TIDAK_BEKERJA)
    penduduk_update(penduduk=kepala, data={"pekerjaan": ref.Pekerjaan.KARYAWAN_SWASTA})
    event = OutboxEvent.objects.get(topic="penduduk.pekerjaan_berubah")
    assert event.payload["penduduk_id"] == kepala.pk
    assert (event.payload["pekerjaan_lama"], event.payload["pekerjaan_baru"]) == (
        ref.Pekerjaan.BELUM_TIDAK_BEKERJA,
        ref.Pekerjaan.KARYAWAN_SWASTA,
    )


def test_a_refused_write_leaves_no_event(in_village_a: Village) -> None:
    _, kepala, _ = keluarga_dengan()
    before = OutboxEvent.objects.count()
    with pytest.raises(ValidationError):
        penduduk_create(**warga(nama="Dobel", nik=kepala.nik))
    with pytest.raises(ValidationError):
        peristiwa_catat(
            penduduk=kepala, jenis=ref.JenisPeristiwa.PINDAH_KELUAR, tanggal_peristiwa=LALU, tanggal_lapor=LALU
        )
    assert OutboxEvent.objects.count() == before


def test_event_rolls_back_with_its_change(in_village_a: Village) -> None:
    before = OutboxEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        penduduk_create(**warga(nama="Batal"))
        raise RuntimeError("the caller's transaction fails after the service")
    assert OutboxEvent.objects.count() == before


def test_personal_data_keys_are_refused(in_village_a: Village) -> None:
    with pytest.raises(OutboxPayloadError), transaction.atomic():
        outbox_emit(topic="penduduk.dibuat", payload={"penduduk_id": 1, "nik": "1801171205850001"})
