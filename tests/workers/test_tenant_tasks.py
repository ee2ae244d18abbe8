"""The Celery app is tenant-aware: a task runs in the schema it was sent from.

A real worker thread (celery.contrib.testing) consumes from the real Redis broker
(REDIS_URL); tasks are not run eagerly. The worker has its own database
connection, so the residents it counts are committed (written from a helper
thread, outside the test's transaction) and removed afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult
from django.db import connection
from django.test import Client
from pytest_django.fixtures import Settings

from platform_core.tenancy import schemas
from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import village_context
from tenants.penduduk.models import Keluarga, Penduduk
from tenants.penduduk.tasks import demo_count_penduduk
from tests.conftest import Villages, host_of, resident_create
from workers import app

TIMEOUT = 20


def committed(work: Callable[[], Any]) -> Any:
    """Run ORM code on a fresh connection in another thread: autocommit, outside the test transaction."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed back to the test thread
            box["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def in_village(village: Village, work: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        with village_context(village):
            return work()

    return run


def wipe(village: Village) -> None:
    def run() -> None:
        Penduduk.objects.filter(nama__startswith="Uji Celery").delete()
        Keluarga.objects.filter(no_kk__startswith="99").delete()

    committed(in_village(village, run))


@pytest.fixture
def residents(villages: Villages, db: None) -> Iterator[dict[str, int]]:
    """Committed residents: two in A, one in B."""
    for village in (villages.a, villages.b):
        wipe(village)

    def add_a() -> None:
        resident_create(nama="Uji Celery A1", nik="1801174506900101", no_kk="9901170101100001")
        resident_create(nama="Uji Celery A2", nik="1801174506900102", no_kk="9901170101100002")

    committed(in_village(villages.a, add_a))
    committed(
        in_village(
            villages.b,
            lambda: resident_create(nama="Uji Celery B1", nik="1871014506900101", no_kk="9971010101100001"),
        )
    )
    counts = {
        village.schema_name: committed(in_village(village, Penduduk.objects.count))
        for village in (villages.a, villages.b)
    }
    assert counts[villages.a.schema_name] != counts[villages.b.schema_name]
    yield counts
    for village in (villages.a, villages.b):
        wipe(village)


@pytest.fixture
def worker(villages: Villages) -> Iterator[None]:
    """A worker thread on the real broker. Requested first by the tests, before `db`:
    Celery's Django fixup closes the starting thread's database connections (in a real
    worker that is a fresh process), which must not be the test's open transaction."""
    assert not connection.in_atomic_block, "request `worker` before any fixture that uses `db`"
    app.control.purge()  # nothing left over from an earlier run
    # Name the queue: a worker started earlier in this process with queues=[...] narrows the app's selection.
    with start_worker(
        app, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING", queues=["default"]
    ):
        yield
    schemas.activate(None)


def outcome(task_id: str) -> dict[str, Any]:
    value = AsyncResult(task_id, app=app).get(timeout=TIMEOUT)
    assert isinstance(value, dict)
    return value


def test_task_sent_in_a_village_runs_in_that_village(
    worker: None, villages: Villages, residents: dict[str, int]
) -> None:
    with village_context(villages.a):
        sent_a = demo_count_penduduk.delay()
    with village_context(villages.b):
        sent_b = demo_count_penduduk.delay()
    assert outcome(sent_a.id) == {"schema": villages.a.schema_name, "penduduk": residents[villages.a.schema_name]}
    assert outcome(sent_b.id) == {"schema": villages.b.schema_name, "penduduk": residents[villages.b.schema_name]}


def test_task_enqueued_inside_a_village_request_runs_in_that_village(
    worker: None, villages: Villages, residents: dict[str, int], settings: Settings
) -> None:
    settings.ROOT_URLCONF = "tests.workers.urls_probe"
    for village in (villages.b, villages.a):
        response = Client(HTTP_HOST=host_of(village)).get("/uji/antre-demo/")
        assert response.status_code == 200
        result = outcome(response.json()["task_id"])
        assert result == {"schema": village.schema_name, "penduduk": residents[village.schema_name]}


def test_the_message_carries_the_schema(villages: Villages, db: None) -> None:
    """What makes it work: the schema travels in the message headers (no worker needed)."""
    with village_context(villages.b), app.producer_or_acquire() as producer:
        captured: dict[str, Any] = {}
        original = producer.publish

        def publish(body: Any, **options: Any) -> Any:
            captured.update(options.get("headers") or {})
            return None  # not sent: this test only reads the message

        producer.publish = publish  # type: ignore[method-assign]
        try:
            demo_count_penduduk.apply_async(producer=producer)
        finally:
            producer.publish = original  # type: ignore[method-assign]
    assert captured["_schema_name"] == villages.b.schema_name
