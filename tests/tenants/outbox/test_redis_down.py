"""Redis down: writes still commit, events accumulate, and drain once it is back (real worker, real broker).

The broker is pointed at a closed port while the write commits (the enqueue on commit fails and is only
logged); then, with Redis back, the sweep enqueues the village's drain and a worker thread consuming the
"outbox" queue publishes the events into the fact table.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from platform_core.facts.models import Aktivitas, Fakta, StatusDesa
from platform_core.tenancy import schemas
from platform_core.tenancy.schemas import village_context
from tenants.outbox.models import OutboxEvent
from tenants.outbox.services import outbox_emit
from tenants.outbox.tasks import outbox_sweep
from tests.conftest import Villages
from tests.workers.test_tenant_tasks import committed, in_village
from workers import app

TOPIC = "uji.redis_mati"
TIMEOUT = 20


def _reset_pools() -> None:
    app._pool = None  # connections are pooled per broker URL
    app.amqp._producer_pool = None


class broker_down:
    def __enter__(self) -> None:
        self.original = app.conf.broker_url
        _reset_pools()
        app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there

    def __exit__(self, *exc: Any) -> None:
        app.conf.broker_url = self.original
        _reset_pools()


def wipe(villages: Villages) -> None:
    def run() -> None:
        with village_context(villages.b):
            OutboxEvent.objects.filter(topic=TOPIC).delete()
        Fakta.objects.filter(village=villages.b).delete()
        Aktivitas.objects.filter(village=villages.b).delete()
        StatusDesa.objects.filter(pk=villages.b.pk).delete()

    committed(run)


@pytest.fixture
def outbox_worker(villages: Villages, django_db_blocker: Any) -> Iterator[None]:
    """A worker thread on the "outbox" queue, started before `db` (see tests/workers/test_tenant_tasks.py)."""
    from django.db import connection

    assert not connection.in_atomic_block, "request `outbox_worker` before any fixture that uses `db`"
    with django_db_blocker.unblock():
        wipe(villages)
    app.control.purge()
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING", queues=["outbox"]):
        yield
    schemas.activate(None)
    with django_db_blocker.unblock():
        wipe(villages)


def pending(villages: Villages) -> int:
    with village_context(villages.b):
        return OutboxEvent.objects.filter(topic=TOPIC, published_at__isnull=True).count()


def write(i: int) -> None:
    with transaction.atomic():
        outbox_emit(topic=TOPIC, payload={"n": i})


def test_events_accumulate_while_redis_is_down_and_drain_after_it_returns(
    outbox_worker: None, villages: Villages, db: None
) -> None:
    # given the broker is unreachable
    with broker_down():
        started = time.monotonic()
        for i in range(3):
            # when a village writes (each write commits, on its own connection; its drain cannot be queued)
            committed(in_village(villages.b, lambda i=i: write(i)))
        elapsed = time.monotonic() - started
    # then the writes committed, quickly, and the events wait with the village marked pending
    assert pending(villages) == 3
    assert elapsed < 5, elapsed
    status = StatusDesa.objects.get(pk=villages.b.pk)
    assert status.outbox_tertunda_sejak is not None and status.terakhir_aktif is None

    # when Redis is back: the sweep queues the drain, the worker runs it
    result = outbox_sweep(grace_s=0, window_s=0)
    assert result["diantre"] >= 1
    deadline = time.monotonic() + TIMEOUT
    while pending(villages) and time.monotonic() < deadline:
        time.sleep(0.1)
    # then every event is published and reflected in the facts, the feed and the status
    assert pending(villages) == 0
    status = StatusDesa.objects.get(pk=villages.b.pk)
    assert status.outbox_tertunda_sejak is None and status.terakhir_aktif is not None
    assert Fakta.objects.get(village=villages.b, indikator="kesegaran_hari").nilai == 0
    row = Aktivitas.objects.get(village=villages.b, jenis=TOPIC)
    assert (row.jumlah, row.keterangan) == (3, "3 perubahan data")


@pytest.fixture
def embedded_redis() -> Iterator[Any]:
    """The suite's own Redis server (started by `balai dev exec`), to stop for real."""
    from platform_core.runtime import servers

    rd = servers.redis()
    if not rd.is_running():
        pytest.skip("Redis is not the embedded server of this run (REDIS_URL points elsewhere)")
    yield rd
    if not rd.is_running():
        rd.start()


def test_writes_commit_with_the_redis_server_stopped(
    embedded_redis: Any, outbox_worker: None, villages: Villages, db: None
) -> None:
    # given the Redis server is really stopped (not just unreachable by configuration)
    embedded_redis.stop()
    assert not embedded_redis.is_running()
    _reset_pools()
    try:
        # then pages keep serving (routing cache, presence and throttle fail open)
        from django.test import Client

        from tests.conftest import host_of

        assert Client(HTTP_HOST=host_of(villages.b)).get("/").status_code == 200
        # and when a village writes, the write commits and its event waits in the outbox
        committed(in_village(villages.b, lambda: write(99)))
        assert pending(villages) == 1
    finally:
        # when Redis comes back
        embedded_redis.start()
        _reset_pools()
    # then the sweep drains what accumulated
    assert outbox_sweep(grace_s=0, window_s=0)["diantre"] >= 1
    deadline = time.monotonic() + TIMEOUT
    while pending(villages) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pending(villages) == 0
