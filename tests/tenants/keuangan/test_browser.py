"""The finance operator pages on a phone, in a real browser (headless Chromium); screenshots kept under var/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from platform_core.tenancy.schemas import village_context
from tenants.keuangan.demo import isi_demo
from tenants.keuangan.models import Apbdes, BarisAnggaran, ImporSiskeudes, Transaksi
from tests.browser.conftest import artifacts, browser, chromium_path, gunicorn_server  # noqa: F401  # fixtures
from tests.conftest import PASSWORD, Villages, host_of

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
TAHUN = 2025


@pytest.fixture(scope="module")
def keuangan_a(villages: Villages, django_db_blocker: Any) -> Any:
    """Committed demo finance in A (the server is another process); set up before Playwright's event loop."""
    with django_db_blocker.unblock(), village_context(villages.a):
        isi_demo(TAHUN, TAHUN, 120, 300)
    yield
    with django_db_blocker.unblock(), village_context(villages.a):
        Transaksi.objects.all().delete()
        BarisAnggaran.objects.all().delete()
        Apbdes.objects.all().delete()
        ImporSiskeudes.objects.all().delete()


WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-responsive, .offcanvas'))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px phone: {page.evaluate(WIDEST)}"


def test_operator_reads_budget_and_report_on_a_phone(
    keuangan_a: None,
    villages: Villages,
    gunicorn_server: str,  # noqa: F811
    browser: Any,  # noqa: F811
    artifacts: Path,  # noqa: F811
) -> None:
    base = gunicorn_server.format(host=host_of(villages.a))
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{base}/masuk/")
        page.fill("input[name=username]", "operator_a")
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{base}/operator/", timeout=10_000)

        page.goto(f"{base}/operator/keuangan/")
        assert page.locator("[data-testid=tahun-list]").inner_text().count(str(TAHUN)) >= 1
        _no_sideways_scroll(page)
        page.screenshot(path=str(artifacts / "keuangan-index.png"), full_page=True)

        page.click(f"text={TAHUN}")
        page.wait_for_url(f"{base}/operator/keuangan/{TAHUN}/")
        assert "Belanja per bidang" in page.content()
        _no_sideways_scroll(page)
        page.screenshot(path=str(artifacts / "keuangan-tahun.png"), full_page=True)

        page.goto(f"{base}/operator/keuangan/{TAHUN}/laporan/?periode=semester1")
        assert "JUMLAH PENDAPATAN" in page.locator("[data-testid=laporan-tabel]").inner_text()
        _no_sideways_scroll(page)
        page.screenshot(path=str(artifacts / "keuangan-laporan.png"), full_page=True)

        page.goto(f"{base}/operator/keuangan/{TAHUN}/transaksi/")
        page.click("summary")
        assert page.locator("[data-testid=form-transaksi]").is_visible()
        _no_sideways_scroll(page)
        page.screenshot(path=str(artifacts / "keuangan-transaksi.png"), full_page=True)
        assert errors == []
    finally:
        context.close()
