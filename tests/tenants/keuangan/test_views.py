"""Operator pages: manual entry end to end, reports as PDF/.xlsx, import through the web, kelurahan refused."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from platform_core.tenancy.schemas import village_context
from tenants.keuangan.models import Apbdes, Transaksi
from tenants.keuangan.siskeudes.contoh import tabel_contoh, tulis_zip
from tests.conftest import host_of, signed_in

TAHUN = 2025


def url(name: str, *args: object) -> str:
    return reverse(f"keuangan:{name}", args=args, urlconf="platform_core.urls_village")


def test_manual_entry_end_to_end(client_a, villages):
    r = client_a.post(url("index"), {"tahun": TAHUN})
    assert r.status_code == 302
    with village_context(villages.a):
        apbdes = Apbdes.objects.get(tahun=TAHUN)
    page = client_a.get(r["Location"])
    assert page.status_code == 200 and "Tambah baris anggaran" in page.content.decode()

    for data in (
        {"kode_rekening": "4.2.1.01", "kode_kegiatan": "", "sumber_dana": "DDS", "jumlah": "1.000.000.000"},
        {"kode_rekening": "5.3.5.02", "kode_kegiatan": "02.03.06", "sumber_dana": "DDS", "jumlah": "600000000"},
        {"kode_rekening": "5.2.1.07", "kode_kegiatan": "04.02.01", "sumber_dana": "DDS", "jumlah": "400000000"},
    ):
        assert client_a.post(url("apbdes", apbdes.pk), data).status_code == 302
    bad = client_a.post(url("apbdes", apbdes.pk), {"kode_rekening": "5.3.5.02", "sumber_dana": "DDS", "jumlah": "1"})
    assert bad.status_code == 400
    assert "wajib memiliki kode bidang" in bad.content.decode()

    r = client_a.post(url("tetapkan", apbdes.pk), {"nomor_perdes": "1/2024", "tanggal_penetapan": "2024-12-20"})
    assert r.status_code == 302
    tahun_page = client_a.get(url("tahun", TAHUN)).content.decode()
    assert "1.000.000.000" in tahun_page and "ditetapkan" in tahun_page

    trx = {"tanggal": f"{TAHUN}-03-10", "kode_rekening": "5.3.5.02", "kode_kegiatan": "02.03.06", "sumber_dana": "DDS"}
    assert (
        client_a.post(url("transaksi", TAHUN), {**trx, "jumlah": "150.000.000", "no_bukti": "SPP/1"}).status_code == 302
    )
    salah = client_a.post(url("transaksi", TAHUN), {**trx, "kode_kegiatan": "01.01.01", "jumlah": "5"})
    assert salah.status_code == 400 and "Tidak ada baris anggaran" in salah.content.decode()
    with village_context(villages.a):
        assert [t.jumlah for t in Transaksi.objects.filter(tahun=TAHUN)] == [Decimal("150000000.00")]

    lap = client_a.get(url("laporan", TAHUN)).content.decode()
    assert "150.000.000" in lap and "(450.000.000)" in lap and "25,00" in lap
    pdf = client_a.get(url("laporan", TAHUN) + "?periode=semester1&format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client_a.get(url("laporan", TAHUN) + "?per=bidang&format=xlsx")
    assert xlsx.status_code == 200
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row]
    assert "02.03.06" in values and 150000000 in values

    for name in ("index", "impor"):
        assert client_a.get(url(name)).status_code == 200
    assert client_a.get(url("transaksi", TAHUN)).status_code == 200
    assert client_a.get(url("apbdes", apbdes.pk)).status_code == 200


def test_import_through_the_web(client_a, villages, tmp_path, settings):
    from tenants.keuangan.models import ImporSiskeudes
    from tenants.keuangan.tasks import import_siskeudes_job

    settings.MEDIA_ROOT = str(tmp_path)
    data = tulis_zip(tabel_contoh(TAHUN, baris=40, transaksi=60), tmp_path / "e.zip").read_bytes()
    upload = SimpleUploadedFile("ekspor-siskeudes.zip", data, content_type="application/zip")
    r = client_a.post(url("impor"), {"tahun": TAHUN, "file": upload})
    assert r.status_code == 302, r.content.decode()[:2000]
    job_url = r["Location"]
    page = client_a.get(job_url).content.decode()
    assert "Impor Siskeudes 2025" in page and 'hx-trigger="every 1s"' in page  # polls while waiting
    with village_context(villages.a):
        job = ImporSiskeudes.objects.get()
        assert job.status == "menunggu"
        result = import_siskeudes_job.run(job.pk)  # what the worker does, in the schema it was sent from
        assert result["status"] == "berhasil"
        assert not (tmp_path / job.path).exists()  # the upload is gone once the job has its outcome
    status = client_a.get(job_url + "status/").content.decode()
    assert "Berhasil" in status and "every 1s" not in status
    assert "Lihat APBDes 2025" in status
    # a bad upload: not a zip -> the job fails with a clear message, nothing written
    bad = SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 bukan zip", content_type="application/pdf")
    r = client_a.post(url("impor"), {"tahun": TAHUN, "file": bad})
    with village_context(villages.a):
        job = ImporSiskeudes.objects.latest("created_at")
        import_siskeudes_job.run(job.pk)
    status = client_a.get(r["Location"] + "status/").content.decode()
    assert "bukan arsip .zip" in status and "Tidak ada data yang disimpan" in status
    report = client_a.get(r["Location"] + "laporan/")
    assert report["Content-Type"] == "text/csv" and "bukan arsip .zip" in report.content.decode("utf-8-sig")


@pytest.mark.parametrize("name", ["index", "impor"])
def test_kelurahan_has_no_finance_pages(villages, db, name):
    assert villages.b.jenis == "kelurahan"
    client = signed_in("operator_b", host_of(villages.b))
    r = client.get(url(name))
    assert r.status_code == 404
    assert "Kelurahan tidak memiliki APBDes" in r.content.decode()
    r = client.post(url("index"), {"tahun": TAHUN})
    assert r.status_code == 404
    with village_context(villages.b):
        assert not Apbdes.objects.exists()


def test_zip_helper_is_a_zip(tmp_path):
    path = tulis_zip({"Ta_RAB": (["Tahun"], [["2025"]])}, tmp_path / "x.zip")
    assert zipfile.is_zipfile(path)


def test_amendment_edit_and_delete_through_the_pages(client_a, villages):
    from tenants.keuangan import services

    with village_context(villages.a):
        a = services.apbdes_buat(tahun=TAHUN)
        baris = services.baris_simpan(
            apbdes=a, kode_rekening="5.2.1.01", kode_kegiatan="01.01.04", sumber_dana="ADD", jumlah=1000
        )
    # edit a line of the draft
    data = {"kode_rekening": "5.2.1.01", "kode_kegiatan": "01.01.04", "sumber_dana": "ADD", "jumlah": "2000"}
    assert client_a.get(url("baris", baris.pk)).status_code == 200
    assert client_a.post(url("baris", baris.pk), data).status_code == 302
    # tetapkan refuses a missing number, with the message on the version page
    r = client_a.post(url("tetapkan", a.pk), {"nomor_perdes": "", "tanggal_penetapan": "2024-12-20"})
    assert r.status_code == 400 and "Data belum disimpan" in r.content.decode()
    assert (
        client_a.post(url("tetapkan", a.pk), {"nomor_perdes": "1", "tanggal_penetapan": "2024-12-20"}).status_code
        == 302
    )
    # a ditetapkan line cannot be edited any more
    r = client_a.post(url("baris", baris.pk), {**data, "jumlah": "3000"})
    assert r.status_code == 400 and "sudah ditetapkan" in r.content.decode()
    # the amendment: a new draft copying the lines
    r = client_a.post(url("perubahan", TAHUN))
    assert r.status_code == 302
    with village_context(villages.a):
        pak = Apbdes.objects.get(tahun=TAHUN, versi=1)
        assert [b.jumlah for b in pak.baris.all()] == [Decimal("2000.00")]
    assert "Perubahan" in client_a.get(r["Location"]).content.decode()
    # a second amendment while one is draft is refused with a message
    r = client_a.post(url("perubahan", TAHUN), follow=True)
    assert "masih draf" in r.content.decode()
    # delete the draft amendment; the original stays
    assert client_a.post(url("apbdes-hapus", pak.pk)).status_code == 302
    with village_context(villages.a):
        assert list(Apbdes.objects.values_list("versi", flat=True)) == [0]
    # record, edit and delete a transaction
    trx = {"tanggal": f"{TAHUN}-05-01", "kode_rekening": "5.2.1.01", "kode_kegiatan": "01.01.04", "sumber_dana": "ADD"}
    assert client_a.post(url("transaksi", TAHUN), {**trx, "jumlah": "500"}).status_code == 302
    with village_context(villages.a):
        t = Transaksi.objects.get()
    assert client_a.get(url("transaksi-ubah", t.pk)).status_code == 200
    assert client_a.post(url("transaksi-ubah", t.pk), {**trx, "jumlah": "700"}).status_code == 302
    with village_context(villages.a):
        assert Transaksi.objects.get().jumlah == Decimal("700.00")
    assert client_a.post(url("transaksi-hapus", t.pk)).status_code == 302
    with village_context(villages.a):
        assert not Transaksi.objects.exists()
