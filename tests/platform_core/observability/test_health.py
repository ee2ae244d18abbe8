"""/sehat/ and /siap/: any host, JSON, no personal data, honest about what is down."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from platform_core.observability import health
from tests.conftest import Villages, host_of


@pytest.fixture(autouse=True)
def _fresh_probe_state() -> Iterator[None]:
    health.reset_for_tests()
    yield
    health.reset_for_tests()


def hosts(villages: Villages) -> list[str]:
    # apex, a village, an unknown subdomain, and a pod IP as the kubelet sends it
    return ["localhost", host_of(villages.a), "tidakada.localhost", "10.1.2.3:8000", "balai-web"]


def test_liveness_answers_on_any_host_without_the_database(
    villages: Villages, db: None, django_assert_num_queries: object
) -> None:
    for host in hosts(villages):
        with django_assert_num_queries(0):  # type: ignore[operator]
            response = Client(HTTP_HOST=host).get("/sehat/")
        assert response.status_code == 200, host
        assert response.json() == {"status": "ok"}
        assert response["Cache-Control"] == "no-store"


def test_readiness_checks_database_redis_and_migrations_on_any_host(villages: Villages, db: None) -> None:
    for host in hosts(villages):
        response = Client(HTTP_HOST=host).get("/siap/")
        assert response.status_code == 200, (host, response.content)
        body = response.json()
        assert body["status"] == "ok"
        assert body["checks"]["database"]["ok"] and body["checks"]["database"]["migrations"] == "ok"
        assert body["checks"]["redis"]["ok"]
        assert set(body) == {"status", "checks"}


def test_readiness_is_cheap_once_migrations_were_seen_at_target(
    villages: Villages, db: None, django_assert_max_num_queries: object
) -> None:
    Client().get("/siap/")
    with django_assert_max_num_queries(4):  # type: ignore[operator]  # SAVEPOINT, SET LOCAL, SELECT 1, RELEASE
        assert Client().get("/siap/").status_code == 200


def test_readiness_fails_when_redis_is_unreachable(villages: Villages, db: None, settings: Settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # discard port: nothing listens
    health.reset_for_tests()
    response = Client().get("/siap/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["redis"] == {"ok": False, "error": "ConnectionError", "ms": body["checks"]["redis"]["ms"]}
    assert body["checks"]["database"]["ok"]


def test_readiness_fails_while_a_migration_is_pending(
    villages: Villages, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    public, tenant = health.expected_migrations()
    monkeypatch.setattr(
        health, "expected_migrations", lambda: (public, tenant | {("penduduk", "9999_belum_dijalankan")})
    )
    response = Client(HTTP_HOST=host_of(villages.a)).get("/siap/")
    assert response.status_code == 503
    database = response.json()["checks"]["database"]
    assert database["migrations"] == "pending"
    assert database["pending"] == 1
    assert database["first"] == ["penduduk.9999_belum_dijalankan"]


def test_expected_migrations_split_public_and_template() -> None:
    public, tenant = health.expected_migrations()
    assert ("tenancy", "0001_initial") in public
    assert ("penduduk", "0001_initial") in tenant
    assert not {app for app, _ in public} & {app for app, _ in tenant}


def test_probes_are_not_redirected_to_https_in_production_mode(
    villages: Villages, db: None, settings: Settings
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/sehat/").status_code == 200
    assert Client().get("/").status_code == 301  # control: everything else is
