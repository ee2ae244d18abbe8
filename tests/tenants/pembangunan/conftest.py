"""Every test of the portal starts from fresh cached figures (the portal cache lives on in Redis)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from platform_core.tenancy import schemas
from tenants.pembangunan import portal_cache
from tests.conftest import Villages


@pytest.fixture(autouse=True)
def _portal_cache_fresh(villages: Villages) -> Iterator[None]:
    def bump() -> None:
        for village in (villages.a, villages.b):
            with schemas.village_context(village):
                portal_cache._naik()

    bump()
    yield
    bump()


# The browser test of the portal uses the real server and Chromium of tests/browser.
from tests.browser.conftest import artifacts, browser, chromium_path, gunicorn_server  # noqa: E402, F401
