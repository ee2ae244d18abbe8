"""/metrics: bounded labels (view, status, kabupaten; never the village), refused to strangers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from platform_core.observability import metrics
from tests.conftest import Villages, host_of


def samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def scrape(**extra: str) -> str:
    response = Client().get("/metrics", **extra)  # type: ignore[arg-type]
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture(autouse=True)
def _no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BALAI_METRICS_TOKEN", raising=False)
    monkeypatch.delenv("BALAI_METRICS_NETWORKS", raising=False)
    metrics.reset_for_tests()


def test_requests_are_counted_by_view_status_and_kabupaten_never_by_village(villages: Villages, db: None) -> None:
    key = (("method", "GET"), ("status", "200"), ("view", "village-home"))
    before = samples(scrape(), "balai_http_requests_total").get(key, 0.0)
    kab_a = (("kabupaten", villages.a.kabupaten_kode), ("status_class", "2xx"))
    kab_before = samples(scrape(), "balai_http_requests_kabupaten_total").get(kab_a, 0.0)
    for village in (villages.a, villages.b, villages.a):
        assert Client(HTTP_HOST=host_of(village)).get("/").status_code == 200
    assert Client(HTTP_HOST=host_of(villages.a)).get("/tidak-ada/").status_code == 404
    text = scrape()
    assert samples(text, "balai_http_requests_total")[key] == before + 3
    assert samples(text, "balai_http_requests_kabupaten_total")[kab_a] == kab_before + 2
    assert (("method", "GET"), ("status", "404"), ("view", "unmatched")) in samples(text, "balai_http_requests_total")
    assert samples(text, "balai_http_request_duration_seconds_count")[(("view", "village-home"),)] >= 3
    for village in (villages.a, villages.b):  # no village label anywhere
        for needle in (village.slug, village.kode, village.schema_name):
            assert needle not in text
    assert "/sehat/" not in text  # probes are not counted


def test_metrics_refused_outside_the_allowed_networks(villages: Villages, db: None) -> None:
    response = Client().get("/metrics", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 404
    assert b"balai_" not in response.content
    assert Client(HTTP_HOST="10.0.0.5:8000").get("/metrics").status_code == 200  # loopback client, pod IP host


def test_metrics_with_a_token_need_the_token_from_anywhere(
    villages: Villages, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BALAI_METRICS_TOKEN", "rahasia-prometheus")
    assert Client().get("/metrics").status_code == 404  # loopback is not enough any more
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer salah").status_code == 404
    ok = Client().get("/metrics", REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer rahasia-prometheus")
    assert ok.status_code == 200
    assert b"balai_http_requests_total" in ok.content


def test_networks_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BALAI_METRICS_NETWORKS", "10.0.0.0/8, fd00::/8")
    metrics.reset_for_tests()
    assert metrics.authorised(authorization="", remote_addr="10.42.0.9")
    assert metrics.authorised(authorization="", remote_addr="fd00::1")
    assert not metrics.authorised(authorization="", remote_addr="127.0.0.1")
    assert not metrics.authorised(authorization="", remote_addr="bukan-ip")


CHILD = """
import sys
from platform_core.observability import metrics
for _ in range(int(sys.argv[1])):
    metrics.observe_request(view="uji", method="GET", status=200, kabupaten="18.01", seconds=0.01)
metrics.observe_task(queue="outbox", task="uji.tugas", state="failure", seconds=0.5)
"""
READER = """
from platform_core.observability import metrics
print(metrics.exposition().decode())
"""


def test_multiprocess_mode_sums_every_process(tmp_path: Path) -> None:
    """As under gunicorn: each process writes its own files, a scrape merges them."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for count in ("3", "4"):
        subprocess.run([sys.executable, "-c", CHILD, count], env=env, check=True, timeout=60)
    assert len({p.name.rsplit("_", 1)[-1] for p in tmp_path.glob("counter_*.db")}) == 2  # two pids
    text = subprocess.run(
        [sys.executable, "-c", READER], env=env, check=True, timeout=60, capture_output=True, text=True
    ).stdout
    assert samples(text, "balai_http_requests_total")[(("method", "GET"), ("status", "200"), ("view", "uji"))] == 7
    failed = (("queue", "outbox"), ("state", "failure"), ("task", "uji.tugas"))
    assert samples(text, "balai_celery_tasks_total")[failed] == 2
    assert samples(text, "balai_celery_task_duration_seconds_count")[(("queue", "outbox"),)] == 2


def test_head_requests_carry_no_body() -> None:
    """(Django's test client strips HEAD bodies itself; gunicorn does not, so the middleware does.)"""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from platform_core.observability.middleware import ObservabilityMiddleware

    middleware = ObservabilityMiddleware(lambda request: HttpResponse("isi halaman"))
    assert middleware(RequestFactory().head("/x/")).content == b""
    assert middleware(RequestFactory().get("/x/")).content == b"isi halaman"
