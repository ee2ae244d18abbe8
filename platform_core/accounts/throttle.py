"""Sign-in rate limit: failures counted per (client address, username) and per address in Redis.

Fails open when Redis is down (pages and sign-in keep working; trust.md "Redis down").
"""

from __future__ import annotations

import logging

from django.core.cache import BaseCache, caches
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def _cache() -> BaseCache:
    # Not the tenant-prefixed default cache: these keys are the same in every schema.
    return caches["platform"]


WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 30
LOCKED_MESSAGE = "Terlalu banyak percobaan masuk yang gagal. Tunggu 15 menit, lalu coba lagi."


def _address(request: HttpRequest | None) -> str:
    if request is None:
        return "-"
    return str(request.META.get("REMOTE_ADDR", "-"))


def _keys(request: HttpRequest | None, username: str) -> tuple[str, str]:
    address = _address(request)
    return f"balai:signin:{address}:{username.lower()}", f"balai:signin:{address}"


def is_locked(request: HttpRequest | None, username: str) -> bool:
    user_key, address_key = _keys(request, username)
    try:
        counts = _cache().get_many([user_key, address_key])
    except Exception:
        logger.warning("sign-in throttle unavailable", exc_info=True)
        return False
    return (
        int(counts.get(user_key, 0)) >= MAX_FAILURES_PER_USER
        or int(counts.get(address_key, 0)) >= MAX_FAILURES_PER_ADDRESS
    )


def record_failure(request: HttpRequest | None, username: str) -> None:
    for key in _keys(request, username):
        try:
            if not _cache().add(key, 1, timeout=WINDOW_SECONDS):
                _cache().incr(key)
        except Exception:
            logger.warning("sign-in throttle unavailable", exc_info=True)
            return


def reset(request: HttpRequest | None, username: str) -> None:
    try:
        _cache().delete(_keys(request, username)[0])
    except Exception:
        logger.warning("sign-in throttle unavailable", exc_info=True)


def clear_all() -> int:
    """Forget every recorded failure (an administrator's unlock; test sessions start clean)."""
    backend = _cache()
    client = backend._cache.get_client(None, write=True)  # type: ignore[attr-defined]  # RedisCache internals
    keys = list(client.scan_iter(match=backend.make_key("balai:signin:*")))
    if keys:
        client.delete(*keys)
    return len(keys)
