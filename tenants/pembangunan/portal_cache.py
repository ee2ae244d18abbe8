"""Per-village cache of the public portal's figures (default cache: its keys carry the village schema).

Every write of this module bumps the village's generation (at once and again on commit), so cached
figures are never older than the last write; figures from other modules (finance, register, letters)
also expire after `TTL` seconds. A cache outage only costs speed: reads fall back to computing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

from platform_core.tenancy.schemas import current_schema, schema

T = TypeVar("T")
TTL = 60
GEN_KEY = "pembangunan:gen"
logger = logging.getLogger(__name__)


def _generasi() -> int:
    try:
        gen = cache.get(GEN_KEY)
        if gen is None:
            cache.add(GEN_KEY, 1, timeout=None)
            gen = cache.get(GEN_KEY) or 1
        return int(gen)
    except Exception:  # Redis down: no cache, never an error page
        return -1


def ambil(nama: str, hitung: Callable[[], T], *, ttl: int = TTL) -> T:
    """The cached value of `nama` for this village and generation, computed on a miss."""
    gen = _generasi()
    if gen < 0:
        return hitung()
    key = f"pembangunan:{nama}:{gen}"
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
