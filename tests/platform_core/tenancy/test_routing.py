"""Host -> village routing: cached, invalidated on change, one search_path per request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from platform_core.tenancy import routing
from platform_core.tenancy.models import Domain
from platform_core.tenancy.schemas import village_context
from tests.conftest import Villages, host_of, resident_create, signed_in


@pytest.fixture(autouse=True)
def fresh_routing() -> Iterator[None]:
    """Each test starts and ends with an empty host cache (no stale entry leaks out)."""
    routing.invalidate()
    yield
    routing.invalidate()


def test_steady_state_lookup_costs_no_query(villages: Villages, db: None) -> None:
    host = host_of(villages.a)
    with CaptureQueriesContext(connection) as first:
        assert routing.lookup(host) == villages.a
    misses = [q["sql"] for q in first.captured_queries if not q["sql"].upper().startswith("SET SEARCH_PATH")]
    assert len(misses) == 1, misses  # the miss: one Domain join
    with CaptureQueriesContext(connection) as second:
        for _ in range(50):
            assert routing.lookup(host) == villages.a
    assert len(second) == 0


def test_steady_state_request_costs_no_query(villages: Villages, db: None) -> None:
    """The village home page does no query itself, so a warm request does none at all."""
    client = Client(HTTP_HOST=host_of(villages.a))
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as warm:
        response = client.get("/")
    assert response.status_code == 200
    assert "Bumi Jaya" in response.content.decode()
    assert [q["sql"] for q in warm.captured_queries] == []


def test_unknown_hosts_are_cached_negatively(villages: Villages, db: None) -> None:
    assert routing.lookup("tidakada.localhost") is None
    with CaptureQueriesContext(connection) as again:
        assert routing.lookup("tidakada.localhost") is None
    assert len(again) == 0


def test_domain_rename_takes_effect_immediately(villages: Villages, db: None) -> None:
    old_host = host_of(villages.b)
    new_host = "kedaton-baru.localhost"
    client = Client()
    assert client.get("/", HTTP_HOST=old_host).status_code == 200  # warm the cache
    domain = Domain.objects.get(domain=old_host)
    domain.domain = new_host
    domain.save()  # post_save clears this process's cache and bumps the shared generation

    gone = client.get("/", HTTP_HOST=old_host)
    assert gone.status_code == 404
    assert "Desa tidak ditemukan" in gone.content.decode()
    moved = client.get("/", HTTP_HOST=new_host)
    assert moved.status_code == 200
    assert "Kedaton" in moved.content.decode()


def test_domain_change_reaches_other_processes_through_redis(villages: Villages, db: None) -> None:
    """Another process's cache (a second HostCache) drops its entries when the generation moves."""
    other = routing.HostCache()
    assert other.get("x.localhost") is routing._MISSING  # first look: learns the current generation
    other.put("x.localhost", villages.a)
    other._checked_at = 0.0
    assert other.get("x.localhost") == villages.a  # generation unchanged: the entry stays

    with village_context(villages.b):
        routing.invalidate()  # what a Domain save does, here from inside a village's request
    other._checked_at = 0.0  # pretend the once-a-second check is due
    assert other.get("x.localhost") is routing._MISSING  # seen from the apex / other villages too


def test_village_delete_and_domain_delete_invalidate(villages: Villages, db: None) -> None:
    host = host_of(villages.b)
    assert routing.lookup(host) == villages.b
    Domain.objects.filter(domain=host).first().delete()  # type: ignore[union-attr]
    assert routing.lookup(host) is None


@pytest.mark.parametrize(
    "host",
    ["tidakada.localhost", "bumi-jaya.localhost", "a.b.localhost", "evil.example.com", "localhost.evil.com"],
)
def test_unknown_host_gets_indonesian_404_page(villages: Villages, db: None, host: str) -> None:
    client = Client(raise_request_exception=True)
    response = client.get("/operator/", HTTP_HOST=host)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Desa tidak ditemukan" in body
    assert "Traceback" not in body
    assert 'lang="id"' in body or "Balai" in body


def test_apex_routes_to_province(villages: Villages, db: None) -> None:
    response = Client(HTTP_HOST="localhost").get("/")
    assert response.status_code == 200
    assert response.wsgi_request.tenant is None  # type: ignore[attr-defined]


@contextmanager
def search_path_statements() -> Iterator[list[str]]:
    """Every SQL statement sent on the current connection, read at the psycopg cursor.

    django-tenants sends `SET search_path` on the raw cursor, below Django's query
    log, so count it where psycopg executes.
    """
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    base = raw.cursor_factory
    seen: list[str] = []

    class Counting(base):  # type: ignore[valid-type, misc]
        def execute(self, query, params=None, **kwargs):  # type: ignore[no-untyped-def]
            seen.append(str(query) if not hasattr(query, "as_string") else query.as_string(self))
            return super().execute(query, params, **kwargs)

    raw.cursor_factory = Counting
    try:
        yield seen
    finally:
        raw.cursor_factory = base


def test_search_path_set_once_per_request(villages: Villages, db: None) -> None:
    with village_context(villages.a):
        resident_create(nama="Warga Satu", nik="1801174506900001", no_kk="1801170101100001")
    client = signed_in("operator_a", host_of(villages.a))
    client.get("/operator/")
    with search_path_statements() as seen:
        response = client.get("/operator/penduduk/")
    assert response.status_code == 200
    assert "Warga Satu" in response.content.decode()
    sets = [s for s in seen if s.upper().startswith("SET SEARCH_PATH")]
    others = [s for s in seen if not s.upper().startswith("SET SEARCH_PATH")]
    assert len(others) >= 3, others  # session, user, roles, residents...
    assert len(sets) == 1, seen
    assert villages.a.schema_name in sets[0]


def test_search_path_counter_sees_every_set(villages: Villages, db: None, settings: Settings) -> None:
    """Control for the test above: without TENANT_LIMIT_SET_CALLS each cursor sends its own SET."""
    settings.TENANT_LIMIT_SET_CALLS = False
    client = signed_in("operator_a", host_of(villages.a))
    with search_path_statements() as seen:
        assert client.get("/operator/penduduk/").status_code == 200
    assert len([s for s in seen if s.upper().startswith("SET SEARCH_PATH")]) > 1
