"""The functions tenants.mandiri builds on (the self-service contract): signatures and behaviour."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from platform_core.tenancy.models import Village
from tenants.penduduk import reference as ref
from tenants.surat import selectors, services
from tenants.surat.models import Status
from tests.tenants.penduduk.factories import KeluargaFactory, PendudukFactory


def test_template_layanan_gives_the_built_in_set_with_fields_and_documents(in_village_a: Village) -> None:
    templates = list(selectors.template_layanan())
    kodes = {t.kode for t in templates}
    assert len(templates) >= 15
    assert {"ket-domisili", "sktm", "ket-usaha", "ket-kematian", "pengantar-skck"} <= kodes
    usaha = next(t for t in templates if t.kode == "ket-usaha")
    assert {"nama": "nama_usaha", "label": "Nama/jenis usaha", "wajib": True} in usaha.isian
    assert {"kode": "pengantar_rt", "label": "Surat pengantar RT/RW"} in usaha.dokumen


def test_request_from_self_service_then_ready_then_the_resident_gets_the_pdf(in_village_a: Village) -> None:
    warga = PendudukFactory(keluarga=KeluargaFactory(), hubungan=ref.Hubungan.KEPALA_KELUARGA)
    other = PendudukFactory()
    p = services.ajukan_permohonan(
        template_kode="ket-domisili", penduduk_id=warga.pk, isian={}, keperluan="Melamar kerja", kanal="mandiri"
    )
    assert p.status == Status.DIAJUKAN
    services.lampirkan_dokumen(
        permohonan=p, kode_dokumen="ktp", berkas=SimpleUploadedFile("ktp.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n")
    )
    assert [x.pk for x in selectors.permohonan_warga(warga.pk)] == [p.pk]
    assert selectors.permohonan_warga(warga.pk)[0].get_status_display() == "Diajukan"
    assert selectors.pdf_untuk_warga(permohonan_id=p.pk, penduduk_id=warga.pk) is None
    before = selectors.surat_selesai_bulan_ini()
    services.terbitkan_langsung(permohonan=p)
    pdf = selectors.pdf_untuk_warga(permohonan_id=p.pk, penduduk_id=warga.pk)
    assert pdf is not None and pdf.startswith(b"%PDF")
    assert selectors.pdf_untuk_warga(permohonan_id=p.pk, penduduk_id=other.pk) is None
    assert selectors.surat_selesai_bulan_ini() == before + 1


def test_request_refuses_missing_fields_in_indonesian(in_village_a: Village) -> None:
    warga = PendudukFactory(tanggal_lahir=dt.date(1980, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.ajukan_permohonan(
            template_kode="ket-usaha", penduduk_id=warga.pk, isian={}, keperluan="", kanal="anjungan"
        )
    errors = exc.value.message_dict
    assert errors["keperluan"] == ["Keperluan wajib diisi."]
    assert errors["nama_usaha"] == ["Nama/jenis usaha wajib diisi."]
