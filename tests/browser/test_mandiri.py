"""A resident on a phone: sign in with NIK + PIN, request a letter with documents, follow its status,
download it when ready; and the kiosk's on-screen keypad. Real browser, real server (gunicorn)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from platform_core.tenancy.schemas import village_context
from tenants.mandiri import throttle
from tenants.mandiri.models import PinWarga
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Keluarga, Penduduk
from tenants.surat import services as surat_services
from tenants.surat.models import Permohonan
from tests.conftest import Villages, host_of
from tests.workers.test_tenant_tasks import committed as in_thread

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
KIOSK = {"width": 1080, "height": 1920}
NIK = "1801174506920031"  # a woman born 05-06-1992 (day + 40)
PIN = "482916"
NAMA = "Rina Lestari Uji Peramban"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, format="PNG")
    return out.getvalue()


def _hapus(penduduk_id: int) -> None:
    """Undo what the test committed; the letters' history is append-only, so its trigger is paused here."""
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("ALTER TABLE surat_riwayat DISABLE TRIGGER surat_riwayat_append_only")
        permohonan = Permohonan.objects.filter(penduduk_id=penduduk_id)
        for p in permohonan:
            p.lampiran.all().delete()
            p.riwayat.all().delete()
        permohonan.delete()
        with connection.cursor() as cur:
            cur.execute("ALTER TABLE surat_riwayat ENABLE TRIGGER surat_riwayat_append_only")
        PinWarga.objects.filter(penduduk_id=penduduk_id).delete()
        p = Penduduk.objects.get(pk=penduduk_id)
        keluarga = p.keluarga
        p.delete()
        if keluarga is not None:
            keluarga.delete()


@dataclass
class Warga:
    pk: int
    terbitkan: Callable[[], str]  # the office issues the resident's request; returns its kanal


@pytest.fixture
def resident(villages: Villages, committed: Any) -> Iterator[Warga]:
    """A resident of village A with their own PIN, committed (the server is another process). ORM work runs
    in another thread: Playwright's event loop runs in this one."""

    def buat() -> int:
        with village_context(villages.a):
            leftover = Penduduk.objects.filter(nik=NIK).first()  # from an interrupted run
            if leftover is not None:
                _hapus(leftover.pk)
            keluarga = Keluarga.objects.create(no_kk="1801170101200931", alamat="Jl. Uji Peramban 1")
            p = Penduduk.objects.create(
                nik=NIK,
                nama=NAMA,
                keluarga=keluarga,
                hubungan=ref.Hubungan.KEPALA_KELUARGA,
                jenis_kelamin=ref.JenisKelamin.PEREMPUAN,
                tanggal_lahir=dt.date(1992, 6, 5),
                agama=ref.Agama.ISLAM,
                pendidikan_kk=ref.PendidikanKK.SLTA_SEDERAJAT,
                pekerjaan=ref.Pekerjaan.PETANI_PEKEBUN,
                status_kawin=ref.StatusKawin.KAWIN,
            )
            PinWarga.objects.create(penduduk=p, pin_hash=make_password(PIN), sekali_pakai=False)
            return p.pk

    def terbitkan() -> str:
        def run() -> str:
            with village_context(villages.a):
                permohonan = Permohonan.objects.get(penduduk_id=pk)
                surat_services.terbitkan_langsung(permohonan=permohonan)
                return permohonan.kanal

        return str(in_thread(run))

    def hapus() -> None:
        with village_context(villages.a):
            _hapus(pk)

    throttle.clear_all()
    with committed:
        pk = int(in_thread(buat))
        try:
            yield Warga(pk=pk, terbitkan=terbitkan)
        finally:
            in_thread(hapus)


def test_resident_requests_a_letter_on_a_phone_and_downloads_it(
    villages: Villages, gunicorn_server: str, browser: Any, artifacts: Path, resident: Warga
) -> None:
    base = gunicorn_server.format(host=host_of(villages.a))
    context = browser.new_context(viewport=PHONE, locale="id-ID", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        # given the resident on the sign-in page, a wrong PIN first: a plain refusal
        page.goto(f"{base}/layanan/")
        page.wait_for_url(re.compile(r".*/layanan/masuk/\?next=%2Flayanan%2F$"))
        page.fill("input[name=nik]", NIK)
        page.fill("input[name=pin]", "135792")
        page.click("form[data-testid=form-masuk] button[type=submit]")
        assert "NIK atau PIN tidak cocok" in page.locator("[data-testid=form-error]").inner_text()
        page.screenshot(path=str(artifacts / "mandiri-masuk-gagal.png"), full_page=True)

        # when they sign in with the right PIN, they land on their home
        page.fill("input[name=nik]", NIK)
        page.fill("input[name=pin]", PIN)
        page.click("form[data-testid=form-masuk] button[type=submit]")
        page.wait_for_url(f"{base}/layanan/")
        assert NAMA in page.locator("[data-testid=sapaan]").inner_text()
        page.screenshot(path=str(artifacts / "mandiri-beranda.png"), full_page=True)

        # and choose a letter, fill the purpose and upload the two required documents
        page.click("[data-testid=ajukan-surat]")
        page.fill("input[data-filter]", "domisili")
        page.click("[data-testid=surat-ket-domisili]")
        page.fill("textarea[name=keperluan]", "Mendaftar sekolah anak")
        page.set_input_files(
            "input[name=dokumen_pengantar_rt]", {"name": "pengantar.png", "mimeType": "image/png", "buffer": _png()}
        )
        page.set_input_files(
            "input[name=dokumen_ktp]", {"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        page.screenshot(path=str(artifacts / "mandiri-ajukan.png"), full_page=True)
        page.click("[data-testid=kirim-permohonan]")

        # then the request's page shows it submitted, with both documents
        page.wait_for_url(re.compile(r".*/layanan/permohonan/\d+/$"))
        assert page.locator("[data-testid=status]").inner_text() == "Diajukan"
        assert page.get_by_text("terunggah").count() == 2
        page.screenshot(path=str(artifacts / "mandiri-status-diajukan.png"), full_page=True)

        # when the office issues it, the status follows and the PDF downloads
        assert resident.terbitkan() == "mandiri"
        page.reload()
        assert page.locator("[data-testid=status]").inner_text() == "Siap diambil"
        assert page.locator("[data-testid=riwayat] li").count() == 4
        page.screenshot(path=str(artifacts / "mandiri-status-siap.png"), full_page=True)
        with page.expect_download() as download:
            page.click("[data-testid=unduh]")
        assert download.value.suggested_filename.endswith(".pdf")

        page.goto(f"{base}/layanan/permohonan/")
        assert page.locator("[data-testid=daftar-permohonan] a").count() == 1
        page.click("[data-testid=keluar]")
        page.wait_for_url(f"{base}/layanan/masuk/")
        assert errors == []
    finally:
        context.close()


def test_kiosk_keypad_signs_in_and_shows_large_targets(
    villages: Villages, gunicorn_server: str, browser: Any, artifacts: Path, resident: Warga
) -> None:
    base = gunicorn_server.format(host=host_of(villages.a))
    context = browser.new_context(viewport=KIOSK, has_touch=True, locale="id-ID")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{base}/layanan/anjungan/")
        assert page.locator("[data-testid=nik]").get_attribute("inputmode") == "none"  # no system keyboard
        page.screenshot(path=str(artifacts / "mandiri-anjungan.png"))
        for digit in NIK + PIN:  # the NIK field moves on to the PIN by itself after 16 digits
            page.click(f".keypad [data-key='{digit}']")
        assert page.input_value("[data-testid=nik]") == NIK
        assert page.input_value("[data-testid=pin]") == PIN
        height = page.eval_on_selector(".keypad [data-key='5']", "el => el.getBoundingClientRect().height")
        assert height >= 80  # large touch targets
        page.click("[data-testid=keypad-kirim]")
        page.wait_for_url(f"{base}/layanan/")
        assert page.locator("#anjungan-timer").count() == 1
        page.screenshot(path=str(artifacts / "mandiri-anjungan-beranda.png"))
        page.click("[data-testid=keluar]")
        page.wait_for_url(f"{base}/layanan/anjungan/")  # the kiosk goes back to its keypad
        assert errors == []
    finally:
        context.close()
