"""The portal on a phone and the command-center screen on a 1920x1080 TV, in headless Chromium.

Screenshots go to test-artifacts/ (kept by CI). Data is committed for the real server and removed after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from platform_core.tenancy.schemas import village_context
from tenants.pembangunan import demo, services, unggahan
from tenants.pembangunan.models import Dokumen, Pengaduan, Progres, Proyek
from tests.conftest import Villages, host_of
from tests.tenants.pembangunan.factories import PDF, upload

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TV = {"width": 1920, "height": 1080}


@pytest.fixture(scope="module")
def portal_data(villages: Villages, django_db_blocker: Any) -> Iterator[None]:
    """Module-scoped and requested before `browser`: no ORM call may run inside Playwright's event loop."""
    from tenants.keuangan.demo import isi_demo
    from tenants.keuangan.models import Apbdes, BarisAnggaran, Transaksi

    year = dt.date.today().year
    with django_db_blocker.unblock(), village_context(villages.a):
        isi_demo(year - 1, year, 300, 800)
        demo.isi_demo(jumlah=24, foto=True, seed=5)
        services.dokumen_upload(
            jenis="semester_1",
            judul="Laporan realisasi semester I",
            tahun=year,
            tanggal=dt.date.today(),
            berkas=upload("s1.pdf", PDF),
        )
    try:
        yield
    finally:
        with django_db_blocker.unblock(), village_context(villages.a):
            for p in Progres.objects.exclude(foto=""):
                unggahan.hapus(p.foto, p.foto_kecil)
            for d in Dokumen.objects.all():
                unggahan.hapus(d.path)
            Proyek.objects.all().delete()
            Dokumen.objects.all().delete()
            Pengaduan.objects.all().delete()
            Transaksi.objects.all().delete()
            BarisAnggaran.objects.all().delete()
            Apbdes.objects.all().delete()


def _watch(page: Any, base: str) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    foreign: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda req: None if req.url.startswith((base, "data:")) else foreign.append(req.url))
    return errors, foreign


def test_portal_on_a_phone(
    villages: Villages, portal_data: None, gunicorn_server: str, browser: Any, artifacts: Path
) -> None:
    base = gunicorn_server.format(host=host_of(villages.a))
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors, foreign = _watch(page, base)
    try:
        page.goto(f"{base}/transparansi/")
        page.locator("canvas[data-chart-ready]").first.wait_for(timeout=10_000)  # Chart.js drew the APBDes chart
        assert page.locator("main h2.h3").first.inner_text().startswith("Transparansi")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        page.screenshot(path=str(artifacts / "transparansi-phone.png"), full_page=True)

        page.goto(f"{base}/transparansi/apbdes/")
        page.locator("canvas[data-chart-ready]").nth(1).wait_for(timeout=10_000)
        page.screenshot(path=str(artifacts / "transparansi-apbdes-phone.png"), full_page=True)

        page.goto(f"{base}/transparansi/pembangunan/")
        assert page.locator(".card h3").count() == 20  # one page of projects
        page.locator("img.kartu-foto").first.wait_for(timeout=10_000)
        page.screenshot(path=str(artifacts / "transparansi-pembangunan-phone.png"), full_page=True)

        # a resident sends a complaint and gets a tracking code; the honeypot stays invisible
        page.goto(f"{base}/transparansi/pengaduan/")
        box = page.locator("input[name=situs]").bounding_box()
        assert box is None or box["x"] + box["width"] <= 0, "the honeypot is off screen"
        page.fill("input[name=nama]", "Warga Uji Peramban")
        page.fill("input[name=judul]", "Lampu jalan padam")
        page.fill("textarea[name=isi]", "Lampu jalan di depan masjid padam sejak minggu lalu.")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert "Kode pengaduan" in page.locator(".alert").first.inner_text()
        assert "Warga Uji Peramban" not in page.content()
        page.screenshot(path=str(artifacts / "transparansi-pengaduan-phone.png"), full_page=True)
        assert errors == [] and foreign == []
    finally:
        context.close()


def test_layar_on_a_tv(
    villages: Villages, portal_data: None, gunicorn_server: str, browser: Any, artifacts: Path
) -> None:
    base = gunicorn_server.format(host=host_of(villages.a))
    context = browser.new_context(viewport=TV)
    page = context.new_page()
    errors, foreign = _watch(page, base)
    try:
        page.goto(f"{base}/layar/")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(artifacts / "layar-1920x1080.png"))
        size = page.eval_on_selector("[data-testid=layar-penduduk]", "el => parseFloat(getComputedStyle(el).fontSize)")
        assert size >= 60, f"big numbers must read from across the room ({size}px)"
        assert page.evaluate("document.documentElement.scrollHeight") <= TV["height"], "fits one screen"
        assert page.locator("[data-testid=layar-blt]").inner_text() == "belum ada data"
        assert page.locator("main.layar").get_attribute("hx-trigger") == "every 60s"
        assert errors == [] and foreign == []
    finally:
        context.close()
