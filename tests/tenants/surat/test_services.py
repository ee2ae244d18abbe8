"""Letters: templates and placeholders, subject rules, workflow, numbering, revocation, uploads, PDF."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from PIL import Image

from platform_core.tenancy.models import Village
from tenants.outbox.models import OutboxEvent
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Penduduk
from tenants.surat import selectors, services, teks
from tenants.surat.models import Lampiran, Permohonan, Riwayat, Status, TemplatSurat
from tests.tenants.penduduk.factories import KeluargaFactory, PendudukFactory

S = Status


def warga(**kwargs: Any) -> Penduduk:
    kwargs.setdefault("tanggal_lahir", dt.date(1985, 5, 12))
    kwargs.setdefault("nama", "Budi Santoso")
    return PendudukFactory(**kwargs)  # type: ignore[no-any-return]


def ajukan(penduduk: Penduduk, kode: str = "ket-domisili", **kwargs: Any) -> Permohonan:
    kwargs.setdefault("isian", {})
    kwargs.setdefault("keperluan", "Melamar pekerjaan")
    kwargs.setdefault("kanal", "operator")
    return services.ajukan_permohonan(template_kode=kode, penduduk_id=penduduk.pk, **kwargs)


def sampai(p: Permohonan, *langkah: str) -> Permohonan:
    for ke in langkah:
        p = services.pindahkan_status(permohonan=p, ke=ke)
    return p


# --- templates ------------------------------------------------------------------------------------


def test_the_built_in_set_has_the_standard_letters_and_only_known_placeholders(in_village_a: Village) -> None:
    templates = list(selectors.templat_semua())
    assert len(templates) >= 15
    for t in templates:
        names = [f["nama"] for f in t.isian]
        assert teks.penanda_tak_dikenal(t.isi, names) == [], t.kode
        assert teks.format_nomor_salah(t.format_nomor) is None
        assert set(t.aturan_subjek) <= set(teks.ATURAN)


def test_the_built_in_set_is_copied_once(in_village_a: Village) -> None:
    services.pasang_templat_bawaan()
    services.pasang_templat_bawaan()
    assert TemplatSurat.objects.filter(kode="sktm").count() == 1


def test_unknown_placeholder_is_refused_on_save_and_nothing_changes(in_village_a: Village) -> None:
    services.pasang_templat_bawaan()
    sktm = TemplatSurat.objects.get(kode="sktm")
    before = sktm.isi
    with pytest.raises(ValidationError) as exc:
        services.templat_ubah(templat=sktm, data={"isi": before + "\n\nPenghasilan: [gaji_bulanan] [nama]."})
    assert exc.value.message_dict["isi"] == [
        "Penanda tidak dikenal: [gaji_bulanan]. Gunakan penanda yang tersedia atau tambahkan isian dengan nama itu."
    ]
    sktm.refresh_from_db()
    assert sktm.isi == before


def test_a_placeholder_becomes_known_by_adding_an_extra_field(in_village_a: Village) -> None:
    t = services.templat_buat(
        data={
            "kode": "ket-ternak",
            "nama": "Surat Keterangan Kepemilikan Ternak",
            "kode_klasifikasi": "500",
            "judul": "SURAT KETERANGAN TERNAK",
            "isi": "[nama] memiliki [jumlah_sapi] ekor sapi. Keperluan: [keperluan].",
            "isian": [{"nama": "jumlah_sapi", "label": "Jumlah sapi", "wajib": True}],
            "aturan_subjek": ["hidup"],
        }
    )
    assert t.format_nomor == teks.FORMAT_NOMOR_BAWAAN
    assert selectors.template_layanan().filter(kode="ket-ternak").exists()


def test_bad_number_format_and_duplicate_code_are_refused(in_village_a: Village) -> None:
    data = {
        "kode": "sktm",
        "nama": "X",
        "kode_klasifikasi": "1",
        "judul": "X",
        "isi": "[nama]",
        "format_nomor": "[kode_surat]/[urutan]/[tahun]",
    }
    with pytest.raises(ValidationError) as exc:
        services.templat_buat(data=data)
    errors = exc.value.message_dict
    assert errors["kode"] == ["Kode templat sudah dipakai."]
    assert errors["format_nomor"] == ["Token tidak dikenal dalam format nomor: [urutan]."]


# --- subject rules --------------------------------------------------------------------------------


def test_a_letter_for_a_dead_resident_is_refused(in_village_a: Village) -> None:
    dead = warga(status_dasar=ref.StatusDasar.MATI)
    with pytest.raises(ValidationError) as exc:
        ajukan(dead, "ket-domisili")
    assert exc.value.message_dict["penduduk_id"] == ["Surat ini hanya untuk penduduk yang masih hidup."]
    assert not Permohonan.objects.filter(penduduk=dead).exists()


def test_a_template_without_the_living_rule_still_refuses_the_dead(in_village_a: Village) -> None:
    t = services.templat_buat(
        data={"kode": "bebas", "nama": "Bebas", "kode_klasifikasi": "1", "judul": "B", "isi": "[nama]"}
    )
    assert t.aturan_subjek == []
    with pytest.raises(ValidationError, match="masih hidup"):
        ajukan(warga(status_dasar=ref.StatusDasar.MATI), "bebas")


def test_death_letter_only_for_the_dead(in_village_a: Village) -> None:
    isian = {
        "tanggal_meninggal": "1 Juni 2026",
        "tempat_meninggal": "Rumah",
        "pelapor": "Ani",
        "hubungan_pelapor": "Anak",
    }
    with pytest.raises(ValidationError, match="tercatat meninggal"):
        ajukan(warga(), "ket-kematian", isian=isian)
    p = ajukan(warga(status_dasar=ref.StatusDasar.MATI), "ket-kematian", isian=isian)
    assert p.status == S.DIAJUKAN


def test_head_of_family_and_adult_rules(in_village_a: Village) -> None:
    child = warga(tanggal_lahir=dt.date.today() - dt.timedelta(days=365 * 10), keluarga=KeluargaFactory())
    with pytest.raises(ValidationError) as exc:
        ajukan(child, "ket-kepala-keluarga")
    assert exc.value.message_dict["penduduk_id"] == ["Surat ini hanya untuk kepala keluarga."]
    with pytest.raises(ValidationError, match="17 tahun"):
        ajukan(child, "pengantar-skck")


def test_resident_dying_after_the_request_stops_the_numbering(in_village_a: Village) -> None:
    w = warga()
    p = sampai(ajukan(w), S.DIPERIKSA)
    Penduduk.objects.filter(pk=w.pk).update(status_dasar=ref.StatusDasar.MATI)
    with pytest.raises(ValidationError, match="masih hidup"):
        services.pindahkan_status(permohonan=p, ke=S.MENUNGGU_TTD)
    p.refresh_from_db()
    assert p.status == S.DIPERIKSA and p.nomor == ""


# --- workflow -------------------------------------------------------------------------------------


def test_workflow_records_who_and_when_and_emits_events(in_village_a: Village, user_a: Any) -> None:
    w = warga()
    p = services.ajukan_permohonan(
        template_kode="ket-domisili", penduduk_id=w.pk, isian={}, keperluan="Bank", kanal="operator", oleh_user=user_a
    )
    for ke in (S.DIPERIKSA, S.MENUNGGU_TTD, S.SIAP_DIAMBIL, S.SUDAH_DIAMBIL):
        p = services.pindahkan_status(permohonan=p, ke=ke, oleh=user_a)
    assert p.status == S.SUDAH_DIAMBIL
    steps = list(Riwayat.objects.filter(permohonan=p).values_list("dari", "ke", "petugas_nama"))
    assert steps == [
        ("", "diajukan", "operator_a"),
        ("diajukan", "diperiksa", "operator_a"),
        ("diperiksa", "menunggu_ttd", "operator_a"),
        ("menunggu_ttd", "siap_diambil", "operator_a"),
        ("siap_diambil", "sudah_diambil", "operator_a"),
    ]
    assert p.penanda_tangan["metode"] == "petugas" and p.penanda_tangan["petugas"] == "operator_a"
    events = {e.topic: e.payload for e in OutboxEvent.objects.filter(topic__startswith="surat.")}
    assert set(events) >= {"surat.diajukan", "surat.selesai"}
    selesai = events["surat.selesai"]
    assert selesai["templat"] == "ket-domisili" and selesai["penduduk_id"] == w.pk
    assert selesai["tanggal"] == dt.date.today().isoformat() or selesai["tanggal"]
    assert "nama" not in selesai and "nik" not in selesai


def test_issue_now_is_one_transaction_with_every_step_and_both_events(in_village_a: Village, settings: Any) -> None:
    w = warga()
    p = services.ajukan_dan_terbitkan(template_kode="sktm", penduduk_id=w.pk, isian={}, keperluan="Beasiswa")
    assert p.status == S.SIAP_DIAMBIL and p.nomor.startswith("400/")
    steps = list(Riwayat.objects.filter(permohonan=p).values_list("ke", flat=True))
    assert steps == ["diajukan", "diperiksa", "menunggu_ttd", "siap_diambil"]
    topics = list(OutboxEvent.objects.filter(payload__permohonan_id=p.pk).values_list("topic", flat=True))
    assert sorted(topics) == ["surat.diajukan", "surat.selesai"]
    # with a TTE signer and no passphrase nothing at all is written
    settings.BALAI_SURAT_PENANDATANGAN = "tenants.surat.signing.PenandatanganTTEPalsu"
    before = Permohonan.objects.count()
    with pytest.raises(ValidationError, match="Passphrase"):
        services.ajukan_dan_terbitkan(template_kode="sktm", penduduk_id=w.pk, isian={}, keperluan="Beasiswa")
    assert Permohonan.objects.count() == before


def test_steps_cannot_be_skipped_and_cancel_needs_a_reason(in_village_a: Village) -> None:
    p = ajukan(warga())
    with pytest.raises(ValidationError) as exc:
        services.pindahkan_status(permohonan=p, ke=S.SIAP_DIAMBIL)
    assert exc.value.message_dict["status"] == [
        "Permohonan berstatus diajukan tidak dapat diubah menjadi siap diambil."
    ]
    with pytest.raises(ValidationError) as exc:
        services.pindahkan_status(permohonan=p, ke=S.DIBATALKAN)
    assert exc.value.message_dict["alasan"] == ["Alasan pembatalan wajib diisi."]
    p = services.pindahkan_status(permohonan=p, ke=S.DIBATALKAN, alasan="Pemohon tidak datang")
    assert p.status == S.DIBATALKAN and not p.dicabut and p.nomor == ""
    with pytest.raises(ValidationError):
        services.pindahkan_status(permohonan=p, ke=S.DIPERIKSA)


def test_history_is_append_only(in_village_a: Village) -> None:
    p = ajukan(warga())
    with pytest.raises(DatabaseError), transaction.atomic():
        Riwayat.objects.filter(permohonan=p).update(keterangan="diubah")


# --- numbering ------------------------------------------------------------------------------------


def test_number_follows_the_format_and_the_village_sequence(in_village_a: Village) -> None:
    w = warga()
    first = sampai(ajukan(w), S.DIPERIKSA, S.MENUNGGU_TTD)
    second = sampai(ajukan(w, "sktm"), S.DIPERIKSA, S.MENUNGGU_TTD)
    today = dt.date.today()
    assert first.nomor == f"470/{first.nomor_urut:03d}/2011/{teks.ROMAWI[today.month - 1]}/{today.year}"
    assert second.nomor_urut == first.nomor_urut + 1  # one sequence for the village
    assert second.nomor.startswith("400/")


def test_a_template_can_have_its_own_sequence(in_village_a: Village) -> None:
    services.pasang_templat_bawaan()
    services.templat_ubah(
        templat=TemplatSurat.objects.get(kode="ket-usaha"),
        data={"penomoran": "templat", "format_nomor": "SKU/[nomor]/[bulan]/[tahun]"},
    )
    w = warga()
    sampai(ajukan(w), S.DIPERIKSA, S.MENUNGGU_TTD)
    isian = {"nama_usaha": "Warung", "lokasi_usaha": "Dusun 1", "sejak_tahun": "2020"}
    usaha = sampai(ajukan(w, "ket-usaha", isian=isian), S.DIPERIKSA, S.MENUNGGU_TTD)
    assert usaha.nomor_urut == 1
    assert usaha.nomor == f"SKU/001/{dt.date.today():%m}/{dt.date.today().year}"


def test_the_letter_text_is_frozen_with_the_number(in_village_a: Village) -> None:
    isian = {"nama_usaha": "Warung Sembako", "lokasi_usaha": "Dusun Krajan", "sejak_tahun": "2019"}
    p = sampai(ajukan(warga(), "ket-usaha", isian=isian), S.DIPERIKSA, S.MENUNGGU_TTD)
    assert "Warung Sembako yang berlokasi di Dusun Krajan sejak tahun 2019" in p.cetak["isi"]
    assert "[" not in p.cetak["isi"]
    assert p.cetak["nama_samaran"] == "B*** S***"
    services.templat_ubah(templat=p.templat, data={"isi": "Teks baru [nama]."})
    p.refresh_from_db()
    assert "Warung Sembako" in p.cetak["isi"]


# --- verification ---------------------------------------------------------------------------------


def test_verification_shows_masked_name_and_says_revoked(in_village_a: Village) -> None:
    w = warga(nama="Siti Aminah")
    p = sampai(ajukan(w), S.DIPERIKSA, S.MENUNGGU_TTD, S.SIAP_DIAMBIL)
    info = selectors.verifikasi(p.token or "")
    assert info is not None and info["sah"] and not info["dicabut"]
    assert info["nama_samaran"] == "S*** A***"
    assert w.nik not in repr(info) and "Siti Aminah" not in repr(info)
    services.pindahkan_status(permohonan=p, ke=S.DIBATALKAN, alasan="Data pemohon keliru")
    info = selectors.verifikasi(p.token or "")
    assert info is not None and info["dicabut"] and not info["sah"]
    assert selectors.verifikasi("tidak-ada") is None
    assert selectors.pdf_untuk_warga(permohonan_id=p.pk, penduduk_id=w.pk) is None


# --- PDF ------------------------------------------------------------------------------------------


def test_pdf_renders_the_letter(in_village_a: Village) -> None:
    from tenants.surat.pdf import pdf_surat

    services.pengaturan_simpan(data={"nama_kepala": "Sutrisno", "jabatan": "Kepala Desa", "ukuran_kertas": "F4"})
    p = sampai(ajukan(warga(nama="Budi Santoso")), S.DIPERIKSA, S.MENUNGGU_TTD, S.SIAP_DIAMBIL)
    pdf = pdf_surat(p)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "SURAT KETERANGAN DOMISILI" in text
    assert p.nomor in text
    assert "BUMI JAYA" in text.upper() and "Budi Santoso" in text and "Sutrisno" in text
    assert "Melamar pekerjaan" in text


def test_tte_provider_signs_with_passphrase(in_village_a: Village, settings: Any) -> None:
    settings.BALAI_SURAT_PENANDATANGAN = "tenants.surat.signing.PenandatanganTTEPalsu"
    p = sampai(ajukan(warga()), S.DIPERIKSA, S.MENUNGGU_TTD)
    with pytest.raises(ValidationError, match="Passphrase"):
        services.pindahkan_status(permohonan=p, ke=S.SIAP_DIAMBIL)
    with pytest.raises(ValidationError, match="salah"):
        services.pindahkan_status(permohonan=p, ke=S.SIAP_DIAMBIL, passphrase="keliru")
    p = services.pindahkan_status(permohonan=p, ke=S.SIAP_DIAMBIL, passphrase="rahasia")
    assert p.penanda_tangan["metode"] == "tte" and p.penanda_tangan["referensi"].startswith("PALSU-")
    from tenants.surat.pdf import pdf_surat

    assert b"%TTE-PALSU" in pdf_surat(p)


# --- uploads --------------------------------------------------------------------------------------


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, format="PNG")
    return out.getvalue()


def test_upload_accepts_images_and_pdf_and_reencodes_images(in_village_a: Village) -> None:
    p = ajukan(warga())
    lampiran = services.lampirkan_dokumen(
        permohonan=p, kode_dokumen="ktp", berkas=SimpleUploadedFile("ktp.png", _png() + b"<script>x</script>")
    )
    assert lampiran.jenis == "image/png"
    stored = services.baca_berkas_privat(lampiran.path)
    assert stored is not None and b"<script>" not in stored
    assert lampiran.path.startswith(f"surat/{in_village_a.schema_name}/lampiran/")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "foto.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Jenis berkas tidak diterima: hanya JPEG, PNG atau PDF (dilihat dari isinya).",
        ),
        (
            "ktp.pdf",
            b"<html><body><script>alert(1)</script></body></html>",
            "Jenis berkas tidak diterima: hanya JPEG, PNG atau PDF (dilihat dari isinya).",
        ),
        ("besar.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 10), "Berkas terlalu besar"),
        ("rusak.png", b"\x89PNG\r\n\x1a\n" + b"bukan gambar", "Gambar rusak atau tidak dapat dibaca."),
    ],
)
def test_upload_refuses_unsafe_files_with_a_clear_message(
    in_village_a: Village, name: str, content: bytes, message: str
) -> None:
    p = ajukan(warga())
    with pytest.raises(ValidationError) as exc:
        services.lampirkan_dokumen(permohonan=p, kode_dokumen="ktp", berkas=SimpleUploadedFile(name, content))
    assert exc.value.message_dict["berkas"][0].startswith(message)
    assert not Lampiran.objects.filter(permohonan=p).exists()


def test_upload_refuses_a_truncated_image_even_after_weasyprint_loaded(in_village_a: Village) -> None:
    import weasyprint  # noqa: F401  # sets Pillow's process-wide LOAD_TRUNCATED_IMAGES

    p = ajukan(warga())
    potong = _png()[:-20]  # IEND and part of the data gone
    with pytest.raises(ValidationError) as exc:
        services.lampirkan_dokumen(permohonan=p, kode_dokumen="ktp", berkas=SimpleUploadedFile("ktp.png", potong))
    assert exc.value.message_dict["berkas"] == ["Gambar rusak atau tidak dapat dibaca."]


def test_upload_refuses_a_document_the_template_does_not_ask(in_village_a: Village) -> None:
    p = ajukan(warga())
    with pytest.raises(ValidationError) as exc:
        services.lampirkan_dokumen(permohonan=p, kode_dokumen="akta", berkas=SimpleUploadedFile("a.png", _png()))
    assert exc.value.message_dict["kode_dokumen"] == ["Dokumen ini tidak diminta untuk jenis surat tersebut."]


# --- indicators -----------------------------------------------------------------------------------


def test_indicators_count_ready_letters_turnaround_and_self_service(in_village_a: Village) -> None:
    from tenants.surat import indicators

    assert indicators.surat_jumlah().nilai is None  # never used letters: no data, not zero
    w = warga()
    sampai(ajukan(w, kanal="mandiri"), S.DIPERIKSA, S.MENUNGGU_TTD, S.SIAP_DIAMBIL)
    ajukan(w, "sktm")
    assert indicators.surat_jumlah().nilai == 1
    assert indicators.surat_median_jam().nilai is not None
    ratio = indicators.rasio_swalayan()
    assert (ratio.pembilang, ratio.penyebut) == (1, 2)


def test_real_indicators_replace_the_placeholders() -> None:
    from platform_core.facts import registry

    for kunci in ("surat_jumlah", "surat_median_jam", "rasio_swalayan"):
        assert not registry.get(kunci).placeholder, kunci
