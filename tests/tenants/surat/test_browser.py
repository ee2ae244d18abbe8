"""An operator issues a letter at the counter on a phone, in a real browser; anyone verifies it by its QR URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from platform_core.accounts import throttle
from platform_core.tenancy.schemas import village_context
from tests.browser.conftest import artifacts, browser, chromium_path, gunicorn_server  # noqa: F401  # fixtures
from tests.conftest import PASSWORD, Villages, host_of, resident_create
from tests.workers.test_tenant_tasks import committed

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NIK = "1801171506900555"
NO_KK = "9901170101100555"
NAMA = "Warga Peramban Uji"


def _hapus() -> None:
    from tenants.penduduk.models import AksesLog, Keluarga, Penduduk
    from tenants.surat.models import Permohonan

    ids = list(Permohonan.objects.filter(penduduk__nik=NIK).values_list("id", flat=True))
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("ALTER TABLE surat_riwayat DISABLE TRIGGER surat_riwayat_append_only")
        cur.execute("DELETE FROM surat_riwayat WHERE permohonan_id = ANY(%s)", [ids])
        cur.execute("ALTER TABLE surat_riwayat ENABLE TRIGGER surat_riwayat_append_only")
        cur.execute("ALTER TABLE penduduk_akseslog DISABLE TRIGGER penduduk_akseslog_append_only")
        AksesLog.objects.filter(penduduk__nik=NIK).delete()
        cur.execute("ALTER TABLE penduduk_akseslog ENABLE TRIGGER penduduk_akseslog_append_only")
    Permohonan.objects.filter(id__in=ids).delete()
    Penduduk.objects.filter(nik=NIK).delete()
    Keluarga.objects.filter(no_kk=NO_KK).delete()


def in_a(villages: Villages, work: Any) -> Any:
    """ORM work in village A on a fresh connection in another thread (Playwright's loop runs in this one)."""

    def inside() -> Any:
        with village_context(villages.a):
            return work()

    return committed(inside)


@pytest.fixture
def warga(villages: Villages, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        in_a(villages, _hapus)
        in_a(villages, lambda: resident_create(nama=NAMA, nik=NIK, no_kk=NO_KK))
        yield
        in_a(villages, _hapus)


def test_operator_issues_a_letter_on_a_phone_and_the_qr_page_verifies_it(
    villages: Villages,
    gunicorn_server: str,  # noqa: F811  # the imported fixture
    browser: Any,  # noqa: F811
    artifacts: Path,  # noqa: F811
    warga: None,
) -> None:
    throttle.clear_all()
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

        # the queue, then a new request: find the resident by NIK, pick the letter
        page.goto(f"{base}/operator/surat/")
        assert page.locator("[data-testid=jumlah-status]").is_visible()
        page.screenshot(path=str(artifacts / "surat-antrean.png"), full_page=True)
        page.goto(f"{base}/operator/surat/baru/")
        page.fill("input[name=q]", NIK)
        page.click("main form button[type=submit]")
        page.click(f"[data-testid=hasil-cari] >> text={NAMA}")
        page.screenshot(path=str(artifacts / "surat-pilih.png"), full_page=True)
        page.click("[data-testid=pilih-templat] >> text=Surat Keterangan Domisili")
        page.fill("input[name=keperluan]", "Melamar pekerjaan")
        page.check("input[name=terbitkan]")
        page.click("main form.card button[type=submit]")

        # the letter is numbered and signed; the detail page offers printing
        page.wait_for_selector("[data-testid=nomor]", timeout=15_000)
        nomor = page.locator("[data-testid=nomor]").inner_text()
        assert nomor.startswith("470/") and "/2011/" in nomor
        page.screenshot(path=str(artifacts / "surat-detail.png"), full_page=True)
        head = page.evaluate(
            "async u => { const r = await fetch(u); const b = new Uint8Array(await r.arrayBuffer());"
            " return [r.status, r.headers.get('content-type'), String.fromCharCode(...b.slice(0, 4))]; }",
            f"{page.url}pdf/",
        )
        assert head == [200, "application/pdf", "%PDF"]

        # anyone with the QR URL sees the letter is genuine, with the name masked
        def qr_url() -> str:
            from tenants.surat.models import Permohonan

            return str(Permohonan.objects.get(nomor=nomor).cetak["url_verifikasi"])

        url = in_a(villages, qr_url)
        assert url.startswith(f"http://{host_of(villages.a)}/surat/verifikasi/")
        public = browser.new_context(viewport=PHONE).new_page()
        public.goto(base + url.split(host_of(villages.a), 1)[1])
        assert public.locator("[data-testid=verifikasi-sah]").is_visible()
        assert public.locator("[data-testid=nama-samaran]").inner_text() == "W*** P*** U***"
        assert NIK not in public.content() and NAMA not in public.content()
        public.screenshot(path=str(artifacts / "surat-verifikasi.png"), full_page=True)
        assert errors == []
    finally:
        context.close()
