"""A worker killed (SIGKILL) in the middle of a drain loses nothing and doubles nothing.

A real `celery worker` process takes the village's drain; another connection holds the rollup
writers' advisory lock, so the drain stops inside its transaction after computing the facts.
The worker is killed there. Nothing of the drain is committed; the village stays pending, the
sweep queues it again, a new worker runs it, and the result is what one clean drain gives.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import transaction

from platform_core.facts.models import Aktivitas, Fakta, StatusDesa
from platform_core.facts.ringkasan import KUNCI_KUNCI
from platform_core.tenancy.schemas import village_context
from tenants.outbox.models import OutboxEvent
from tenants.outbox.services import outbox_emit
from tenants.outbox.tasks import outbox_sweep
from tests.conftest import Villages
from tests.workers.test_tenant_tasks import committed, in_village
from workers import app

TOPIC = "uji.worker_dibunuh"
TIMEOUT = 30


def dsn() -> str:
    db = settings.DATABASES["default"]
    return f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT']}/{db['NAME']}"


def start_worker_process() -> subprocess.Popen[bytes]:
    env = dict(os.environ, DATABASE_URL=dsn(), BALAI_PROCESS="balai-worker-uji")
    celery = str(Path(sys.executable).with_name("celery"))
    return subprocess.Popen(
        [celery, "-A", "workers", "worker", "-Q", "outbox", "--pool", "solo", "-l", "WARNING", "--without-mingle",
         "--without-gossip", "--without-heartbeat"],
        env=env,
        start_new_session=True,
    )  # fmt: skip


def kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def wipe(villages: Villages) -> None:
    def run() -> None:
        with village_context(villages.b):
            OutboxEvent.objects.filter(topic=TOPIC).delete()
        Fakta.objects.filter(village=villages.b).delete()
        Aktivitas.objects.filter(village=villages.b).delete()
        StatusDesa.objects.filter(pk=villages.b.pk).delete()

    committed(run)


@pytest.fixture
def clean(villages: Villages, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        wipe(villages)
    app.control.purge()
    yield
    app.control.purge()
    with django_db_blocker.unblock():
        wipe(villages)


def pending(villages: Villages) -> int:
    return int(
        committed(
            in_village(villages.b, lambda: OutboxEvent.objects.filter(topic=TOPIC, published_at__isnull=True).count())
        )
    )


def write(i: int) -> None:
    with transaction.atomic():
        outbox_emit(topic=TOPIC, payload={"n": i})


def wait_for(condition: Any, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_drain_killed_mid_transaction_leaves_nothing_and_runs_again_cleanly(
    clean: None, villages: Villages, db: None
) -> None:
    with psycopg.connect(dsn(), autocommit=True) as holder:
        # given the rollup writers' lock is held elsewhere, so a drain stops inside its transaction
        holder.execute("SELECT pg_advisory_lock(%s)", [KUNCI_KUNCI])
        # and three committed changes in village B, their drain queued on commit
        for i in range(3):
            committed(in_village(villages.b, lambda i=i: write(i)))
        worker = start_worker_process()
        try:
            # when the worker has taken the drain and waits on the lock mid-transaction ...
            def drain_waiting() -> bool:
                row = holder.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'balai-worker-uji' "
                    "AND wait_event_type = 'Lock' AND state = 'active'"
                ).fetchone()
                return bool(row and row[0])

            wait_for(drain_waiting, "the drain to block on the rollup lock")
            # ... it is killed
            kill(worker)
            holder.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'balai-worker-uji'"
            )
        finally:
            kill(worker)
            holder.execute("SELECT pg_advisory_unlock(%s)", [KUNCI_KUNCI])

    # (the reads below see what other connections committed: READ COMMITTED)
    # then nothing of the drain was committed: events pending, no facts, no feed, village still pending
    assert pending(villages) == 3
    assert not Fakta.objects.filter(village=villages.b).exists()
    assert not Aktivitas.objects.filter(village=villages.b, jenis=TOPIC).exists()
    assert StatusDesa.objects.get(pk=villages.b.pk).outbox_tertunda_sejak is not None

    # when a new worker runs and the sweep queues the still-pending village again
    app.control.purge()  # the killed worker's unacked message only returns after the visibility timeout
    worker = start_worker_process()
    try:
        assert outbox_sweep(grace_s=0, window_s=0)["diantre"] >= 1
        wait_for(lambda: pending(villages) == 0, "the events to be published")
    finally:
        kill(worker)
    # then the result is one clean drain: facts written once, the feed counts each change once
    assert Fakta.objects.get(village=villages.b, indikator="kesegaran_hari").nilai == 0
    row = Aktivitas.objects.get(village=villages.b, jenis=TOPIC)
    assert row.jumlah == 3
    assert StatusDesa.objects.get(pk=villages.b.pk).outbox_tertunda_sejak is None
