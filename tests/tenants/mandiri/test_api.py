"""The resident REST API (an Android app): token sign-in, templates, requests, documents, PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tenants.mandiri import services, throttle
from tenants.penduduk.models import Penduduk
from tenants.surat import services as surat_services
from tests.conftest import Villages, host_of
from tests.tenants.mandiri.conftest import PIN, tamu

UNKNOWN_NIK = "1801170101010999"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _token(host: str, nik: str, pin: str = PIN) -> str:
    response = tamu(host).post("/api/layanan/masuk/", {"nik": nik, "pin": pin}, content_type="application/json")
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def _app(host: str, token: str) -> Client:
    return Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_sign_in_answers_the_same_for_every_failing_nik(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga()
    no_pin = warga(pin=None)
    answers = []
    for nik in (UNKNOWN_NIK, p.nik, no_pin.nik):
        r = tamu(host_a).post("/api/layanan/masuk/", {"nik": nik, "pin": "135792"}, content_type="application/json")
        answers.append((r.status_code, r.json()))
    assert answers[0][0] == 400
    assert answers[0][1]["errors"]["non_field_errors"] == [services.PESAN_MASUK_GAGAL]
    assert all(a == answers[0] for a in answers)
    for _ in range(throttle.MASUK.per_nik):
        tamu(host_a).post("/api/layanan/masuk/", {"nik": UNKNOWN_NIK, "pin": "135792"}, content_type="application/json")
    r = tamu(host_a).post("/api/layanan/masuk/", {"nik": UNKNOWN_NIK, "pin": PIN}, content_type="application/json")
    assert r.status_code == 429


def test_request_upload_status_download_through_the_api(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga()
    app = _app(host_a, _token(host_a, p.nik))
    me = app.get("/api/layanan/saya/").json()
    assert me["nama"] == p.nama and p.nik not in str(me)

    templates = app.get("/api/layanan/templat/", {"ukuran": 100}).json()["results"]
    usaha = next(t for t in templates if t["kode"] == "ket-usaha")
    assert {"nama": "nama_usaha", "label": "Nama/jenis usaha", "wajib": True} in usaha["isian"]

    bad = app.post("/api/layanan/permohonan/", {"templat": "ket-usaha", "keperluan": "Modal"}, "application/json")
    assert bad.status_code == 400 and "nama_usaha" in bad.json()["errors"]

    created = app.post(
        "/api/layanan/permohonan/", {"templat": "ket-domisili", "keperluan": "Sekolah anak"}, "application/json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["kanal"] == "mandiri" and created.json()["riwayat"][0]["status"] == "diajukan"

    svg = SimpleUploadedFile("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>')
    refused = app.post(f"/api/layanan/permohonan/{pk}/dokumen/", {"kode_dokumen": "ktp", "berkas": svg})
    assert refused.status_code == 400
    ok = app.post(
        f"/api/layanan/permohonan/{pk}/dokumen/", {"kode_dokumen": "ktp", "berkas": SimpleUploadedFile("k.pdf", PDF)}
    )
    assert ok.status_code == 201 and ok.json()["lampiran"] == ["ktp"]

    assert app.get(f"/api/layanan/permohonan/{pk}/pdf/").status_code == 404
    surat_services.terbitkan_langsung(permohonan=pk)
    listed = app.get("/api/layanan/permohonan/").json()["results"]
    assert [(x["id"], x["status"], x["pdf_tersedia"]) for x in listed] == [(pk, "siap_diambil", True)]
    pdf = app.get(f"/api/layanan/permohonan/{pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_one_time_pin_token_only_changes_the_pin(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga(pin="739251", sekali_pakai=True)
    login = tamu(host_a).post("/api/layanan/masuk/", {"nik": p.nik, "pin": "739251"}, content_type="application/json")
    assert login.json()["wajib_ganti_pin"] is True
    app = _app(host_a, login.json()["token"])
    refused = app.get("/api/layanan/templat/")
    assert refused.status_code == 403 and "harus diganti" in refused.json()["detail"]
    weak = app.post(
        "/api/layanan/pin/", {"pin_lama": "739251", "pin_baru": "123456", "pin_ulang": "123456"}, "application/json"
    )
    assert weak.status_code == 400 and "pin_baru" in weak.json()["errors"]
    changed = app.post(
        "/api/layanan/pin/", {"pin_lama": "739251", "pin_baru": "583920", "pin_ulang": "583920"}, "application/json"
    )
    assert changed.status_code == 200
    assert app.get("/api/layanan/templat/").status_code == 401  # the old token ended with the old PIN
    assert _app(host_a, changed.json()["token"]).get("/api/layanan/templat/").status_code == 200


def test_api_isolation_between_residents_villages_and_roles(
    warga: Callable[..., Penduduk], host_a: str, villages: Villages, client_a: Client
) -> None:
    a1, a2 = warga(), warga()
    theirs = surat_services.ajukan_permohonan(
        template_kode="ket-domisili", penduduk_id=a2.pk, isian={}, keperluan="Rahasia", kanal="mandiri"
    )
    surat_services.terbitkan_langsung(permohonan=theirs)
    token = _token(host_a, a1.nik)
    app = _app(host_a, token)
    assert app.get("/api/layanan/permohonan/").json()["results"] == []
    for suffix in ("", "pdf/"):
        assert app.get(f"/api/layanan/permohonan/{theirs.pk}/{suffix}").status_code == 404
    upload = {"kode_dokumen": "ktp", "berkas": SimpleUploadedFile("k.pdf", PDF)}
    assert app.post(f"/api/layanan/permohonan/{theirs.pk}/dokumen/", upload).status_code == 404
    # village A's token on village B's host
    assert _app(host_of(villages.b), token).get("/api/layanan/permohonan/").status_code == 401
    # a forged or tampered token
    assert _app(host_a, token[:-2] + "xx").get("/api/layanan/permohonan/").status_code == 401
    # an operator's session or Basic auth is no resident
    assert client_a.get("/api/layanan/permohonan/").status_code == 401
    # sign-out revokes the token
    assert app.post("/api/layanan/keluar/").status_code == 204
    assert app.get("/api/layanan/permohonan/").status_code == 401


def test_reset_via_api_answers_alike(warga: Callable[..., Penduduk], host_a: str, monkeypatch: Any) -> None:
    from tenants.mandiri.tasks import notify_kode_reset_pin

    monkeypatch.setattr(notify_kode_reset_pin, "delay", lambda pk: None)
    p = warga(telepon="081234567890")
    answers = []
    for nik in (p.nik, UNKNOWN_NIK):
        r = tamu(host_a).post("/api/layanan/lupa-pin/", {"nik": nik}, content_type="application/json")
        answers.append((r.status_code, r.json()))
    assert answers[0][0] == 202 and answers[0] == answers[1]


def test_openapi_schema_documents_the_resident_api(villages: Villages, client_a: Client) -> None:
    schema = client_a.get("/api/schema/", {"format": "json"}).json()
    assert "/api/layanan/masuk/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["tokenWarga"]["scheme"] == "bearer"
    assert schema["paths"]["/api/layanan/permohonan/"]["get"]["security"] == [{"tokenWarga": []}]
