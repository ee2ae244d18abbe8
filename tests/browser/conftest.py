"""A real web server for browser tests: gunicorn on a free port, on the test database.

The `villages` fixture commits its villages and users, so a separate server process
(its own connections) sees them. The server is killed when the module's tests end,
whatever happened.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings

from tests.conftest import Villages

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"


def database_url() -> str:
    """URL of the test database (NAME is test_… once pytest-django set it up)."""
    db = settings.DATABASES["default"]
    auth = quote(str(db.get("USER") or ""), safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(str(db["PASSWORD"]), safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{quote(str(db['NAME']), safe='')}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_listening(proc: subprocess.Popen[bytes], port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not listen on {port} within {timeout} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group (master and workers), SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=5)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (make browser) to run browser tests")
    return CHROMIUM


@pytest.fixture(scope="module")
def gunicorn_server(villages: Villages, chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL template 'http://{host}:<port>' of a gunicorn serving the test database."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "BASE_DOMAIN": "localhost",
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "platform_core.settings",
        "BALAI_PROCESS": "balai-browser-test",
    }
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    cmd = [gunicorn, "platform_core.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "30"]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        try:
            wait_until_listening(proc, port)
        except RuntimeError as exc:
            pytest.fail(f"{exc}\n--- gunicorn log ---\n{log_path.read_text(errors='replace')[-4000:]}")
        yield f"http://{{host}}:{port}"
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def browser(gunicorn_server: str, chromium_path: str) -> Iterator[Any]:
    """Headless Chromium; starts after the server so no ORM call runs inside Playwright's event loop."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
