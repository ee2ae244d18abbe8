"""Per-village cache of the public portal's figures (default cache: its keys carry the village schema).

A cached value is keyed by two stamps, so it is never older than the last change it depends on:
- this module's generation, bumped by every write here (at once and again on commit);
- the newest outbox event id of the village: every service that changes something the province cares
  about (register, finance, letters ...) writes one in its transaction (architecture.md), so a change in
  another module changes the key too. One index-only `max(id)` per request.
Bulk loads that write no event (demo data) are picked up when the entry expires (`TTL`). A cache outage only
costs speed: reads fall back to computing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from platform_core.tenancy.schemas import current_schema, schema
from tenants.outbox.models import OutboxEvent

T = TypeVar("T")
TTL = 3600
GEN_KEY = "pembangunan:gen"
logger = logging.getLogger(__name__)


def stempel() -> str | None:
    """This village's current cache stamp (write generation, newest outbox event, date); None without cache."""
    base = _stempel()
    return None if base is None else f"{base}:{timezone.localdate():%Y%m%d}"


def _stempel() -> str | None:
    try:
        gen = cache.get(GEN_KEY)
        if gen is None:
            cache.add(GEN_KEY, 1, timeout=None)
            gen = cache.get(GEN_KEY) or 1
    except Exception:  # Redis down: no cache, never an error page
        return None
    outbox = OutboxEvent.objects.aggregate(m=Max("id"))["m"] or 0
    return f"{int(gen)}.{outbox}"


def ambil(nama: str, hitung: Callable[[], T], *, ttl: int = TTL, cap: str | None = None) -> T:
    """The cached value of `nama` for this village and its current stamp (or `cap`, the stamp the caller
    already read in this request), computed on a miss."""
    # Today's date is in the stamp: a project's status (terlambat) and ages move with the calendar.
    kunci = cap or stempel()
    if kunci is None:
        return hitung()
    key = f"pembangunan:{nama}:{kunci}"
    try:
        found = cache.get(key)
    except Exception:
        found = None
    if found is not None:
        return found  # type: ignore[no-any-return]
    value = hitung()
    try:
        cache.set(key, value, timeout=ttl)
    except Exception:
        logger.warning("portal cache unavailable", exc_info=True)
    return value


def _naik() -> None:
    try:
        if not cache.add(GEN_KEY, 2, timeout=None):
            cache.incr(GEN_KEY)
    except Exception:
        logger.warning("portal cache unavailable; generation not bumped", exc_info=True)


def batalkan() -> None:
    """Invalidate this village's cached portal figures now and once more when the transaction commits."""
    _naik()
    nama_skema = current_schema()

    def on_commit() -> None:
        if current_schema() == nama_skema:
            _naik()
        else:
            with schema(nama_skema):
                _naik()

    transaction.on_commit(on_commit)
