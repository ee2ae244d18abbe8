"""The public transparency portal and the command-center screen: what they show, and what they never show."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import village_context
from tenants.keuangan.demo import isi_demo
from tenants.pembangunan import services
from tenants.pembangunan.models import Pengaduan
from tenants.penduduk import demo as penduduk_demo
from tenants.penduduk.models import Keluarga, Penduduk
from tests.conftest import Villages, host_of, signed_in
from tests.tenants.pembangunan.factories import PDF, jpeg, proyek_baru, upload

PENGADU = ("Pengadu Rahasia Sekali", "081299887766", "pengadu.rahasia@contoh.id")


@pytest.fixture
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


@pytest.fixture
def desa_terisi(villages: Villages, db: None, media: Path, user_a: object) -> Iterator[dict[str, object]]:
    """Village A with a register of residents, finance, projects with photos, reports and complaints."""
    today = dt.date.today()
    with village_context(villages.a):
        with connection.cursor() as cur:
            penduduk_demo.fill_schema(
                cursor=cur,
                schema=villages.a.schema_name,
                info=penduduk_demo.VillageInfo.from_code(villages.a.kode),
                residents=300,
                seed=11,
            )
        isi_demo(today.year - 1, today.year, 300, 600)
        proyek = proyek_baru(lat="-5.412345", lng="105.261234")
        progres = services.progres_add(proyek=proyek, tanggal=today, persen=45, foto=upload("a.jpg", jpeg()))
        proyek_baru(
            nama="Sumur bor", mulai_rencana=today - dt.timedelta(days=90), selesai_rencana=today - dt.timedelta(days=3)
        )
        dokumen = services.dokumen_upload(
            jenis="semester_1", judul="Laporan semester I", tahun=today.year, tanggal=today, berkas=upload("l.pdf", PDF)
        )
        dijawab = services.pengaduan_kirim(
            nama=PENGADU[0], kontak=PENGADU[1], judul="Jalan rusak", isi="Jalan di RT 1 berlubang."
        )
        services.pengaduan_jawab(
            pengaduan=dijawab, jawaban="Masuk rencana perbaikan.", tampil_publik=True, petugas=user_a
        )  # type: ignore[arg-type]
        services.pengaduan_kirim(nama=PENGADU[0], kontak=PENGADU[2], judul="Air bersih", isi="Air PAM sering mati.")
        secrets = set()
        for nik, nama in Penduduk.objects.values_list("nik", "nama"):
            secrets.add(nik)
            if " " in nama:
                secrets.add(nama)
        secrets |= set(Keluarga.objects.values_list("no_kk", flat=True))
        assert len(secrets) > 400
        yield {
            "proyek": proyek,
            "progres": progres,
            "dokumen": dokumen,
            "kode": dijawab.kode,
            "secrets": secrets | set(PENGADU),
        }


def _public_paths(data: dict[str, object]) -> list[str]:
    proyek, progres, dokumen = data["proyek"], data["progres"], data["dokumen"]
    return [
        "/",
        reverse("transparansi"),
        reverse("transparansi-apbdes"),
        reverse("transparansi-apbdes") + f"?tahun={dt.date.today().year - 1}",
        reverse("transparansi-proyek"),
        reverse("transparansi-proyek") + "?status=terlambat",
        reverse("transparansi-proyek-detail", args=[proyek.pk]),  # type: ignore[attr-defined]
        reverse("transparansi-dokumen"),
        reverse("transparansi-penduduk"),
        reverse("transparansi-pengaduan"),
        reverse("transparansi-pengaduan-cek") + f"?kode={data['kode']}",
        reverse("transparansi-data-json"),
        reverse("transparansi-data-csv"),
        reverse("layar"),
        reverse("layar-isi"),
        reverse("transparansi-foto-kecil", args=[progres.pk]),  # type: ignore[attr-defined]
        reverse("transparansi-dokumen-unduh", args=[dokumen.pk]),  # type: ignore[attr-defined]
    ]


def test_public_pages_show_no_personal_data(villages: Villages, desa_terisi: dict[str, object]) -> None:
    client = Client(HTTP_HOST=host_of(villages.a))
    secrets: set[str] = desa_terisi["secrets"]  # type: ignore[assignment]
    for path in _public_paths(desa_terisi):
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        text = body.decode(errors="replace") + repr(dict(response.headers))
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{path} shows personal data: {leaked[:3]}"
    # the pages do show the public facts
    home = client.get(reverse("transparansi")).content.decode()
    assert "Rabat beton jalan Dusun Sukamaju" in home and "APBDes" in home
    pengaduan = client.get(reverse("transparansi-pengaduan")).content.decode()
    assert "Jalan rusak" in pengaduan and "Masuk rencana perbaikan." in pengaduan
    assert "Air bersih" not in pengaduan  # not answered yet


def test_portal_figures(villages: Villages, desa_terisi: dict[str, object]) -> None:
    client = Client(HTTP_HOST=host_of(villages.a))
    apbdes = client.get(reverse("transparansi-apbdes")).content.decode()
    assert 'data-chart="#chart-bidang"' in apbdes and "chart.umd.min.js" in apbdes
    assert "Dana Desa" in apbdes
    detail = client.get(reverse("transparansi-proyek-detail", args=[desa_terisi["proyek"].pk])).content.decode()  # type: ignore[attr-defined]
    assert "openstreetmap.org/?mlat=-5.412345&amp;mlon=105.261234" in detail
    assert "Rp170.000.000" in detail
    data = client.get(reverse("transparansi-data-json")).json()
    assert {k["status"] for k in data["kegiatan"]} == {"berjalan", "terlambat"}
    assert data["ringkasan_kegiatan"]["jumlah"] == 2
    assert str(dt.date.today().year) in data["apbdes"]
    csv_text = client.get(reverse("transparansi-data-csv")).content.decode()
    assert csv_text.splitlines()[0].startswith("id,tahun,nama")
    foto = client.get(reverse("transparansi-foto", args=[desa_terisi["progres"].pk]))  # type: ignore[attr-defined]
    assert foto["Content-Type"] == "image/jpeg" and foto["X-Content-Type-Options"] == "nosniff"
    assert foto["Content-Disposition"].startswith("inline")
    pdf = client.get(reverse("transparansi-dokumen-unduh", args=[desa_terisi["dokumen"].pk]))  # type: ignore[attr-defined]
    assert pdf["Content-Type"] == "application/pdf" and "filename=" in pdf["Content-Disposition"]


def test_portal_reflects_a_write_at_once(villages: Villages, desa_terisi: dict[str, object]) -> None:
    client = Client(HTTP_HOST=host_of(villages.a))
    assert "Jembatan gantung" not in client.get(reverse("transparansi")).content.decode()
    with village_context(villages.a):
        services.progres_add(proyek=proyek_baru(nama="Jembatan gantung"), tanggal=dt.date.today(), persen=5)
    assert "Jembatan gantung" in client.get(reverse("transparansi")).content.decode()


def test_layar_is_a_self_refreshing_board(villages: Villages, desa_terisi: dict[str, object]) -> None:
    client = Client(HTTP_HOST=host_of(villages.a))
    page = client.get(reverse("layar")).content.decode()
    assert 'hx-trigger="every 60s"' in page and 'http-equiv="refresh"' in page
    assert "<script>" not in page  # no inline script (CSP)
    assert "Realisasi APBDes" in page
    assert "Penerima BLT" in page and "belum ada data" in page
    assert "Surat dilayani bulan ini" in page
    fragment = client.get(reverse("layar-isi")).content.decode()
    assert "<html" not in fragment and "Penduduk" in fragment


def test_kelurahan_has_no_finance_on_its_portal(villages: Villages, db: None) -> None:
    assert villages.b.jenis == Village.Jenis.KELURAHAN
    client = Client(HTTP_HOST=host_of(villages.b))
    assert client.get(reverse("transparansi-apbdes")).status_code == 404
    for path in (reverse("transparansi"), reverse("layar"), "/"):
        text = client.get(path).content.decode()
        assert "APBDes" not in text, path
        assert "Dana Desa" not in text, path
    assert "apbdes" not in client.get(reverse("transparansi-data-json")).json()


# --- complaints through the public form --------------------------------------------------------------


def _form(**extra: str) -> dict[str, str]:
    return {
        "nama": PENGADU[0],
        "kontak": PENGADU[1],
        "judul": "Got mampet",
        "isi": "Got di depan balai desa mampet.",
        **extra,
    }


@pytest.fixture
def address() -> Iterator[str]:
    addr = "203.0.113.77"
    yield addr
    cache.delete_many([f"pembangunan:pengaduan:{addr}"])


def test_complaint_form_rate_limit_and_honeypot(villages: Villages, db: None, address: str) -> None:
    client = Client(HTTP_HOST=host_of(villages.a), REMOTE_ADDR=address)
    url = reverse("transparansi-pengaduan")
    with village_context(villages.a):
        cache.delete(f"pembangunan:pengaduan:{address}")
    response = client.post(url, _form(), follow=True)
    assert response.status_code == 200
    with village_context(villages.a):
        saved = Pengaduan.objects.get()
    assert saved.kode in response.content.decode()
    assert PENGADU[0] not in response.content.decode()
    # a bot filling the hidden field is thanked and nothing is kept
    client.post(url, _form(situs="http://spam.example"))
    # bad input: a clear message, nothing saved
    bad = client.post(url, _form(isi=""))
    assert bad.status_code == 400 and "Data belum disimpan" in bad.content.decode()
    for _ in range(4):
        assert client.post(url, _form()).status_code == 302
    limited = client.post(url, _form())
    assert limited.status_code == 429 and "Terlalu banyak" in limited.content.decode()
    with village_context(villages.a):
        assert Pengaduan.objects.count() == 5
        cache.delete(f"pembangunan:pengaduan:{address}")
    # the operator sees name and contact; the public never does
    operator = signed_in("operator_a", host_of(villages.a))
    detail = operator.get(reverse("pembangunan:pengaduan-detail", args=[saved.pk])).content.decode()
    assert PENGADU[0] in detail and PENGADU[1] in detail
    answer = operator.post(
        reverse("pembangunan:pengaduan-detail", args=[saved.pk]),
        {"jawaban": "Sudah dibersihkan.", "tampil_publik": "on"},
    )
    assert answer.status_code == 302
    public = client.get(url).content.decode()
    assert "Sudah dibersihkan." in public and PENGADU[0] not in public and PENGADU[1] not in public
    check = client.get(reverse("transparansi-pengaduan-cek") + f"?kode={saved.kode}").content.decode()
    assert "Sudah dibersihkan." in check and PENGADU[0] not in check
    assert json.dumps(saved.kode)


def test_a_change_in_another_module_shows_at_once(villages: Villages, db: None) -> None:
    """The cache key carries the village's newest outbox event: a new resident (register event) is counted."""
    from django.db import transaction

    from tenants.outbox.services import outbox_emit
    from tests.conftest import resident_create

    client = Client(HTTP_HOST=host_of(villages.a))
    before = client.get(reverse("layar")).content.decode()
    assert 'data-testid="layar-penduduk">0<' in before
    with village_context(villages.a), transaction.atomic():
        resident_create(nama="Warga Baru Sekali", nik="1801171506900011", no_kk="1801170101100011")
        outbox_emit(topic="penduduk.dibuat", payload={"penduduk_id": 1})
    after = client.get(reverse("layar")).content.decode()
    assert 'data-testid="layar-penduduk">1<' in after


def test_layar_reads_letters_through_the_adapter(villages: Villages, db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """tenants.surat.selectors.surat_selesai_bulan_ini when it exists; "belum ada data" when it does not."""
    from tenants.pembangunan import lintas_modul

    monkeypatch.setattr(lintas_modul, "_fungsi", lambda modul, nama: None)
    assert lintas_modul.surat_selesai_bulan_ini() is None and lintas_modul.ringkasan_apbdes(2026) is None
    monkeypatch.setattr(
        lintas_modul, "_fungsi", lambda modul, nama: (lambda *a: 37) if nama.startswith("surat") else None
    )
    page = Client(HTTP_HOST=host_of(villages.a)).get(reverse("layar")).content.decode()
    assert 'data-testid="layar-surat">37<' in page
