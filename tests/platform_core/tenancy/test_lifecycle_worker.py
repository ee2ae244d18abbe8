"""Celery tasks and the village lifecycle, with a real worker thread on the real broker.

A task of a suspended village runs with a read-only database session: it may read, a write
fails in PostgreSQL and comes back as a clear Indonesian error, nothing changes. A task of a
retired village is refused before it runs. The worker has its own connection, so the
village states are committed (autocommit) and put back afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection

from platform_core.tenancy import lifecycle, routing, schemas
from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import village_context
from tenants.penduduk.models import Dusun
from tenants.penduduk.tasks import demo_count_penduduk
from tests.conftest import Villages
from workers import app

TIMEOUT = 20
DUSUN = "Dusun Uji Tugas Lifecycle"


@app.task(name="tests.platform_core.tenancy.test_lifecycle_worker.tulis_dusun")
def tulis_dusun() -> int:
    """A task that writes in the village it was sent from."""
    return int(Dusun.objects.create(nama=DUSUN).pk)


@pytest.fixture
def worker(villages: Villages) -> Iterator[None]:
    assert not connection.in_atomic_block, "request `worker` before any fixture that uses `db`"
    app.control.purge()
    with start_worker(
        app, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING", queues=["default"]
    ):
        yield
    schemas.activate(None)


@pytest.fixture
def unblocked(villages: Villages, django_db_blocker: Any) -> Iterator[None]:
    """Autocommit on this thread; village A and B active again and the test rows gone afterwards."""
    with django_db_blocker.unblock():
        try:
            yield
        finally:
            schemas.activate(None)
            Village.objects.filter(pk__in=[villages.a.pk, villages.b.pk]).update(status=Village.Status.ACTIVE)
            for v in (villages.a, villages.b):
                with village_context(v):
                    Dusun.objects.filter(nama=DUSUN).delete()
            schemas.activate(None)
            routing.invalidate()


def sent_in(village: Village, task: Any) -> Any:
    with village_context(village):
        return task.delay()


def dusun_count(village: Village) -> int:
    with village_context(village):
        return Dusun.objects.filter(nama=DUSUN).count()


def test_every_task_is_a_village_task(villages: Villages, db: None) -> None:
    """The app's task class (workers/celery.py) is the one that refuses. (This test also makes
    pytest-django create the test database when this module runs alone: the others use no `db`.)"""
    from platform_core.tenancy.tugas import VillageTask

    assert isinstance(tulis_dusun, VillageTask)
    assert isinstance(demo_count_penduduk, VillageTask)


def test_tasks_of_a_suspended_village_read_but_cannot_write(worker: None, villages: Villages, unblocked: None) -> None:
    a = Village.objects.get(pk=villages.a.pk)
    lifecycle.tangguhkan(village=a, alasan="Audit keuangan desa", oleh="pmd")

    read = sent_in(villages.a, demo_count_penduduk).get(timeout=TIMEOUT)
    assert read["schema"] == villages.a.schema_name  # reads work

    write = sent_in(villages.a, tulis_dusun)
    with pytest.raises(Exception, match="sedang ditangguhkan: hanya dapat dibaca") as refused:
        write.get(timeout=TIMEOUT)
    assert type(refused.value).__name__ == "DesaTidakMenerimaTugas"
    assert dusun_count(villages.a) == 0

    # The same worker connection serves an active village next: read-write again.
    assert sent_in(villages.b, tulis_dusun).get(timeout=TIMEOUT) > 0
    assert dusun_count(villages.b) == 1

    lifecycle.aktifkan(village=a, alasan="Audit selesai", oleh="pmd")
    assert sent_in(villages.a, tulis_dusun).get(timeout=TIMEOUT) > 0  # resume restores writes
    assert dusun_count(villages.a) == 1


def test_tasks_of_a_retired_village_are_refused(worker: None, villages: Villages, unblocked: None) -> None:
    lifecycle.pensiunkan(village=Village.objects.get(pk=villages.a.pk), alasan="Penggabungan desa", oleh="pmd")
    for task in (demo_count_penduduk, tulis_dusun):
        with pytest.raises(Exception, match=r"sudah tidak aktif: tugas .* ditolak"):
            sent_in(villages.a, task).get(timeout=TIMEOUT)
    assert dusun_count(villages.a) == 0
