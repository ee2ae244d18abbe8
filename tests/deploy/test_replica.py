"""Read-replica routing (docs/scale-out.md): province GET pages read the aggregate tables from the
`replica` alias when DATABASE_REPLICA_URL is set; writes, sign-in, village sites never do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from platform_core import replica
from platform_core.accounts.models import User
from platform_core.facts.models import Ringkasan
from platform_core.tenancy.models import Village
from platform_core.wilayah.models import Kabupaten
from tests.conftest import Villages

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


def test_router_sends_aggregate_reads_to_the_replica_only_inside_replica_reads(configured: None) -> None:
    router = replica.ReplicaRouter()
    assert router.db_for_read(Ringkasan) is None  # outside: primary
    with replica.replica_reads():
        assert router.db_for_read(Ringkasan) == "replica"
        assert router.db_for_read(Kabupaten) == "replica"
        assert router.db_for_read(Village) == "replica"
        assert router.db_for_read(User) is None  # sign-in, sessions, roles: primary
        assert router.db_for_write(Ringkasan) is None
    assert router.allow_migrate("replica", "facts") is False
    assert router.allow_migrate("default", "facts") is None


def test_router_does_nothing_without_a_replica() -> None:
    with replica.replica_reads():
        assert replica.ReplicaRouter().db_for_read(Ringkasan) is None


def seen_by(middleware_request: HttpRequest) -> bool:
    box: dict[str, bool] = {}

    def view(request: HttpRequest) -> HttpResponse:
        box["replica"] = replica._reads.get()
        return HttpResponse()

    get_response: Callable[[HttpRequest], HttpResponse] = view
    replica.ReplicaReadsMiddleware(get_response)(middleware_request)
    return box["replica"]


def test_middleware_opens_replica_reads_for_province_get_pages_on_the_apex(configured: None) -> None:
    factory = RequestFactory()

    def request(method: str, path: str, tenant: object = None) -> HttpRequest:
        req = getattr(factory, method)(path)
        req.tenant = tenant
        return req  # type: ignore[no-any-return]

    assert seen_by(request("get", "/konsol/kabupaten/18.01/"))
    assert seen_by(request("get", "/api/provinsi/desa/"))
    assert seen_by(request("get", "/data/"))
    assert not seen_by(request("post", "/konsol/idm/impor/"))  # writes
    assert not seen_by(request("get", "/masuk/"))  # sign-in
    assert not seen_by(request("get", "/konsol/", tenant=object()))  # a village host
    assert replica._reads.get() is False


SCRIPT = """
import json, django
django.setup()
from django.db import connections
from platform_core.replica import replica_reads
from platform_core.facts.models import Ringkasan
from platform_core.accounts.models import User
seen = []
def spy(alias):
    def wrapper(execute, sql, params, many, context):
        table = sql.split(" FROM ", 1)[-1].split()[0].strip('"') if " FROM " in sql else ""
        if table in {"facts_ringkasan", "accounts_user"}:
            seen.append([alias, table])
        return execute(sql, params, many, context)
    return wrapper
with connections["replica"].execute_wrapper(spy("replica")), connections["default"].execute_wrapper(spy("default")):
    with replica_reads():
        list(Ringkasan.objects.all()[:1])
        list(User.objects.all()[:1])
    list(Ringkasan.objects.all()[:1])
print(json.dumps({"seen": seen, "aliases": sorted(connections.settings)}))
"""


def test_with_database_replica_url_reads_really_go_to_the_replica_alias(villages: Villages, db: None) -> None:
    """A real process with DATABASE_REPLICA_URL set (pointing at the same test database)."""
    db_settings = settings.DATABASES["default"]
    url = f"postgres://{db_settings['USER']}@{db_settings['HOST']}:{db_settings['PORT']}/{db_settings['NAME']}"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "DATABASE_REPLICA_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["aliases"] == ["default", "replica"]
    assert out["seen"] == [
        ["replica", "facts_ringkasan"],
        ["default", "accounts_user"],
        ["default", "facts_ringkasan"],
    ]
