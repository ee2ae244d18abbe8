"""The web role as the image runs it: gunicorn with deploy/gunicorn.conf.py, two worker processes,
PROMETHEUS_MULTIPROC_DIR set. A scrape from either process sees the requests of both."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import Villages, host_of

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 24


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, host: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310  # our own loopback server
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        return response.status, response.read()


@pytest.fixture
def gunicorn(tmp_path: Path, villages: Villages) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    db = settings.DATABASES["default"]
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    (metrics_dir).mkdir()
    (metrics_dir / "counter_99999999.db").write_bytes(b"stale")  # a previous run's file: on_starting removes it
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "platform_core.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "BALAI_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "BALAI_LOG_JSON": "1",
        "BALAI_METRICS_TOKEN": "",
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            "deploy/gunicorn.conf.py",
            "platform_core.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(f"{base}/sehat/", "localhost")[0] == 200:
                break
        except OSError:
            pass
        assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
        assert time.monotonic() < deadline, "gunicorn did not answer /sehat/ in 60 s"
        time.sleep(0.3)
    yield base, tmp_path / "gunicorn.log", process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def test_metrics_under_gunicorn_sum_every_worker(
    gunicorn: tuple[str, Path, subprocess.Popen[bytes]], villages: Villages, db: None
) -> None:
    base, log, _ = gunicorn
    host = host_of(villages.a)
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(lambda _: get(f"{base}/", host)[0], range(REQUESTS)))
    assert statuses == [200] * REQUESTS
    status, body = get(f"{base}/siap/", "10.0.0.7:8000")  # as the kubelet calls it
    assert status == 200 and json.loads(body)["status"] == "ok"
    status, text = get(f"{base}/metrics", "10.0.0.7:8000")
    assert status == 200
    total = 0.0
    for family in text_string_to_metric_families(text.decode()):
        for sample in family.samples:
            if sample.name == "balai_http_requests_total" and sample.labels.get("view") == "village-home":
                total += sample.value
    assert total == REQUESTS  # both processes' counts, merged
    directory = log.parent / "metrics"
    assert len({p.stem.rsplit("_", 1)[-1] for p in directory.glob("counter_*.db")}) == 2, "one file per worker"
    assert not (directory / "counter_99999999.db").exists(), "a previous run's file is removed at start"
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert any(line["logger"] == "gunicorn.error" and line["desa"] == "-" for line in lines), lines[:5]
