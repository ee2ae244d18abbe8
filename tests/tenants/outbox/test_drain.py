"""The outbox drain: events become facts and feed rows, idempotently and atomically.

The crash test is simulated: an exception raised inside the drain after the facts were computed and
written (the `setelah_hitung` hook) stands for a worker killed mid-drain: the transaction rolls back,
the events stay pending, and the rerun (Celery's acks_late redelivery) gives the same rows as a clean run.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from platform_core.facts.models import Aktivitas, Fakta, StatusDesa
from platform_core.tenancy.models import Village
from tenants.outbox.models import OutboxEvent
from tenants.outbox.services import _AntreDrain, outbox_drain, outbox_emit
from tenants.penduduk import reference as ref
from tenants.penduduk.services import penduduk_update
from tests.tenants.penduduk.factories import keluarga_dengan

H = ref.Hubungan


def facts(village: Village) -> list[tuple[Any, ...]]:
    return list(
        Fakta.objects.filter(village=village)
        .order_by("indikator", "periode")
        .values_list("indikator", "periode", "nilai", "pembilang", "penyebut", "rincian", "computed_at")
    )


def feed(village: Village) -> list[tuple[Any, ...]]:
    return list(
        Aktivitas.objects.filter(village=village)
        .order_by("jenis")
        .values_list("jenis", "keterangan", "jumlah", "waktu")
    )


def build_register() -> None:
    _, kepala, _ = keluarga_dengan(anggota=[("Istri", H.ISTRI), ("Anak", H.ANAK)])
    penduduk_update(penduduk=kepala, data={"pekerjaan": ref.Pekerjaan.BELUM_TIDAK_BEKERJA})


def test_emit_marks_the_village_pending_and_queues_one_drain_per_transaction(in_village_a: Village) -> None:
    with transaction.atomic():
        build_register()
        from django.db import connection

        drains = [f for _, f, *_ in connection.run_on_commit if isinstance(f, _AntreDrain)]
        assert len(drains) == 1 and drains[0].schema == in_village_a.schema_name
    status = StatusDesa.objects.get(pk=in_village_a.pk)
    first = OutboxEvent.objects.order_by("id").first()
    assert first is not None and status.outbox_tertunda_sejak == first.created_at


def test_drain_writes_facts_feed_and_status(in_village_a: Village) -> None:
    build_register()
    events = OutboxEvent.objects.count()
    hasil = outbox_drain()
    assert hasil.status == "selesai" and hasil.events == events
    assert not OutboxEvent.objects.filter(published_at__isnull=True).exists()
    values = {k: v for k, _, v, *_ in facts(in_village_a)}
    assert values["penduduk_jumlah"] == 3
    assert values["kesegaran_hari"] == 0
    # the placeholders are not triggered by register events
    assert "surat_jumlah" not in values
    status = StatusDesa.objects.get(pk=in_village_a.pk)
    newest = OutboxEvent.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    assert status.outbox_tertunda_sejak is None and status.terakhir_aktif == newest
    rows = {jenis: (ket, n) for jenis, ket, n, _ in feed(in_village_a)}
    assert rows["penduduk.dibuat"] == ("3 penduduk ditambahkan ke register", 3)
    assert "penduduk.pekerjaan_berubah" not in rows  # repeats penduduk.diubah


def test_replaying_the_same_events_gives_identical_rows(in_village_a: Village) -> None:
    build_register()
    outbox_drain()
    before_facts, before_feed = facts(in_village_a), feed(in_village_a)
    # when the same events are delivered again
    OutboxEvent.objects.update(published_at=None)
    assert outbox_drain().status == "selesai"
    # then the rows are the same, computed_at included (unchanged facts are not rewritten)
    assert facts(in_village_a) == before_facts
    assert feed(in_village_a) == before_feed


def test_a_drain_killed_after_computing_commits_nothing_and_the_retry_gives_the_same_rows(
    in_village_a: Village,
) -> None:
    build_register()

    class Killed(Exception):
        pass

    def kill() -> None:
        assert Fakta.objects.filter(village=in_village_a).exists()  # the facts were written ...
        raise Killed

    with pytest.raises(Killed):
        outbox_drain(setelah_hitung=kill)
    # ... and rolled back with everything else
    assert not Fakta.objects.filter(village=in_village_a).exists()
    assert not Aktivitas.objects.filter(village=in_village_a).exists()
    assert not OutboxEvent.objects.filter(published_at__isnull=False).exists()
    assert StatusDesa.objects.get(pk=in_village_a.pk).outbox_tertunda_sejak is not None
    # the retry
    assert outbox_drain().status == "selesai"
    retried = [row[:-1] for row in facts(in_village_a)]
    retried_feed = feed(in_village_a)
    # equals a clean run over the same state
    Fakta.objects.filter(village=in_village_a).delete()
    Aktivitas.objects.filter(village=in_village_a).delete()
    OutboxEvent.objects.update(published_at=None)
    outbox_drain()
    assert [row[:-1] for row in facts(in_village_a)] == retried
    assert feed(in_village_a) == retried_feed


def test_a_bounded_batch_leaves_the_rest_pending_and_queues_the_next(in_village_a: Village) -> None:
    with transaction.atomic():
        for i in range(5):
            outbox_emit(topic="wilayah.berubah", payload={"tingkat": "rt", "wilayah_id": i, "aksi": "dibuat"})
    hasil = outbox_drain(batas=3)
    assert hasil.status == "sisa" and hasil.events == 3
    assert StatusDesa.objects.get(pk=in_village_a.pk).outbox_tertunda_sejak is not None
    assert outbox_drain(batas=3).status == "selesai"
    assert StatusDesa.objects.get(pk=in_village_a.pk).outbox_tertunda_sejak is None


def test_feed_rows_hold_no_personal_data(in_village_a: Village) -> None:
    keluarga, kepala, _ = keluarga_dengan(kepala="Sutrisno Wibowo")
    outbox_drain()
    for jenis, keterangan, _, _ in feed(in_village_a):
        for secret in (kepala.nik, keluarga.no_kk, "Sutrisno"):
            assert secret not in keterangan, jenis
