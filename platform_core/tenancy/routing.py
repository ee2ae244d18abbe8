"""Host -> village resolution with a process-local cache.

Steady state costs no query: each process keeps hostname -> Village in memory.
Invalidation is a generation number in the shared cache (Redis), bumped whenever
a Village or Domain changes; a process looks at it at most once a second. If
Redis is down, entries still expire after HOST_CACHE_SECONDS.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)


def _cache() -> BaseCache:
    # Not the tenant-prefixed default cache: these keys are the same in every schema.
    return caches["platform"]


GENERATION_KEY = "balai:routing:generation"
GENERATION_CHECK_SECONDS = 1.0
NEGATIVE_SECONDS = 10.0

_MISSING = object()


class HostCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[Any, float]] = {}
        self._generation: int | None = None
        self._checked_at = 0.0

    def _current_generation(self) -> int | None:
        try:
            value = _cache().get(GENERATION_KEY)
        except Exception:  # Redis down: keep serving from memory, TTL still applies
            logger.warning("routing cache generation unavailable", exc_info=True)
            return self._generation
        return int(value or 0)

    def _sync_generation(self, now: float) -> None:
        if now - self._checked_at < GENERATION_CHECK_SECONDS:
            return
        self._checked_at = now
        generation = self._current_generation()
        if generation != self._generation:
            with self._lock:
                self._entries.clear()
                self._generation = generation

    def get(self, hostname: str) -> Any:
        now = time.monotonic()
        self._sync_generation(now)
        entry = self._entries.get(hostname)
        if entry is None or entry[1] < now:
            return _MISSING
        return entry[0]

    def put(self, hostname: str, route: Any) -> None:
        ttl = settings.HOST_CACHE_SECONDS if route is not None else NEGATIVE_SECONDS
        with self._lock:
            if len(self._entries) > 20000:
                self._entries.clear()
            self._entries[hostname] = (route, time.monotonic() + ttl)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
        self._checked_at = 0.0


host_cache = HostCache()


def generation() -> int:
    """The shared generation number (0 when never bumped or Redis is down)."""
    try:
        return int(_cache().get(GENERATION_KEY) or 0)
    except Exception:
        return 0


def invalidate() -> None:
    """Tell every process to drop its host cache (Village or Domain changed)."""
    host_cache.clear()
    try:
        try:
            _cache().incr(GENERATION_KEY)
        except ValueError:
            _cache().set(GENERATION_KEY, 1, timeout=None)
    except Exception:
        logger.warning("could not bump routing generation; other processes expire by TTL", exc_info=True)


def _on_change(**_: object) -> None:
    invalidate()


def connect_invalidation() -> None:
    from platform_core.tenancy.models import Domain, Village

    for model in (Village, Domain):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"routing-{model.__name__}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"routing-{model.__name__}-delete")


class Route:
    """What a hostname means: a village, and for an old (non-primary) domain where it moved to."""

    __slots__ = ("moved_to", "village")

    def __init__(self, village: Any, moved_to: str | None = None) -> None:
        self.village = village
        self.moved_to = moved_to


def resolve(hostname: str) -> Route | None:
    """The route for a hostname, or None. Cached; a miss costs one query (two for an old domain)."""
    found = host_cache.get(hostname)
    if found is not _MISSING:
        return found  # type: ignore[no-any-return]
    from platform_core.tenancy.models import Domain

    domain = (
        Domain.objects.select_related("tenant", "tenant__kecamatan", "tenant__kecamatan__kabupaten")
        .filter(domain=hostname)
        .first()
    )
    route = None
    if domain is not None:
        moved_to = None
        if not domain.is_primary:
            moved_to = (
                Domain.objects.filter(tenant_id=domain.tenant_id, is_primary=True)
                .values_list("domain", flat=True)
                .first()
            )
        route = Route(domain.tenant, moved_to)
    host_cache.put(hostname, route)
    return route


def lookup(hostname: str) -> Any:
    """The Village for a hostname (its primary or an old domain), or None."""
    route = resolve(hostname)
    return route.village if route is not None else None
