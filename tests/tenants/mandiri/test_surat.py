"""Letters through self-service: request with documents, status, download; kiosk; who sees what."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.permissions import AllowAny

from tenants.mandiri import akses
from tenants.mandiri.akses import WargaView
from tenants.mandiri.api import WargaAPIView
from tenants.penduduk.models import Penduduk
from tenants.surat import services as surat_services
from tenants.surat.models import Permohonan
from tests.conftest import Villages, host_of
from tests.tenants.mandiri.conftest import masuk, tamu

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


PNG = _png()
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _signed_in(host: str, p: Penduduk, *, path: str = "/layanan/masuk/") -> Client:
    client = tamu(host)
    assert masuk(client, p.nik, path=path).status_code == 302
    return client


def _ajukan(client: Client, **files: Any) -> Any:
    data: dict[str, Any] = {"keperluan": "Melamar pekerjaan"}
    for kode, (name, content) in files.items():
        data[f"dokumen_{kode}"] = SimpleUploadedFile(name, content)
    return client.post("/layanan/surat/ket-domisili/", data)


def test_request_with_documents_then_status_then_download(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga()
    client = _signed_in(host_a, p)
    # given the letter list from the village's templates
    choose = client.get("/layanan/surat/").content.decode()
    assert "Surat Keterangan Domisili" in choose and "/layanan/surat/ket-domisili/" in choose

    # a request without its required documents is refused on the phone, nothing is created
    missing = _ajukan(client)
    assert "wajib diunggah" in missing.content.decode()
    # an SVG with a script, an HTML file named .pdf: refused by content, nothing is created
    svg = _ajukan(client, pengantar_rt=("rt.svg", SVG), ktp=("ktp.pdf", PDF))
    assert "Jenis berkas tidak diterima" in svg.content.decode()
    html = _ajukan(client, pengantar_rt=("rt.pdf", b"<html><script>x</script></html>"), ktp=("ktp.pdf", PDF))
    assert "Jenis berkas tidak diterima" in html.content.decode()
    broken = _ajukan(client, pengantar_rt=("rt.png", PNG[:8] + b"bukan gambar" * 8), ktp=("ktp.pdf", PDF))
    assert "rusak" in broken.content.decode()
    assert not Permohonan.objects.filter(penduduk=p).exists()

    # with both documents: created through the phone channel and shown with its status
    done = _ajukan(client, pengantar_rt=("rt.png", PNG), ktp=("ktp.pdf", PDF))
    assert done.status_code == 302
    permohonan = Permohonan.objects.get(penduduk=p)
    assert done.headers["Location"] == f"/layanan/permohonan/{permohonan.pk}/"
    assert permohonan.kanal == "mandiri"
    assert sorted(permohonan.lampiran.values_list("kode_dokumen", flat=True)) == ["ktp", "pengantar_rt"]
    detail = client.get(done.headers["Location"]).content.decode()
    assert "Diajukan" in detail and "terunggah" in detail
    assert client.get(f"/layanan/permohonan/{permohonan.pk}/pdf/").status_code == 404  # not ready yet
    assert "Diajukan" in client.get("/layanan/permohonan/").content.decode()

    # when the office issues it, the history shows the steps and the PDF downloads
    surat_services.terbitkan_langsung(permohonan=permohonan)
    detail = client.get(f"/layanan/permohonan/{permohonan.pk}/").content.decode()
    for step in ("Diperiksa", "Menunggu tanda tangan", "Siap diambil"):
        assert step in detail
    assert f"/layanan/permohonan/{permohonan.pk}/pdf/" in detail
    pdf = client.get(f"/layanan/permohonan/{permohonan.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].startswith("attachment;")


def test_document_uploaded_later(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga()
    client = _signed_in(host_a, p, path="/layanan/anjungan/")  # the kiosk may bring documents later
    assert _ajukan(client).status_code == 302
    permohonan = Permohonan.objects.get(penduduk=p)
    assert permohonan.kanal == "anjungan"
    url = f"/layanan/permohonan/{permohonan.pk}/"
    big = client.post(url, {"kode_dokumen": "ktp", "berkas": SimpleUploadedFile("b.pdf", b"%PDF" + b"0" * 6_000_000)})
    assert "terlalu besar" in big.content.decode()
    assert client.post(url, {"kode_dokumen": "ktp", "berkas": SimpleUploadedFile("k.pdf", PDF)}).status_code == 302
    assert list(permohonan.lampiran.values_list("kode_dokumen", flat=True)) == ["ktp"]


def test_a_resident_sees_only_their_own_requests(warga: Callable[..., Penduduk], host_a: str) -> None:
    a1, a2 = warga(nama="Ani Pertama"), warga(nama="Bima Kedua")
    theirs = surat_services.ajukan_permohonan(
        template_kode="ket-domisili", penduduk_id=a2.pk, isian={}, keperluan="Rahasia Bima", kanal="operator"
    )
    surat_services.terbitkan_langsung(permohonan=theirs)
    client = _signed_in(host_a, a1)
    assert "Rahasia Bima" not in client.get("/layanan/permohonan/").content.decode()
    for suffix in ("", "pdf/", "cetak/"):
        assert client.get(f"/layanan/permohonan/{theirs.pk}/{suffix}").status_code == 404, suffix
    upload = {"kode_dokumen": "ktp", "berkas": SimpleUploadedFile("k.pdf", PDF)}
    assert client.post(f"/layanan/permohonan/{theirs.pk}/", upload).status_code == 404
    assert not theirs.lampiran.exists()


def test_sessions_do_not_cross_villages_or_roles(
    warga: Callable[..., Penduduk], host_a: str, villages: Villages, client_a: Client
) -> None:
    p = warga()
    resident = _signed_in(host_a, p)
    # the resident's cookie replayed on village B's host: no resident there
    on_b = Client(HTTP_HOST=host_of(villages.b))
    on_b.cookies = SimpleCookie({k: v.value for k, v in resident.cookies.items()})
    assert on_b.get("/layanan/").headers["Location"].startswith("/layanan/masuk/")
    assert on_b.get("/layanan/permohonan/").status_code == 302
    # a resident session is no operator
    assert resident.get("/operator/").headers["Location"].startswith("/masuk/")
    assert resident.get("/operator/layanan-mandiri/").headers["Location"].startswith("/masuk/")
    # an operator session is no resident
    assert client_a.get("/layanan/").status_code == 403
    assert client_a.get("/layanan/masuk/").status_code == 403


def test_kiosk_session_ends_on_the_server_after_idling(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga()
    kiosk = tamu(host_a)
    assert kiosk.get("/layanan/anjungan/").status_code == 200  # the keypad marks this browser as the kiosk
    assert masuk(kiosk, p.nik, path="/layanan/anjungan/").status_code == 302
    assert kiosk.get("/layanan/").status_code == 200
    assert 'id="anjungan-timer"' in kiosk.get("/layanan/").content.decode()

    # when nobody touches it for longer than the kiosk limit
    session = kiosk.session
    session[akses.SESI_AKTIF] = int(time.time()) - akses.DIAM_DETIK[akses.ANJUNGAN] - 1
    session.save()

    # then the server has ended the session and goes back to the keypad
    response = kiosk.get("/layanan/permohonan/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/layanan/anjungan/")
    assert "habis=1" in response.headers["Location"]
    assert akses.SESI_PENDUDUK not in kiosk.session
    assert "ditutup otomatis" in kiosk.get("/layanan/anjungan/?habis=1").content.decode()

    # a phone session of the same age is still alive (its limit is longer)
    phone = _signed_in(host_a, p)
    session = phone.session
    session[akses.SESI_AKTIF] = int(time.time()) - akses.DIAM_DETIK[akses.ANJUNGAN] - 1
    session.save()
    assert phone.get("/layanan/").status_code == 200


def test_kiosk_one_time_pin_change_uses_the_keypad(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga(pin="739251", sekali_pakai=True)
    kiosk = tamu(host_a)
    kiosk.get("/layanan/anjungan/")
    assert masuk(kiosk, p.nik, "739251", path="/layanan/anjungan/").headers["Location"] == "/layanan/pin/"
    page = kiosk.get("/layanan/pin/").content.decode()
    assert page.count("data-keypad-target") == 3 and 'inputmode="none"' in page and "data-key=" in page


def test_kiosk_prints_instead_of_downloading(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga()
    permohonan = surat_services.ajukan_permohonan(
        template_kode="ket-domisili", penduduk_id=p.pk, isian={}, keperluan="Sekolah", kanal="anjungan"
    )
    surat_services.terbitkan_langsung(permohonan=permohonan)
    kiosk = _signed_in(host_a, p, path="/layanan/anjungan/")
    detail = kiosk.get(f"/layanan/permohonan/{permohonan.pk}/").content.decode()
    assert f"/layanan/permohonan/{permohonan.pk}/cetak/" in detail
    assert 'data-testid="unduh"' not in detail
    assert "data-cetak" in kiosk.get(f"/layanan/permohonan/{permohonan.pk}/cetak/").content.decode()
    pdf = kiosk.get(f"/layanan/permohonan/{permohonan.pk}/pdf/")
    assert pdf.headers["Content-Disposition"].startswith("inline;")
    assert pdf.headers["Cache-Control"] == "no-store"


def test_resident_bases_cannot_be_loosened() -> None:
    with pytest.raises(TypeError, match="dispatch"):
        type("Sneaky", (WargaView,), {"dispatch": lambda self, request: None})
    with pytest.raises(TypeError, match="permission_classes"):
        type("Sneaky", (WargaAPIView,), {"permission_classes": [AllowAny]})
    with pytest.raises(TypeError, match="authentication_classes"):
        type("Sneaky", (WargaAPIView,), {"authentication_classes": []})
