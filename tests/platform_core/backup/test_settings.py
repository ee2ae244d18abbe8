"""PostgreSQL settings for province scale, as the embedded server runs them, and connection limits per role."""

from __future__ import annotations

import pytest
from django.db import connection

from platform_core.runtime import servers

pytestmark = pytest.mark.django_db


def _show(name: str) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SHOW {name}")
        row = cur.fetchone()
        assert row is not None
        return str(row[0])


def test_the_embedded_server_runs_with_the_province_settings() -> None:
    assert int(_show("max_locks_per_transaction")) >= 1024
    assert _show("jit") == "off"
    assert _show("idle_in_transaction_session_timeout") == "10min"
    assert _show("wal_level") == "replica"
    assert _show("archive_mode") == "on"
    assert str(servers.wal_archive_dir()) in _show("archive_command")


def test_this_connection_has_the_limits_of_its_role() -> None:
    from django.conf import settings

    # the settings chose a role at start-up; the connection carries that role's limits
    max_age, options = servers.database_options(settings.BALAI_ROLE)
    assert connection.settings_dict["CONN_MAX_AGE"] == max_age
    expected = dict(part.split("=", 1) for part in options.replace("-c ", "").split())
    assert _show("statement_timeout") == expected["statement_timeout"]
    assert _show("lock_timeout") == expected["lock_timeout"]


@pytest.mark.parametrize(
    ("env", "role", "max_age", "options"),
    [
        ({}, "web", 300, "-c statement_timeout=30s -c lock_timeout=10s"),
        ({"BALAI_PROCESS": "balai-worker"}, "worker", 60, "-c statement_timeout=10min -c lock_timeout=30s"),
        ({"BALAI_ROLE": "maintenance"}, "maintenance", 0, "-c statement_timeout=0 -c lock_timeout=5min"),
        ({"BALAI_PROCESS": "balai-bench"}, "maintenance", 0, "-c statement_timeout=0 -c lock_timeout=5min"),
        ({"BALAI_ROLE": "web", "BALAI_CONN_MAX_AGE": "0", "BALAI_STATEMENT_TIMEOUT": "5s"}, "web", 0,
         "-c statement_timeout=5s -c lock_timeout=10s"),
    ],
)  # fmt: skip
def test_roles(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], role: str, max_age: int, options: str) -> None:
    for name in ("BALAI_ROLE", "BALAI_PROCESS", "BALAI_CONN_MAX_AGE", "BALAI_STATEMENT_TIMEOUT", "BALAI_LOCK_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert servers.process_role() == role
    assert servers.database_options(role) == (max_age, options)


def test_an_unknown_role_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BALAI_ROLE", "webb")
    with pytest.raises(RuntimeError, match="BALAI_ROLE"):
        servers.process_role()
