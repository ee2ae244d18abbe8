"""A village operator signs in with a real browser and sees their village's home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from platform_core.accounts import throttle
from platform_core.tenancy.schemas import village_context
from tests.conftest import PASSWORD, Villages, host_of

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
BALAI_TEAL = "rgb(15, 118, 110)"  # --balai-primary: proves balai.css and Bootstrap came from /static/


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")


def test_operator_signs_in_and_sees_village_home(
    villages: Villages, gunicorn_server: str, browser: Any, artifacts: Path
) -> None:
    base_a = gunicorn_server.format(host=host_of(villages.a))
    context = browser.new_context(viewport=PHONE, locale="en-US")  # an English phone still gets Indonesian
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        # given the operator of village A on A's sign-in page, when they sign in
        sign_in(page, base_a, "operator_a")

        # then they land on the operator home with their village's name
        page.wait_for_url(f"{base_a}/operator/", timeout=10_000)
        brand = page.locator("[data-testid=village-name]")
        assert villages.a.nama in brand.inner_text()
        assert page.locator("h1").inner_text() == "Beranda operator"
        assert page.locator("[data-testid=jumlah-penduduk]").is_visible()
        navbar_bg = page.eval_on_selector("nav.navbar", "el => getComputedStyle(el).backgroundColor")
        assert navbar_bg == BALAI_TEAL
        page.screenshot(path=str(artifacts / "operator-home.png"), full_page=True)

        # the phone menu (Bootstrap offcanvas) opens and holds the navigation and Keluar
        page.click("button.navbar-toggler")
        page.locator("#operator-nav.show").wait_for(timeout=5_000)
        assert page.locator("#operator-nav").get_by_role("link", name="Penduduk", exact=True).is_visible()
        page.screenshot(path=str(artifacts / "operator-home-menu.png"))

        page.set_viewport_size(DESKTOP)
        page.reload()
        assert page.locator("button.navbar-toggler").is_hidden()
        assert page.locator("#operator-nav").get_by_role("link", name="Penduduk", exact=True).is_visible()
        page.screenshot(path=str(artifacts / "operator-home-desktop.png"), full_page=True)
        assert errors == []

        # A's session cookie is host-only: on B's subdomain the operator is not signed in
        base_b = gunicorn_server.format(host=host_of(villages.b))
        page.goto(f"{base_b}/operator/")
        assert page.url.startswith(f"{base_b}/masuk/")
    finally:
        context.close()


class _Localhost:
    META = {"REMOTE_ADDR": "127.0.0.1"}  # where the browser's requests come from, as gunicorn sees them


@pytest.fixture
def forget_failed_sign_in(villages: Villages) -> Iterator[None]:
    """The refused sign-in counts towards operator_a's lockout on B (shared Redis); leave no trace."""
    yield
    with village_context(villages.b):  # cache keys carry the schema of the request
        throttle.reset(_Localhost(), "operator_a")  # type: ignore[arg-type]  # only META is read


@pytest.mark.usefixtures("forget_failed_sign_in")
def test_operator_is_refused_on_another_village(villages: Villages, gunicorn_server: str, browser: Any) -> None:
    base_b = gunicorn_server.format(host=host_of(villages.b))
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        # given the operator of village A, when they sign in on village B's site
        sign_in(page, base_b, "operator_a")

        # then B refuses them with the Indonesian message and they stay signed out
        page.wait_for_load_state()
        assert page.url == f"{base_b}/masuk/"
        assert "salah" in page.locator(".alert-danger").inner_text()
        page.goto(f"{base_b}/operator/")
        assert page.url.startswith(f"{base_b}/masuk/")
    finally:
        context.close()
