"""Projects, progress, documents and complaints through the services: rules, derived status, upload guards."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from platform_core.tenancy.models import Village
from tenants.outbox.models import OutboxEvent
from tenants.pembangunan import selectors, services, unggahan
from tenants.pembangunan.models import Dokumen, Pengaduan, Progres, Proyek, StatusProyek, status_proyek
from tests.tenants.pembangunan.factories import PDF, jpeg, png, proyek_baru, upload

TODAY = dt.date(2026, 8, 1)


@pytest.fixture
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


# --- derived status ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persen", "ada", "selesai", "expected"),
    [
        (0, False, TODAY + dt.timedelta(days=10), StatusProyek.BELUM_MULAI),
        (0, True, TODAY + dt.timedelta(days=10), StatusProyek.BERJALAN),
        (40, True, TODAY, StatusProyek.BERJALAN),  # the planned end day itself is not late yet
        (40, True, TODAY - dt.timedelta(days=1), StatusProyek.TERLAMBAT),
        (0, False, TODAY - dt.timedelta(days=1), StatusProyek.TERLAMBAT),
        (100, True, TODAY - dt.timedelta(days=100), StatusProyek.SELESAI),
    ],
)
def test_status_is_derived_from_progress_and_schedule(persen: int, ada: bool, selesai: dt.date, expected: str) -> None:
    assert status_proyek(persen=persen, ada_progres=ada, selesai_rencana=selesai, today=TODAY) == expected


def test_sql_status_matches_the_python_rule(in_village_a: Village) -> None:
    today = dt.date.today()
    belum = proyek_baru(nama="A belum")
    telat = proyek_baru(
        nama="B telat", mulai_rencana=today - dt.timedelta(days=90), selesai_rencana=today - dt.timedelta(days=1)
    )
    jalan = proyek_baru(nama="C jalan")
    beres = proyek_baru(nama="D beres")
    services.progres_add(proyek=jalan, tanggal=today, persen=30)
    services.progres_add(proyek=beres, tanggal=today - dt.timedelta(days=2), persen=60)
    services.progres_add(proyek=beres, tanggal=today, persen=100)
    rows = {p.nama: p.status_kode for p in selectors.proyek_list(today=today)}
    assert rows == {"A belum": "belum_mulai", "B telat": "terlambat", "C jalan": "berjalan", "D beres": "selesai"}
    for p in Proyek.objects.all():
        assert p.status(today) == rows[p.nama]
    ringkasan = selectors.ringkasan_proyek(today=today)
    assert ringkasan["status"] == {"belum_mulai": 1, "berjalan": 1, "selesai": 1, "terlambat": 1}
    assert ringkasan["anggaran"] == 4 * 170_000_000
    assert dict((k, n) for k, _, n in ringkasan["per_sumber"]) == {"DDS": 600_000_000, "ADD": 80_000_000}
    assert {belum.pk, telat.pk} <= set(Proyek.objects.values_list("pk", flat=True))


# --- projects -------------------------------------------------------------------------------------------


def test_budget_is_the_sum_of_the_funding_split_and_an_event_is_written(in_village_a: Village) -> None:
    proyek = proyek_baru(pendanaan={"DDS": "100.000.000", "DD": 5_000_000, "ADD": 25_000_000, "PAD": ""})
    assert proyek.pendanaan == {"DDS": "105000000", "ADD": "25000000"}  # alias DD counted as DDS
    assert proyek.anggaran == 130_000_000
    event = OutboxEvent.objects.filter(topic="pembangunan.proyek").latest("id")
    assert event.payload == {"proyek_id": proyek.pk, "aksi": "dibuat", "tahun": proyek.tahun, "persen": 0}


def test_bad_project_changes_nothing(in_village_a: Village) -> None:
    today = dt.date.today()
    with pytest.raises(ValidationError) as exc:
        proyek_baru(
            nama="",
            mulai_rencana=today,
            selesai_rencana=today - dt.timedelta(days=1),
            lat=-5.4,
            pendanaan={"XYZ": 1000},
        )
    errors = exc.value.message_dict
    assert set(errors) >= {"nama", "selesai_rencana", "lat", "pendanaan"}
    assert "tidak dikenal" in errors["pendanaan"][0]
    assert not Proyek.objects.exists()
    assert not OutboxEvent.objects.filter(topic="pembangunan.proyek").exists()


def test_progress_may_not_go_down_or_be_in_the_future(in_village_a: Village) -> None:
    proyek = proyek_baru()
    today = dt.date.today()
    services.progres_add(proyek=proyek, tanggal=today - dt.timedelta(days=5), persen=50)
    with pytest.raises(ValidationError, match="tidak boleh turun"):
        services.progres_add(proyek=proyek, tanggal=today, persen=40)
    with pytest.raises(ValidationError, match="setelah hari ini"):
        services.progres_add(proyek=proyek, tanggal=today + dt.timedelta(days=1), persen=60)
    proyek.refresh_from_db()
    assert (proyek.progres_persen, proyek.progres_tanggal) == (50, today - dt.timedelta(days=5))
    # deleting the newest entry rolls the project back to the one before
    services.progres_add(proyek=proyek, tanggal=today, persen=80)
    services.progres_delete(progres=Progres.objects.get(persen=80))
    proyek.refresh_from_db()
    assert proyek.progres_persen == 50


# --- uploads --------------------------------------------------------------------------------------------


def test_photo_is_re_encoded_with_thumbnail_and_no_exif(in_village_a: Village, media: Path) -> None:
    proyek = proyek_baru()
    progres = services.progres_add(
        proyek=proyek,
        tanggal=dt.date.today(),
        persen=10,
        foto=upload("IMG_0001.JPG", jpeg(size=(4000, 3000), exif_gps=True)),
    )
    besar, kecil = unggahan.full_path(progres.foto), unggahan.full_path(progres.foto_kecil)
    assert besar is not None and kecil is not None
    assert besar.is_relative_to(media / "pembangunan" / in_village_a.schema_name)
    with Image.open(besar) as img:
        assert img.format == "JPEG" and max(img.size) == unggahan.FOTO_SISI
        assert not img.getexif(), "EXIF (camera, GPS) must be stripped"
    with Image.open(kecil) as img:
        assert max(img.size) == unggahan.FOTO_KECIL_SISI
    png_progres = services.progres_add(proyek=proyek, tanggal=dt.date.today(), persen=20, foto=upload("a.png", png()))
    assert png_progres.foto.endswith(".jpg")


def test_exe_disguised_as_png_is_refused_and_nothing_is_written(in_village_a: Village, media: Path) -> None:
    proyek = proyek_baru()
    exe = (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
        + b"\x00" * 200
        + b"This program cannot be run in DOS mode"
    )
    with pytest.raises(ValidationError, match="bukan foto"):
        services.progres_add(
            proyek=proyek, tanggal=dt.date.today(), persen=10, foto=upload("foto.png", exe, "image/png")
        )
    html = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
    with pytest.raises(ValidationError, match="bukan foto"):
        services.progres_add(
            proyek=proyek, tanggal=dt.date.today(), persen=10, foto=upload("foto.jpg", html, "image/jpeg")
        )
    assert not Progres.objects.exists()
    assert not list(media.rglob("*.jpg"))


def test_oversize_uploads_are_refused(in_village_a: Village, media: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    proyek = proyek_baru()
    monkeypatch.setattr(unggahan, "FOTO_MAKS_BYTES", 10_000)
    with pytest.raises(ValidationError, match="terlalu besar"):
        services.progres_add(proyek=proyek, tanggal=dt.date.today(), persen=10, foto=upload("a.jpg", jpeg()))
    monkeypatch.setattr(unggahan, "PDF_MAKS_BYTES", 100)
    with pytest.raises(ValidationError, match="terlalu besar"):
        services.dokumen_upload(
            jenis="lpj", judul="LPJ", tahun=2025, tanggal=dt.date.today(), berkas=upload("a.pdf", PDF)
        )
    assert not Progres.objects.exists() and not Dokumen.objects.exists()


def test_pdf_is_checked_by_content(in_village_a: Village, media: Path) -> None:
    today = dt.date.today()
    with pytest.raises(ValidationError, match="bukan PDF"):
        services.dokumen_upload(jenis="lpj", judul="LPJ", tahun=2025, tanggal=today, berkas=upload("lpj.pdf", png()))
    script = PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>")
    with pytest.raises(ValidationError, match="skrip"):
        services.dokumen_upload(jenis="lpj", judul="LPJ", tahun=2025, tanggal=today, berkas=upload("lpj.pdf", script))
    assert not Dokumen.objects.exists()
    dokumen = services.dokumen_upload(
        jenis="semester_1", judul="Laporan semester I 2026", tahun=2026, tanggal=today, berkas=upload("lap.pdf", PDF)
    )
    assert dokumen.ukuran == len(PDF) and unggahan.full_path(dokumen.path) is not None
    event = OutboxEvent.objects.filter(topic="pembangunan.dokumen").latest("id")
    assert event.payload["jenis"] == "semester_1"


# --- complaints -----------------------------------------------------------------------------------------


def test_complaint_answer_flow(in_village_a: Village, user_a: object) -> None:
    with pytest.raises(ValidationError) as exc:
        services.pengaduan_kirim(nama="", kontak="", judul="", isi="pendek")
    assert set(exc.value.message_dict) == {"nama", "judul", "isi"}
    p = services.pengaduan_kirim(
        nama="Warga Pengadu", kontak="0812", judul="Lampu jalan mati", isi="Lampu di RT 3 mati seminggu."
    )
    assert len(p.kode) == 8
    assert list(selectors.pengaduan_publik()) == []  # not answered yet
    services.pengaduan_jawab(pengaduan=p, jawaban="Sudah diperbaiki hari ini.", tampil_publik=True, petugas=user_a)  # type: ignore[arg-type]
    assert [x.pk for x in selectors.pengaduan_publik()] == [p.pk]
    services.pengaduan_jawab(pengaduan=p, jawaban="Sudah diperbaiki hari ini.", tampil_publik=False, petugas=user_a)  # type: ignore[arg-type]
    assert list(selectors.pengaduan_publik()) == []
    assert Pengaduan.objects.get().dijawab_oleh == "operator_a"
