"""The client's address behind nginx / an Ingress.

Behind a reverse proxy REMOTE_ADDR is the proxy's address, so the sign-in throttle
(30 failures per address) would lock out the whole province at once and /metrics'
network rule would see every visitor as internal. When the direct peer is a trusted
proxy (BALAI_TRUSTED_PROXIES, CIDRs; empty = no proxy, the default), REMOTE_ADDR becomes
the rightmost address of X-Forwarded-For that is not itself a trusted proxy.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponseBase

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def trusted() -> tuple[Network, ...]:
    raw = os.environ.get("BALAI_TRUSTED_PROXIES", "")
    return tuple(ipaddress.ip_network(n.strip(), strict=False) for n in raw.split(",") if n.strip())


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(remote_addr: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    if not networks or not forwarded_for or not _is_trusted(remote_addr, networks):
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote_addr  # garbage in the header: keep the proxy's address
    return hops[0] if hops else remote_addr


class TrustedProxyMiddleware:
    """First in MIDDLEWARE, so the throttle, /metrics and the logs see the real client."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        networks = trusted()
        if networks:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), networks
            )
        return self.get_response(request)
