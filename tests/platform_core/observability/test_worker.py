"""Worker side: task metrics per queue from a real worker, the worker's metrics endpoint with the
outbox lag, and the same access rule as the web's /metrics."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult
from django.db import connection
from prometheus_client import REGISTRY

from platform_core.observability import metrics, worker
from platform_core.tenancy import schemas
from platform_core.tenancy.schemas import village_context
from tenants.penduduk.tasks import demo_count_penduduk
from tests.conftest import Villages
from workers import app

TASK = "tenants.penduduk.tasks.demo_count_penduduk"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def task_count(queue: str, state: str) -> float:
    value = REGISTRY.get_sample_value("balai_celery_tasks_total", {"queue": queue, "task": TASK, "state": state})
    return value or 0.0


@pytest.fixture
def real_worker(villages: Villages) -> Iterator[None]:
    assert not connection.in_atomic_block, "request `real_worker` before any fixture that uses `db`"
    app.control.purge()
    with start_worker(
        app, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING", queues=["default"]
    ):
        yield
    schemas.activate(None)


def test_a_real_worker_counts_tasks_by_queue(real_worker: None, villages: Villages, db: None) -> None:
    before = task_count("default", "success")
    with village_context(villages.a):
        sent = demo_count_penduduk.delay()
    AsyncResult(sent.id, app=app).get(timeout=20)
    assert task_count("default", "success") == before + 1
    assert (REGISTRY.get_sample_value("balai_celery_task_duration_seconds_count", {"queue": "default"}) or 0) >= 1


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.delenv("BALAI_METRICS_TOKEN", raising=False)
    monkeypatch.delenv("BALAI_METRICS_NETWORKS", raising=False)
    metrics.reset_for_tests()
    port = free_port()
    server = worker.serve_metrics(port=port, addr="127.0.0.1", outbox=True)
    yield f"http://127.0.0.1:{port}/metrics"
    server.shutdown()
    server.server_close()


def test_worker_endpoint_exports_the_outbox_lag(villages: Villages, db: None, endpoint: str) -> None:
    with urllib.request.urlopen(endpoint, timeout=10) as response:  # noqa: S310  # our own loopback server
        body = response.read().decode()
    assert "balai_outbox_pending_villages" in body
    assert "balai_outbox_lag_seconds" in body
    assert "balai_celery_tasks_total" in body


def test_worker_endpoint_wants_the_token_when_one_is_set(
    villages: Villages, db: None, endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BALAI_METRICS_TOKEN", "rahasia-pekerja")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(endpoint, timeout=10)  # noqa: S310
    assert refused.value.code == 404
    request = urllib.request.Request(endpoint, headers={"Authorization": "Bearer rahasia-pekerja"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200


def test_outbox_queue_detection() -> None:
    class Consumer:
        class app:  # shaped like celery's consumer.app.amqp.queues
            class amqp:
                class queues:
                    consume_from = {"outbox": object()}

    assert worker.consumes_outbox(Consumer())
    Consumer.app.amqp.queues.consume_from = {"documents": object()}
    assert not worker.consumes_outbox(Consumer())
