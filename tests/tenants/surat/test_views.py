"""Operator pages, the public verification page and the REST API of layanan surat (village A)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from PIL import Image

from platform_core.tenancy.models import Village
from tenants.penduduk import reference as ref
from tenants.penduduk.models import AksesLog
from tenants.surat import services
from tenants.surat.models import Permohonan, Status, TemplatSurat
from tests.conftest import host_of
from tests.tenants.penduduk.factories import PendudukFactory

BASE = "/operator/surat/"


def warga(**kwargs: Any) -> Any:
    kwargs.setdefault("tanggal_lahir", dt.date(1985, 5, 12))
    kwargs.setdefault("nama", "Rahmat Hidayat")
    return PendudukFactory(**kwargs)


def test_counter_flow_find_resident_pick_letter_issue_print(client_a: Client, in_village_a: Village) -> None:
    w = warga()
    found = client_a.get(f"{BASE}baru/", {"q": "Rahmat"})
    assert found.status_code == 200 and f"?penduduk={w.pk}" in found.content.decode()
    choose = client_a.get(f"{BASE}baru/", {"penduduk": w.pk})
    assert b"Surat Keterangan Usaha" in choose.content
    url = f"{BASE}baru/?penduduk={w.pk}&templat=ket-usaha"
    bad = client_a.post(url, {"keperluan": "Pinjaman bank"})
    assert bad.status_code == 200 and "Nama/jenis usaha wajib diisi." in bad.content.decode()
    assert not Permohonan.objects.exists()
    ok = client_a.post(
        url,
        {
            "keperluan": "Pinjaman bank",
            "isian_nama_usaha": "Bengkel",
            "isian_lokasi_usaha": "Dusun 2",
            "isian_sejak_tahun": "2018",
            "terbitkan": "on",
        },
    )
    p = Permohonan.objects.get()
    assert ok.status_code == 302 and ok.headers["Location"] == f"{BASE}{p.pk}/"
    assert p.status == Status.SIAP_DIAMBIL and p.nomor
    detail = client_a.get(f"{BASE}{p.pk}/")
    assert p.nomor in detail.content.decode() and b"Tandai sudah diambil" in detail.content
    pdf = client_a.get(f"{BASE}{p.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    log = AksesLog.objects.get(penduduk=w)  # the letter shows the NIK: the read is logged
    assert log.petugas_nama == "operator_a" and log.alasan == f"Cetak surat {p.nomor}"
    queue = client_a.get(BASE, {"status": "siap_diambil"})
    assert queue.status_code == 200 and b"Bengkel" not in queue.content and b"Rahmat Hidayat" in queue.content


def test_dead_resident_is_refused_at_the_counter(client_a: Client, in_village_a: Village) -> None:
    dead = warga(status_dasar=ref.StatusDasar.MATI)
    page = client_a.get(f"{BASE}baru/", {"penduduk": dead.pk})
    assert "Surat ini hanya untuk penduduk yang masih hidup." in page.content.decode()
    post = client_a.post(f"{BASE}baru/?penduduk={dead.pk}&templat=ket-domisili", {"keperluan": "x"})
    assert post.status_code == 200 and "masih hidup" in post.content.decode()
    assert not Permohonan.objects.exists()


def test_workflow_buttons_and_cancel_with_reason(client_a: Client, in_village_a: Village) -> None:
    p = services.ajukan_permohonan(
        template_kode="sktm", penduduk_id=warga().pk, isian={}, keperluan="Sekolah", kanal="mandiri"
    )
    client_a.post(f"{BASE}{p.pk}/status/", {"ke": "diperiksa"})
    skipped = client_a.post(f"{BASE}{p.pk}/status/", {"ke": "sudah_diambil"}, follow=True)
    assert "tidak dapat diubah menjadi sudah diambil" in skipped.content.decode()
    no_reason = client_a.post(f"{BASE}{p.pk}/status/", {"ke": "dibatalkan"}, follow=True)
    assert "Alasan pembatalan wajib diisi." in no_reason.content.decode()
    client_a.post(f"{BASE}{p.pk}/status/", {"ke": "dibatalkan", "alasan": "Berkas tidak lengkap"})
    p.refresh_from_db()
    assert p.status == Status.DIBATALKAN and p.alasan_batal == "Berkas tidak lengkap"
    history = client_a.get(f"{BASE}{p.pk}/").content.decode()
    assert "operator_a" in history and "Berkas tidak lengkap" in history


def test_upload_page_refuses_svg_and_serves_attachments_as_downloads(client_a: Client, in_village_a: Village) -> None:
    p = services.ajukan_permohonan(
        template_kode="sktm", penduduk_id=warga().pk, isian={}, keperluan="Sekolah", kanal="operator"
    )
    svg = SimpleUploadedFile("kk.svg", b"<svg><script>alert(1)</script></svg>", content_type="image/svg+xml")
    refused = client_a.post(f"{BASE}{p.pk}/unggah/", {"kode_dokumen": "kk", "berkas": svg}, follow=True)
    assert "Jenis berkas tidak diterima" in refused.content.decode()
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="JPEG")
    jpg = SimpleUploadedFile("kk.jpg", out.getvalue(), content_type="image/jpeg")
    client_a.post(f"{BASE}{p.pk}/unggah/", {"kode_dokumen": "kk", "berkas": jpg})
    lampiran = p.lampiran.get()
    download = client_a.get(f"{BASE}{p.pk}/lampiran/{lampiran.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_template_editor_rejects_unknown_placeholder_as_a_form_error(client_a: Client, in_village_a: Village) -> None:
    services.pasang_templat_bawaan()
    t = TemplatSurat.objects.get(kode="ket-domisili")
    page = client_a.get(f"{BASE}templat/{t.pk}/")
    assert page.status_code == 200 and b"[nama_desa]" in page.content
    data = {
        "kode": t.kode,
        "nama": t.nama,
        "kode_klasifikasi": "470",
        "judul": t.judul,
        "isi": "Yang bernama [nama] tinggal di [alamat_lengkap].",
        "format_nomor": t.format_nomor,
        "penomoran": "desa",
        "aktif": "on",
        "aturan_subjek": ["hidup"],
    }
    response = client_a.post(f"{BASE}templat/{t.pk}/", data)
    assert response.status_code == 200
    assert "Penanda tidak dikenal: [alamat_lengkap]." in response.content.decode()
    t.refresh_from_db()
    assert "[alamat_lengkap]" not in t.isi
    data["isi"] = "Yang bernama [nama] tinggal di [alamat]."
    assert client_a.post(f"{BASE}templat/{t.pk}/", data).status_code == 302
    new = dict(data, kode="ket-ojek", nama="Keterangan Ojek", isian="pangkalan|Pangkalan ojek|wajib", isi="[pangkalan]")
    assert client_a.post(f"{BASE}templat/baru/", new).status_code == 302
    assert TemplatSurat.objects.get(kode="ket-ojek").isian == [
        {"nama": "pangkalan", "label": "Pangkalan ojek", "wajib": True}
    ]


def test_register_of_letters_issued_prints_and_exports(client_a: Client, in_village_a: Village) -> None:
    w = warga()
    p = services.ajukan_permohonan(template_kode="sktm", penduduk_id=w.pk, isian={}, keperluan="KIP", kanal="operator")
    p = services.terbitkan_langsung(permohonan=p)
    year = p.tanggal_surat.year if p.tanggal_surat else 0
    page = client_a.get(f"{BASE}agenda/", {"tahun": year})
    assert p.nomor in page.content.decode()
    xlsx = client_a.get(f"{BASE}agenda/xlsx/", {"tahun": year})
    assert xlsx.status_code == 200
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[1][1] == "Nomor surat" and rows[2][1] == p.nomor and rows[2][5] == "Rahmat Hidayat"


def test_letterhead_settings_with_logo(client_a: Client, in_village_a: Village) -> None:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "green").save(out, format="PNG")
    logo = SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")
    response = client_a.post(
        f"{BASE}pengaturan/",
        {"nama_kepala": "Sutrisno", "jabatan": "Kepala Desa", "ukuran_kertas": "A4", "logo": logo},
    )
    assert response.status_code == 302
    assert services.pengaturan().logo.endswith(".png")
    html = client_a.get(f"{BASE}pengaturan/")
    assert b"Logo sudah ada" in html.content


def test_public_verification_page_says_valid_revoked_or_unknown(villages: Any, in_village_a: Village) -> None:
    w = warga(nama="Siti Aminah")
    p = services.ajukan_permohonan(
        template_kode="ket-domisili", penduduk_id=w.pk, isian={}, keperluan="Bank", kanal="operator"
    )
    p = services.terbitkan_langsung(permohonan=p)
    public = Client(HTTP_HOST=host_of(in_village_a))
    ok = public.get(f"/surat/verifikasi/{p.token}/").content.decode()
    assert "Surat asli" in ok and p.nomor in ok and "S*** A***" in ok
    assert w.nik not in ok and "Siti Aminah" not in ok
    assert p.cetak["url_verifikasi"].endswith(f"/surat/verifikasi/{p.token}/")
    services.pindahkan_status(permohonan=p, ke=Status.DIBATALKAN, alasan="Salah data")
    revoked = public.get(f"/surat/verifikasi/{p.token}/").content.decode()
    assert "DICABUT" in revoked and "Surat asli" not in revoked
    unknown = public.get("/surat/verifikasi/bukan-token-sah/")
    assert unknown.status_code == 200 and "Nomor surat tidak dikenal" in unknown.content.decode()


# --- API ------------------------------------------------------------------------------------------


def test_api_request_workflow_and_pdf(client_a: Client, in_village_a: Village) -> None:
    w = warga()
    templates = client_a.get("/api/surat/templat/").json()
    assert templates["count"] >= 15
    bad = client_a.post(
        "/api/surat/permohonan/",
        {"templat": "ket-usaha", "penduduk_id": w.pk, "keperluan": ""},
        content_type="application/json",
    )
    assert bad.status_code == 400
    created = client_a.post(
        "/api/surat/permohonan/",
        {"templat": "ket-domisili", "penduduk_id": w.pk, "keperluan": "Bank"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    for ke in ("diperiksa", "menunggu_ttd", "siap_diambil"):
        moved = client_a.post(f"/api/surat/permohonan/{pk}/status/", {"ke": ke}, content_type="application/json")
        assert moved.status_code == 200, moved.content
    body = moved.json()
    assert body["status"] == "siap_diambil" and body["nomor"].startswith("470/")
    detail = client_a.get(f"/api/surat/permohonan/{pk}/").json()
    assert [r["ke"] for r in detail["riwayat"]] == ["diajukan", "diperiksa", "menunggu_ttd", "siap_diambil"]
    pdf = client_a.get(f"/api/surat/permohonan/{pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_a.get("/api/surat/permohonan/jumlah/").json()["siap_diambil"] == 1
    unknown = client_a.patch(
        f"/api/surat/templat/{TemplatSurat.objects.get(kode='sktm').pk}/",
        {"isi": "[tidak_ada]"},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and "[tidak_ada]" in unknown.content.decode()


def test_api_schema_lists_the_letter_endpoints(client_a: Client) -> None:
    schema = client_a.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = set(schema.json()["paths"])
    assert {"/api/surat/templat/", "/api/surat/permohonan/", "/api/surat/permohonan/{id}/status/"} <= paths
    assert "/api/surat/permohonan/{id}/pdf/" in paths
