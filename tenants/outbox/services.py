"""Writing and draining outbox events.

`outbox_emit` runs inside the transaction of the change the event describes: it writes the event, marks
the village pending in the public StatusDesa (same transaction) and enqueues a drain on commit. A queue
outage never breaks the write: the event stays pending and `outbox_sweep` enqueues the drain later.
`outbox_drain` (the worker side) turns pending events into facts; see its docstring.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from platform_core.facts import registry
from platform_core.facts import services as facts
from platform_core.facts.models import StatusDesa
from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import current_schema
from tenants.outbox import feed
from tenants.outbox.models import OutboxEvent

logger = logging.getLogger(__name__)

#: Events handled per drain transaction; more left → another drain is enqueued on commit.
BATAS_DRAIN = 500

# Keys that would carry personal data out of the village schema (trust.md): refused.
FORBIDDEN_KEYS = frozenset({"nik", "no_kk", "nama", "nama_ayah", "nama_ibu", "alamat", "tanggal_lahir", "telepon"})
ALLOWED_VALUE_TYPES = (int, str, bool, type(None), float)


class OutboxPayloadError(ValueError):
    """A payload that must not leave the village (developer error, English)."""


def outbox_emit(*, topic: str, payload: Mapping[str, object]) -> OutboxEvent:
    """Record an event for the province layer. Must run inside the caller's transaction.

    Payload values are flat scalars (ids, codes, dates as ISO strings); personal-data keys are refused.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("outbox_emit must run inside the transaction of the change it describes")
    bad = FORBIDDEN_KEYS.intersection(payload)
    if bad:
        raise OutboxPayloadError(f"personal data in outbox payload: {sorted(bad)}")
    for key, value in payload.items():
        if not isinstance(value, ALLOWED_VALUE_TYPES):
            raise OutboxPayloadError(f"payload value {key!r} must be a scalar, got {type(value).__name__}")
    event = OutboxEvent.objects.create(topic=topic, payload=dict(payload))
    village = _village_aktif()
    if village is not None and not _sudah_diantre(village.pk):
        # Once per transaction and village: the pending mark (and its row lock) and the drain on commit.
        facts.status_tandai_tertunda(village_id=village.pk, sejak=event.created_at)
        transaction.on_commit(_AntreDrain(village_id=village.pk, schema=village.schema_name))
    return event


def _village_aktif() -> Village | None:
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Village) and tenant.schema_name == current_schema():
        return tenant
    return Village.objects.filter(schema_name=current_schema()).first()


class _AntreDrain:
    """The on-commit callback that enqueues a village's drain (recognisable in run_on_commit)."""

    def __init__(self, *, village_id: int, schema: str, countdown: float | None = None) -> None:
        self.village_id = village_id
        self.schema = schema
        self.countdown = countdown

    def __call__(self) -> None:
        drain_antre(schema=self.schema, countdown=self.countdown)


def _sudah_diantre(village_id: int) -> bool:
    return any(
        isinstance(entry[1], _AntreDrain) and entry[1].village_id == village_id for entry in connection.run_on_commit
    )


def drain_antre(*, schema: str, countdown: float | None = None) -> bool:
    """Enqueue the drain of one village (queue "outbox", in its schema). Never raises: with the queue down
    it logs and returns False; the village stays marked pending and outbox_sweep retries it."""
    from tenants.outbox.tasks import outbox_drain_village  # the task module imports this one

    try:
        options: dict[str, Any] = {"headers": {"_schema_name": schema}, "retry": False}
        if countdown is not None:
            options["countdown"] = countdown
        outbox_drain_village.apply_async(**options)
    except Exception:
        logger.warning("outbox drain for %s could not be queued; outbox_sweep will retry", schema, exc_info=True)
        return False
    return True


# --- the drain -----------------------------------------------------------------------------------------


@dataclass
class HasilDrain:
    schema: str
    status: str  # "selesai", "kosong", "sibuk" (another drain or a write holds the village), "sisa"
    events: int = 0
    topik: dict[str, int] = field(default_factory=dict)
    indikator: list[str] = field(default_factory=list)
    berubah: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "status": self.status,
            "events": self.events,
            "topik": self.topik,
            "indikator": self.indikator,
            "berubah": self.berubah,
        }


def outbox_drain(*, batas: int = BATAS_DRAIN, setelah_hitung: Any = None) -> HasilDrain:
    """Drain the pending events of the village whose schema is active, in ONE transaction.

    1. Lock the village's StatusDesa row (SKIP LOCKED: if a drain, a recompute or an uncommitted write
       holds it, return "sibuk" — the holder's own drain, or the sweep, covers these events).
    2. Lock up to `batas` pending events in id order (FOR UPDATE SKIP LOCKED).
    3. Recompute every indicator those topics make stale (registry.untuk_topik) from the village's current
       state, upsert the facts of the current month, append one Aktivitas row per shown topic.
    4. Mark the events published; StatusDesa: terakhir_aktif = newest event time, outbox_tertunda_sejak
       cleared when nothing remains (else another drain is enqueued on commit).
    Idempotent: facts come from the state, not the events, unchanged facts are not rewritten and feed rows
    are keyed by (topic, newest event time, count); a worker killed mid-way commits nothing and the retry
    (acks_late) computes the same rows. `setelah_hitung` is a test hook called after the facts are written.
    """
    schema = current_schema()
    village = _village_aktif()
    if village is None:
        raise RuntimeError(f"outbox_drain must run inside a village schema, not {schema!r}")
    with transaction.atomic():
        if not facts.kunci_status_desa(village_id=village.pk):
            return HasilDrain(schema=schema, status="sibuk")
        events = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(published_at__isnull=True)
            .order_by("id")
            .values_list("id", "topic", "created_at")[:batas]
        )
        now = timezone.now()
        if not events:
            StatusDesa.objects.filter(pk=village.pk).update(outbox_tertunda_sejak=None)
            return HasilDrain(schema=schema, status="kosong")
        topik = Counter(topic for _, topic, _ in events)
        terbaru: dict[str, dt.datetime] = {}
        for _, topic, created in events:
            terbaru[topic] = max(terbaru.get(topic, created), created)
        aktif = max(terbaru.values())
        # Freshness first: kesegaran_hari reads it.
        status = StatusDesa.objects.get(pk=village.pk)
        if status.terakhir_aktif is None or status.terakhir_aktif < aktif:
            status.terakhir_aktif = aktif
        stale = {i.kunci: i for topic in topik for i in registry.untuk_topik(topic)}
        status.terakhir_dihitung = now
        status.save(update_fields=["terakhir_aktif", "terakhir_dihitung"])
        berubah = facts.desa_hitung(village_id=village.pk, indikator=stale.values(), computed_at=now)
        if setelah_hitung is not None:
            setelah_hitung()
        for topic, n in sorted(topik.items()):
            teks = feed.keterangan(topic, n)
            if teks is not None:
                facts.aktivitas_catat(
                    village_id=village.pk, jenis=topic, keterangan=teks, jumlah=n, waktu=terbaru[topic]
                )
        OutboxEvent.objects.filter(pk__in=[pk for pk, _, _ in events]).update(published_at=now)
        sisa = (
            OutboxEvent.objects.filter(published_at__isnull=True)
            .order_by("id")
            .values_list("created_at", flat=True)
            .first()
        )
        StatusDesa.objects.filter(pk=village.pk).update(outbox_tertunda_sejak=sisa)
        if sisa is not None:
            transaction.on_commit(_AntreDrain(village_id=village.pk, schema=schema))
    return HasilDrain(
        schema=schema,
        status="sisa" if sisa is not None else "selesai",
        events=len(events),
        topik=dict(topik),
        indikator=sorted(stale),
        berubah=berubah,
    )
