"""Behind nginx / an Ingress the client's address comes from X-Forwarded-For, but only via a trusted proxy."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import Client

from platform_core.observability import proxy
from tests.conftest import Villages

NETS = (ipaddress.ip_network("172.16.0.0/12"), ipaddress.ip_network("10.0.0.0/8"))


@pytest.mark.parametrize(
    ("remote", "xff", "client"),
    [
        ("172.18.0.5", "203.0.113.7", "203.0.113.7"),  # nginx at the edge overwrites the header
        ("10.1.0.3", "198.51.100.1, 203.0.113.7, 10.2.0.9", "203.0.113.7"),  # ingress chain appends; spoof ignored
        ("203.0.113.9", "127.0.0.1", "203.0.113.9"),  # not from a proxy: the header is ignored
        ("172.18.0.5", "", "172.18.0.5"),  # Prometheus scraping the pod directly
        ("172.18.0.5", "bukan-ip", "172.18.0.5"),
        ("172.18.0.5", "10.0.0.1, 10.0.0.2", "10.0.0.1"),  # only proxies: the first hop
    ],
)
def test_client_address(remote: str, xff: str, client: str) -> None:
    assert proxy.client_address(remote, xff, NETS) == client


def test_off_without_trusted_proxies() -> None:
    assert proxy.client_address("172.18.0.5", "203.0.113.7", ()) == "172.18.0.5"


def test_metrics_through_the_proxy_see_the_outside_client(
    villages: Villages, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/metrics allows loopback; a visitor forwarded by a loopback proxy is not loopback."""
    monkeypatch.delenv("BALAI_METRICS_TOKEN", raising=False)
    monkeypatch.setenv("BALAI_TRUSTED_PROXIES", "127.0.0.0/8")
    proxy.trusted.cache_clear()
    try:
        assert Client().get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 404
        assert Client().get("/metrics").status_code == 200
    finally:
        monkeypatch.delenv("BALAI_TRUSTED_PROXIES")
        proxy.trusted.cache_clear()
