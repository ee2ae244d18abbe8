"""Province staff in a real browser: the kabupaten console's live feed updates without a reload,
the IDM upload reports a bad row and saves a good file, the PMDT dashboard on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from platform_core.facts.models import Aktivitas, StatusIdm
from tests.browser.test_operator_home import DESKTOP, PHONE, sign_in
from tests.conftest import Villages

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _orm_between_browser_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Playwright's sync API keeps an event loop on this thread; the ORM calls of these tests (checks
    and committed writes between browser steps) are plain synchronous code, which Django's guard would
    refuse. Only for these tests (a process-wide setting would reach `check --deploy` in another test)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def clean_facts(villages: Villages, django_db_blocker: Any) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        Aktivitas.objects.filter(village__in=[villages.a, villages.b]).delete()
        StatusIdm.objects.filter(village__in=[villages.a, villages.b]).delete()


@pytest.mark.usefixtures("clean_facts")
def test_kabupaten_feed_updates_without_reload(
    villages: Villages, gunicorn_server: str, browser: Any, artifacts: Path, django_db_blocker: Any
) -> None:
    base = gunicorn_server.format(host="localhost")
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        sign_in(page, base, "opd_lamsel")
        page.wait_for_url(f"{base}/konsol/", timeout=10_000)
        page.goto(f"{base}/konsol/kabupaten/18.01/")
        feed = page.locator("[data-testid=feed]")
        feed.locator("ul").wait_for(timeout=15_000)  # the first htmx load replaced "Memuat aktivitas…"
        assert "Surat keterangan usaha diterbitkan" not in feed.inner_text()
        with django_db_blocker.unblock():  # what a drain writes when village A issues letters
            Aktivitas.objects.create(
                village=villages.a,
                jenis="surat.selesai",
                keterangan="Surat keterangan usaha diterbitkan",
                jumlah=3,
                waktu=timezone.now(),
            )
        # polled every 10 s (CSP forbids eval, so wait on the element, not on a JS predicate)
        feed.get_by_text("Surat keterangan usaha diterbitkan").wait_for(timeout=15_000)
        assert villages.a.nama in feed.inner_text()
        page.screenshot(path=str(artifacts / "konsol-kabupaten-feed.png"), full_page=True)
        assert errors == []
    finally:
        context.close()


@pytest.mark.usefixtures("clean_facts")
def test_idm_upload_reports_then_saves(  # noqa: PLR0917  # fixtures
    villages: Villages,
    gunicorn_server: str,
    browser: Any,
    artifacts: Path,
    tmp_path: Path,
    django_db_blocker: Any,
) -> None:
    base = gunicorn_server.format(host="localhost")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, base, "pmd")
        page.wait_for_url(f"{base}/konsol/**", timeout=10_000)
        page.screenshot(path=str(artifacts / "konsol-pmdt-phone.png"), full_page=True)
        page.goto(f"{base}/konsol/idm/impor/")
        buruk = tmp_path / "idm-buruk.csv"
        buruk.write_text(f"kode_desa;tahun;skor;status\n{villages.a.kode};2024;0,65;\n99.99.99.9999;2024;abc;\n")
        page.set_input_files("input[type=file]", str(buruk))
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        body = page.locator("main").inner_text()
        assert "99.99.99.9999" in body or "baris 3" in body.lower(), body[:1500]
        page.screenshot(path=str(artifacts / "konsol-idm-laporan.png"), full_page=True)
        with django_db_blocker.unblock():
            assert not StatusIdm.objects.filter(village=villages.a, tahun=2024).exists()  # all or nothing
        baik = tmp_path / "idm-baik.csv"
        baik.write_text(f"kode_desa;tahun;skor;status\n{villages.a.kode};2024;0,65;\n")
        page.set_input_files("input[type=file]", str(baik))
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert "1 status IDM disimpan" in page.locator("body").inner_text()
        with django_db_blocker.unblock():
            assert StatusIdm.objects.get(village=villages.a, tahun=2024).status == "Berkembang"
    finally:
        context.close()
