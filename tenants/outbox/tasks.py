"""Celery tasks of the outbox pipeline (thin: ids in, call a service). Routed by name:
outbox_* → queue "outbox", maintenance_* → queue "maintenance" (workers/celery.py)."""

from __future__ import annotations

import datetime as dt
import logging
import random
from typing import Any

from celery import shared_task
from django.utils import timezone

from platform_core.facts import services as facts
from platform_core.facts.models import StatusDesa
from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import current_schema

logger = logging.getLogger(__name__)

#: A village marked pending for less than this is left to the drain its write enqueued.
SWEEP_GRACE_S = 10
SWEEP_WINDOW_S = 25  # drains of one sweep are spread over this many seconds (beat runs it every 30 s)
SWEEP_MAX = 500
RECOMPUTE_BATCH = 50
RECOMPUTE_SPACING_S = 2.0  # nightly: batch i starts ~i*2 s after the first, plus jitter


@shared_task(acks_late=True)
def outbox_drain_village() -> dict[str, Any]:
    """Drain the outbox of the village this task was sent in (its schema travels in the headers)."""
    from tenants.outbox.services import outbox_drain

    return outbox_drain().as_dict()


@shared_task(acks_late=True)
def outbox_sweep(grace_s: float = SWEEP_GRACE_S, window_s: float = SWEEP_WINDOW_S) -> dict[str, Any]:
    """Beat, every 30 s: villages with undrained events (e.g. written while Redis was down) get a drain,
    spread over the next ~25 s, at most SWEEP_MAX per sweep, oldest first."""
    from tenants.outbox.services import drain_antre

    batas = timezone.now() - dt.timedelta(seconds=grace_s)
    rows = list(
        StatusDesa.objects.filter(outbox_tertunda_sejak__lte=batas, village__status=Village.Status.ACTIVE)
        .order_by("outbox_tertunda_sejak")
        .values_list("village__schema_name", flat=True)[:SWEEP_MAX]
    )
    step = window_s / max(len(rows), 1)
    sent = 0
    for i, schema in enumerate(rows):
        countdown = i * step + random.uniform(0, min(step, 1.0))  # noqa: S311  # jitter, not security
        sent += drain_antre(schema=schema, countdown=countdown)
    return {"schema": current_schema(), "desa": len(rows), "diantre": sent}


@shared_task(acks_late=True)
def maintenance_recompute_batch(village_ids: list[int]) -> dict[str, Any]:
    """Recompute every indicator for a batch of villages on one connection (closed afterwards)."""
    hasil = facts.hitung_ulang_batch(village_ids, close=True)
    if hasil.drift:
        logger.warning("hitung ulang batch: %s fakta dikoreksi %s", hasil.drift, hasil.drift_per_indikator)
    return {"desa": hasil.villages, "dihitung": hasil.dihitung, "dilewati": hasil.dilewati, "drift": hasil.drift}


@shared_task(acks_late=True)
def maintenance_recompute_province(kode: str = "18", spacing_s: float = RECOMPUTE_SPACING_S) -> dict[str, Any]:
    """Nightly safety net: every village under `kode` in batches of 50, each batch its own task spread
    over time with jitter (never the whole province at once); each batch logs the drift it corrected."""
    ids = facts.villages_di(kode=kode)
    batches = [ids[i : i + RECOMPUTE_BATCH] for i in range(0, len(ids), RECOMPUTE_BATCH)]
    for i, batch in enumerate(batches):
        countdown = i * spacing_s + random.uniform(0, spacing_s)  # noqa: S311
        maintenance_recompute_batch.apply_async(args=(batch,), countdown=countdown)
    return {"desa": len(ids), "batch": len(batches)}
