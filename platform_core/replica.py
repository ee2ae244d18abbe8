"""Read-replica routing for the province layer (docs/scale-out.md).

When DATABASE_REPLICA_URL is set, settings add a `replica` database alias and this
router. Reads of the public-schema aggregate tables (facts, wilayah, tenancy) go to the
replica only inside `replica_reads()`, which ReplicaReadsMiddleware opens for GET/HEAD
requests to the province pages on the apex (/konsol/, /api/provinsi/, /data/).
Everything else — writes, sign-in, sessions, village sites, workers, migrations — stays
on the primary. A replica lags its primary: read there only what may be a little old.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase

REPLICA = "replica"
#: Apps whose tables hold only aggregates and reference data of the public schema.
REPLICA_APPS = frozenset({"facts", "wilayah", "tenancy"})
#: Province pages that only read: dashboards, consoles, their API, open data.
REPLICA_PATHS = ("/konsol/", "/api/provinsi/", "/data/")

_reads: ContextVar[bool] = ContextVar("balai_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _reads.set(True)
    try:
        yield
    finally:
        _reads.reset(token)


class ReplicaRouter:
    """Listed before django-tenants' TenantSyncRouter; answers only for replica reads."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _reads.get() and model._meta.app_label in REPLICA_APPS and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        return None  # same data on both aliases: let the other routers decide

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None  # a replica is read-only; it follows the primary


class ReplicaReadsMiddleware:
    """After the routing middleware: province GET/HEAD pages on the apex read aggregates from
    the replica. Village hosts never do (request.tenant is set there)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            replica_configured()
            and request.method in {"GET", "HEAD"}
            and getattr(request, "tenant", None) is None
            and request.path_info.startswith(REPLICA_PATHS)
        ):
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)


def replica_database(url: str, default: dict[str, Any]) -> dict[str, Any]:
    """The `replica` alias: the primary's settings with the replica's address; tests mirror default."""
    import dj_database_url

    return {
        **default,
        **dj_database_url.parse(url),
        "ENGINE": default["ENGINE"],
        "OPTIONS": {**default.get("OPTIONS", {}), "application_name": "balai-replica-read"},
        "TEST": {"MIRROR": "default"},
    }
