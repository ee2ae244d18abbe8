"""Liveness (/sehat/) and readiness (/siap/): JSON, no personal data, no per-village work.

- /sehat/: the process answers. No database, no Redis: a database outage must not make
  the orchestrator restart every web process (that would only add reconnect storms).
- /siap/: this process can serve: PostgreSQL answers within a short statement timeout,
  Redis answers PING, and the migrations this code expects are applied in `public`
  (shared apps) and in the template schema (tenant apps). A new release's pods become
  ready only once its migration Job has run; old pods stay ready during the rollout,
  because they only need a subset of what is applied (expand/contract migrations).

Once the migrations were found at target, a process does not read django_migrations
again (they only ever move forward under it): later probes cost one `SELECT 1` and one
PING.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from typing import Any

import redis
from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.http import HttpRequest, JsonResponse

DB_TIMEOUT_MS = 2000
REDIS_TIMEOUT_S = 1.0
NO_STORE = "no-store"

_migrations_ok = False


def sehat(request: HttpRequest) -> JsonResponse:
    response = JsonResponse({"status": "ok"})
    response["Cache-Control"] = NO_STORE
    return response


def siap(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, Any]] = {}
    for name, check in (("database", _check_database), ("redis", _check_redis)):
        start = time.perf_counter()
        try:
            result = check()
        except Exception as exc:  # any failure means "not ready"; the kind is enough
            result = {"ok": False, "error": type(exc).__name__}
        result["ms"] = round((time.perf_counter() - start) * 1000, 1)
        checks[name] = result
    ready = all(c["ok"] for c in checks.values())
    response = JsonResponse({"status": "ok" if ready else "fail", "checks": checks}, status=200 if ready else 503)
    response["Cache-Control"] = NO_STORE
    return response


@cache
def expected_migrations() -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    """(public, template): every migration on disk of the shared / tenant apps. Once per process."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True, load=False)
    loader.load_disk()

    def labels(names: list[str]) -> set[str]:
        return {c.label for c in apps.get_app_configs() if c.name in names}

    shared, tenant = labels(settings.SHARED_APPS), labels(settings.TENANT_APPS)
    on_disk = set(loader.disk_migrations)
    return (
        frozenset(k for k in on_disk if k[0] in shared),
        frozenset(k for k in on_disk if k[0] in tenant),
    )


def _check_database() -> dict[str, Any]:
    global _migrations_ok  # noqa: PLW0603  # a per-process latch, see the module docstring
    template = settings.TEMPLATE_SCHEMA_NAME
    with transaction.atomic(using="default"), connections["default"].cursor() as cur:
        cur.execute(f"SET LOCAL statement_timeout = {DB_TIMEOUT_MS}")
        if _migrations_ok:
            cur.execute("SELECT 1")
            return {"ok": True, "migrations": "ok"}
        cur.execute(
            "SELECT 'public', app, name FROM public.django_migrations "
            f"UNION ALL SELECT 'template', app, name FROM \"{template}\".django_migrations"
        )
        applied: dict[str, set[tuple[str, str]]] = {"public": set(), "template": set()}
        for where, app, name in cur.fetchall():
            applied[where].add((app, name))
    public, tenant = expected_migrations()
    pending = sorted(public - applied["public"]) + sorted(tenant - applied["template"])
    if pending:
        return {
            "ok": False,
            "migrations": "pending",
            "pending": len(pending),
            "first": [f"{app}.{name}" for app, name in pending[:5]],
        }
    _migrations_ok = True
    return {"ok": True, "migrations": "ok"}


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=REDIS_TIMEOUT_S, socket_timeout=REDIS_TIMEOUT_S
    )


def _check_redis() -> dict[str, Any]:
    return {"ok": bool(_redis().ping())}


def reset_for_tests() -> None:
    global _migrations_ok  # noqa: PLW0603
    _migrations_ok = False
    for cached in (expected_migrations, _redis):
        getattr(cached, "cache_clear", lambda: None)()  # a test may have replaced it


PROBES: dict[str, Callable[[HttpRequest], JsonResponse]] = {"/sehat/": sehat, "/siap/": siap}
