"""Import of register files (OpenSID template, ours, CSV): what is written, what blocks, what only warns.

The import runs synchronously here (the service the Celery task calls); test_impor_web.py covers the
pages, the API and the Celery route.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import village_context
from tenants.outbox.models import OutboxEvent
from tenants.penduduk import reference as ref
from tenants.penduduk.impor.export import export_xlsx, template_xlsx
from tenants.penduduk.impor.readers import MAX_FILE_BYTES
from tenants.penduduk.impor.services import import_file
from tenants.penduduk.models import Dusun, ImportJob, Keluarga, Mutasi, Penduduk, Rt, Rw
from tests.conftest import Villages
from tests.tenants.penduduk.data.register_files import (
    HEADER,
    family_rows,
    kk_for,
    nik_for,
    person,
    write_csv,
    write_xlsx,
)

OPENSID_TEMPLATE = Path("/work/shared/data/opensid/FormatImporExcel.xlsm")
pytestmark = pytest.mark.usefixtures("in_village_a")


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Penduduk, Keluarga, Mutasi, Dusun, Rw, Rt, OutboxEvent)}


def run(path: Path) -> ImportJob:
    return import_file(path=path, nama_file=path.name)


def messages(issues: list[dict[str, Any]], kolom: str | None = None) -> list[str]:
    return [i["pesan"] for i in issues if kolom is None or i["kolom"] == kolom]


def assert_refused(path: Path) -> ImportJob:
    """The file fails as a whole: a clear report, nothing written."""
    before = counts()
    job = run(path)
    assert job.status == ImportJob.Status.GAGAL, job.pesan
    assert job.galat, "a failed job lists what is wrong"
    assert job.penduduk_dibuat == 0
    assert counts() == before
    return job


def family(no: int = 1, *, head: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """A head, his wife and a daughter, all with NIKs that agree with their data."""
    kk = kk_for(no)
    return [
        person(nama=f"Kepala {no}", no_kk=kk, serial=no, **(head or {})),
        person(
            nama=f"Istri {no}", no_kk=kk, kk_level=3, perempuan=True, born=dt.date(1988, 2, 3), serial=no
        ),
        person(
            nama=f"Anak {no}", no_kk=kk, kk_level=4, perempuan=True, born=dt.date(2012, 7, 30), serial=no,
            status_kawin=1, pekerjaan_id=3,
        ),
    ]  # fmt: skip


# --- a good file ------------------------------------------------------------------------------


def test_good_file_writes_territory_families_residents_history_and_one_event(tmp_path: Path) -> None:
    rows = family(1) + family(2, head={"dusun": "Dusun II", "rw": "-", "rt": "3"})
    rows[0].update(
        golongan_darah_id="A+", agama_id="ISLAM", ayah_nik=nik_for(dt.date(1950, 1, 1), perempuan=False, serial=9)
    )
    before = counts()

    job = run(write_xlsx(tmp_path / "desa.xlsx", rows))

    assert job.status == ImportJob.Status.BERHASIL, job.galat
    assert (job.penduduk_dibuat, job.keluarga_dibuat, job.total_baris, job.baris_diproses) == (6, 2, 6, 6)
    after = counts()
    assert after["Penduduk"] - before["Penduduk"] == 6
    assert after["Keluarga"] - before["Keluarga"] == 2
    assert after["Mutasi"] - before["Mutasi"] == 6
    assert Mutasi.objects.filter(aksi=Mutasi.Aksi.DIIMPOR).count() == 6
    kepala = Penduduk.objects.select_related("keluarga", "rt__rw__dusun").get(nama="Kepala 1")
    assert kepala.hubungan == ref.Hubungan.KEPALA_KELUARGA
    assert kepala.golongan_darah == ref.GolonganDarah.A_POSITIF  # "A+" typed as text
    assert kepala.agama == ref.Agama.ISLAM  # "ISLAM" typed as text
    assert kepala.tanggal_lahir == dt.date(1985, 5, 12)
    assert kepala.keluarga is not None and kepala.keluarga.alamat == "Jl. Raya Candipuro No. 1"
    assert kepala.rt is not None and (kepala.rt.rw.dusun.nama, kepala.rt.rw.nomor, kepala.rt.nomor) == (
        "Dusun I",
        "001",
        "002",
    )
    assert kepala.keluarga.rt_id == kepala.rt_id
    assert kepala.nik_ayah and not kepala.perlu_diperiksa
    kepala2 = Penduduk.objects.select_related("rt__rw").get(nama="Kepala 2")
    assert kepala2.rt is not None and (kepala2.rt.rw.nomor, kepala2.rt.nomor) == ("-", "003")  # RW "-", RT 3 -> 003
    assert Penduduk.objects.get(nama="Anak 1").keluarga == kepala.keluarga
    event = OutboxEvent.objects.filter(topic="penduduk.diimpor").get()
    assert event.payload["penduduk_dibuat"] == 6 and event.payload["keluarga_dibuat"] == 2
    assert not {"nik", "nama", "no_kk"} & set(event.payload)  # counts only
    assert any('RW "-"' in m for m in messages(job.peringatan, "rw"))  # RW "-" warns, does not block


def test_csv_with_semicolons_and_bom_imports_like_excel(tmp_path: Path) -> None:
    rows = family(3)
    rows[1]["tanggallahir"] = "1988-02-03"  # yyyy-mm-dd text
    job = run(write_csv(tmp_path / "desa.csv", rows, delimiter=";", bom=True))
    assert job.status == ImportJob.Status.BERHASIL, job.galat
    assert Penduduk.objects.get(nama="Istri 3").tanggal_lahir == dt.date(1988, 2, 3)
    assert Penduduk.objects.get(nama="Kepala 3").tanggal_lahir == dt.date(1985, 5, 12)  # dd-mm-yyyy text


def test_comma_csv_without_bom_imports(tmp_path: Path) -> None:
    job = run(write_csv(tmp_path / "desa.csv", family(4)))
    assert job.status == ImportJob.Status.BERHASIL, job.galat
    assert job.penduduk_dibuat == 3


def test_type_is_read_from_content_not_name(tmp_path: Path) -> None:
    xlsx_named_csv = write_xlsx(tmp_path / "sebenarnya-excel.csv", family(5))
    assert run(xlsx_named_csv).status == ImportJob.Status.BERHASIL
    csv_named_xlsx = write_csv(tmp_path / "sebenarnya-csv.xlsx", family(6))
    assert run(csv_named_xlsx).status == ImportJob.Status.BERHASIL


def test_empty_nik_gets_a_temporary_nik_of_the_village(tmp_path: Path, in_village_a: Village) -> None:
    rows = family(7)
    rows[2]["nik"] = None
    job = run(write_xlsx(tmp_path / "desa.xlsx", rows))
    assert job.status == ImportJob.Status.BERHASIL, job.galat
    anak = Penduduk.objects.get(nama="Anak 7")
    assert anak.nik_sementara and anak.nik.startswith("0" + in_village_a.kode.replace(".", ""))
    assert any("NIK sementara" in m for m in messages(job.peringatan, "nik"))


# --- warnings do not block ----------------------------------------------------------------------


def test_birth_date_and_sex_disagreeing_with_nik_import_flagged(tmp_path: Path) -> None:
    rows = family(8)
    rows[0]["tanggallahir"] = dt.datetime(1985, 6, 12)  # NIK says 12-05-85
    rows[1]["sex"] = 1  # NIK says perempuan
    rows[2].update(ayah_nik=None, ibu_nik=None)
    job = run(write_xlsx(tmp_path / "desa.xlsx", rows))

    assert job.status == ImportJob.Status.BERHASIL, job.galat
    kepala = Penduduk.objects.get(nama="Kepala 8")
    assert kepala.perlu_diperiksa and "tanggal lahir 12-06-1985 tidak sesuai NIK" in kepala.catatan_periksa
    assert kepala.tanggal_lahir == dt.date(1985, 6, 12)  # what the register recorded is kept
    istri = Penduduk.objects.get(nama="Istri 8")
    assert istri.perlu_diperiksa and "jenis kelamin" in istri.catatan_periksa
    assert not Penduduk.objects.get(nama="Anak 8").perlu_diperiksa
    assert [w["baris"] for w in job.peringatan if w["kolom"] in ("tanggallahir", "sex")] == [2, 3]
    assert any("NIK ayah kosong" in m for m in messages(job.peringatan, "ayah_nik"))
    assert "ditandai perlu diperiksa" in job.pesan


def test_unknown_kecamatan_in_nik_warns(tmp_path: Path) -> None:
    rows = family(9)
    # 18.01.99 is not a kecamatan of Lampung Selatan; the kabupaten 18.01 exists.
    rows[0]["nik"] = nik_for(dt.date(1985, 5, 12), perempuan=False, serial=9, kecamatan="180199")
    job = run(write_xlsx(tmp_path / "desa.xlsx", rows))
    assert job.status == ImportJob.Status.BERHASIL, job.galat
    assert any("Kode kecamatan" in m for m in messages(job.peringatan, "nik"))


# --- blocking errors: nothing written -----------------------------------------------------------


def test_missing_and_unknown_columns_are_named(tmp_path: Path) -> None:
    header = [h for h in HEADER if h not in ("nik", "agama_id")] + ["tanggal_lahir_salah"]
    job = assert_refused(write_xlsx(tmp_path / "kolom.xlsx", family(10), header=header))
    text = " ".join(messages(job.galat))
    assert "Kolom wajib tidak ada: nik, agama_id" in text
    assert "Kolom tidak dikenal: tanggal_lahir_salah" in text
    assert all(i["baris"] is None for i in job.galat)


def test_a_file_with_other_columns_entirely_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lain.csv"
    path.write_text("No,Nama Barang,Harga\n1,Cangkul,50000\n", encoding="utf-8")
    job = assert_refused(path)
    assert "Kolom wajib tidak ada" in " ".join(messages(job.galat))


def test_bad_nik_and_bad_no_kk_are_errors_with_row_and_column(tmp_path: Path) -> None:
    rows = family(11)
    rows[1]["nik"] = "18011743020"  # too short
    rows[2]["nik"] = "1801177230120011"  # day 72-40 = 32: no such date
    rows[0]["no_kk"] = rows[1]["no_kk"] = rows[2]["no_kk"] = "1899010101200001"  # kabupaten 18.99 does not exist
    job = assert_refused(write_xlsx(tmp_path / "nik.xlsx", rows))
    nik_errors = [(i["baris"], i["kolom"]) for i in job.galat if i["kolom"] == "nik"]
    assert nik_errors == [(3, "nik"), (4, "nik")]
    assert "16 digit" in messages(job.galat, "nik")[0]
    assert any("kabupaten/kota" in m for m in messages(job.galat, "no_kk"))


def test_duplicate_nik_inside_the_file_names_the_earlier_row(tmp_path: Path) -> None:
    rows = family(12) + family(13)
    rows[4]["nik"] = rows[1]["nik"]
    rows[4]["born"] = None
    job = assert_refused(write_xlsx(tmp_path / "ganda.xlsx", rows))
    assert messages(job.galat, "nik") == [
        f"NIK {rows[1]['nik']} sama dengan NIK di baris 3. Satu NIK hanya untuk satu orang."
    ]
    assert job.galat[0]["baris"] == 6


def test_nik_already_in_the_register_names_the_holder(tmp_path: Path) -> None:
    rows = family(14)
    assert run(write_xlsx(tmp_path / "pertama.xlsx", rows)).status == ImportJob.Status.BERHASIL
    again = family(15)
    again[0]["nik"] = rows[0]["nik"]
    again[0]["tanggallahir"] = rows[0]["tanggallahir"]
    job = assert_refused(write_xlsx(tmp_path / "kedua.xlsx", again))
    assert any("sudah terdaftar di desa ini atas nama Kepala 14" in m for m in messages(job.galat, "nik"))


def test_no_kk_already_in_the_register_is_an_error(tmp_path: Path) -> None:
    assert run(write_xlsx(tmp_path / "pertama.xlsx", family(16))).status == ImportJob.Status.BERHASIL
    rows = family(17)
    for row in rows:
        row["no_kk"] = kk_for(16)
    job = assert_refused(write_xlsx(tmp_path / "kedua.xlsx", rows))
    assert any("sudah terdaftar" in m for m in messages(job.galat, "no_kk"))


def test_family_without_head_or_with_two_heads_is_refused(tmp_path: Path) -> None:
    no_head = family(18)
    no_head[0]["kk_level"] = 2
    two_heads = family(19)
    two_heads[2]["kk_level"] = 1
    job = assert_refused(write_xlsx(tmp_path / "kepala.xlsx", no_head + two_heads))
    kk_errors = [(i["baris"], i["pesan"]) for i in job.galat if i["kolom"] == "kk_level"]
    assert kk_errors[0][0] == 2 and "tidak punya kepala keluarga" in kk_errors[0][1]
    assert kk_errors[1][0] == 7 and "lebih dari satu kepala keluarga (baris 5 dan 7)" in kk_errors[1][1]


def test_wrong_dates_are_errors(tmp_path: Path) -> None:
    rows = family(20) + family(21)
    rows[0]["tanggallahir"] = "31-02-1985"  # no such day
    rows[1]["tanggallahir"] = "kemarin"  # not a date
    rows[2]["tanggallahir"] = dt.datetime(2099, 1, 1)  # in the future
    rows[3]["tanggallahir"] = None  # empty: taken from the NIK, a warning
    job = assert_refused(write_xlsx(tmp_path / "tanggal.xlsx", rows))
    dates = {i["baris"]: i["pesan"] for i in job.galat if i["kolom"] == "tanggallahir"}
    assert set(dates) == {2, 3, 4}
    assert "tidak ada di kalender" in dates[2]
    assert "dd-mm-yyyy" in dates[3]
    assert "masa depan" in dates[4]
    assert any(w["baris"] == 5 and "diisi dari NIK" in w["pesan"] for w in job.peringatan)


def test_unknown_codes_and_missing_name_are_errors(tmp_path: Path) -> None:
    rows = family(22)
    rows[0]["agama_id"] = 9
    rows[1]["pekerjaan_id"] = "ASTRONOT"
    rows[2]["nama"] = "  "
    rows[2]["status_kawin"] = None
    job = assert_refused(write_xlsx(tmp_path / "kode.xlsx", rows))
    found = {(i["baris"], i["kolom"]) for i in job.galat}
    assert {(2, "agama_id"), (3, "pekerjaan_id"), (4, "nama"), (4, "status_kawin")} <= found
    agama = messages(job.galat, "agama_id")[0]
    assert 'Kode agama "9" tidak dikenal' in agama and "1 Islam" in agama


def test_errors_and_warnings_are_all_listed_and_errors_block(tmp_path: Path) -> None:
    rows = family(23)
    rows[0]["tanggallahir"] = dt.datetime(1985, 6, 12)  # a warning
    rows[1]["agama_id"] = 99  # an error
    job = assert_refused(write_xlsx(tmp_path / "campur.xlsx", rows))
    assert [i["kolom"] for i in job.galat] == ["agama_id"]
    assert any(w["kolom"] == "tanggallahir" for w in job.peringatan)


# --- files that are not what they claim ---------------------------------------------------------


def test_zip_bomb_named_xlsx_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(300):  # 300 MB of zeros in ~300 KB
                entry.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    job = assert_refused(path)
    assert "bom zip" in job.pesan


def test_highly_compressed_entry_is_refused_even_when_small_in_total(tmp_path: Path) -> None:
    path = tmp_path / "rasio.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/sharedStrings.xml", b"\0" * (20 * 1024 * 1024))
    job = assert_refused(path)
    assert "tidak wajar" in job.pesan


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("foto.xlsx", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 4, "bukan spreadsheet"),
        ("program.xlsx", b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff" + bytes(200), "bukan spreadsheet"),
        ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "Excel lama"),
        ("halaman.csv", b"<!doctype html><html><body>nama,nik</body></html>", "bukan spreadsheet"),
        ("kosong.xlsx", b"", "File kosong"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    job = assert_refused(path)
    assert expected in job.pesan


def test_a_word_document_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "surat.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    assert "Word" in assert_refused(path).pesan


def test_xml_entity_bomb_in_content_types_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tawa.xlsx"
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<Types>&b;</Types>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", bomb)
    assert "tidak aman" in assert_refused(path).pesan


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "besar.csv"
    with path.open("wb") as handle:
        handle.write(b"nama,nik\n")
        handle.truncate(MAX_FILE_BYTES + 1)
    assert "terlalu besar" in assert_refused(path).pesan


# --- OpenSID's own template ----------------------------------------------------------------------


def test_opensid_template_as_shipped_is_read_and_its_bogus_example_row_refused(tmp_path: Path) -> None:
    """The layout is accepted as it is (header row, codes, Excel dates, the "###" notes below the data).
    Its one example row is not a real person: NIK 8788888888888456 has no province 87 and no date
    88-88-88, and No. KK 6453... has no kabupaten 64.53. Those block; the rest only warns."""
    path = tmp_path / "FormatImporExcel.xlsm"
    shutil.copy(OPENSID_TEMPLATE, path)
    job = assert_refused(path)

    assert job.total_baris == 1  # rows 3-12 are empty, the notes from row 13 on are not data
    assert {(i["baris"], i["kolom"]) for i in job.galat} == {(2, "nik"), (2, "no_kk")}
    nik = " ".join(messages(job.galat, "nik"))
    assert 'provinsi "87"' in nik and "888888" in nik
    assert 'kabupaten/kota "64.53"' in " ".join(messages(job.galat, "no_kk"))
    # Not an error: an unreadable passport expiry (a number in a date column) and a bogus mother's NIK.
    warned = {(i["baris"], i["kolom"]) for i in job.peringatan}
    assert {(2, "tanggal_akhir_paspor"), (2, "ibu_nik")} <= warned


def test_opensid_template_with_a_real_example_imports(tmp_path: Path) -> None:
    """The same file once the example row carries a real NIK and No. KK (opened and saved in Excel)."""
    workbook = openpyxl.load_workbook(OPENSID_TEMPLATE, keep_vba=True)
    sheet = workbook["Data Penduduk"]
    sheet["F2"] = kk_for(30)
    sheet["G2"] = nik_for(dt.date(1978, 3, 28), perempuan=True, serial=1)  # agrees with its sex and birth date
    path = tmp_path / "FormatImporExcel-diisi.xlsm"
    workbook.save(path)

    job = run(path)

    assert job.status == ImportJob.Status.BERHASIL, job.galat
    warga = Penduduk.objects.select_related("keluarga", "rt__rw__dusun").get(nama="Nama Lengkap")
    assert warga.keluarga is not None and warga.keluarga.alamat == "Jl Melati Raya No. 234"
    assert warga.rt is not None and (warga.rt.rw.dusun.nama, warga.rt.rw.nomor, warga.rt.nomor) == (
        "Dusun Satu",
        "002",
        "001",
    )
    assert (warga.jenis_kelamin, warga.tanggal_lahir, warga.tempat_lahir) == (2, dt.date(1978, 3, 28), "Kebumen")
    assert (warga.agama, warga.pendidikan_kk, warga.pendidikan_sedang, warga.pekerjaan) == (1, 2, 8, 29)
    assert (warga.status_kawin, warga.hubungan, warga.warganegara, warga.golongan_darah) == (2, 1, 2, 8)
    assert (warga.cacat, warga.cara_kb, warga.hamil, warga.ktp_el, warga.status_rekam) == (7, 3, 1, 2, 4)
    assert warga.akta_lahir == "14-05-2015"  # a date typed in a document-number column is kept as text
    assert (warga.no_paspor, warga.no_kitas, warga.akta_perkawinan) == ("4433", "5203030410120074", "2222")
    assert (warga.tanggal_perkawinan, warga.tanggal_perceraian) == (dt.date(1998, 7, 20), dt.date(2004, 5, 2))
    assert (warga.tag_id_card, warga.asuransi, warga.nama_ayah, warga.nik_ayah) == (
        "4446891881",
        1,
        "Nama Ayah",
        "1111111111111111",
    )
    # The passport expiry column holds a 16-digit number: flagged, the original kept in the note.
    assert warga.tanggal_akhir_paspor is None and warga.perlu_diperiksa
    assert "tanggal akhir paspor" in warga.catatan_periksa and "5203033112800473" in warga.catatan_periksa


# --- export and our template ---------------------------------------------------------------------


def test_export_then_import_into_an_empty_village_round_trips(tmp_path: Path, villages: Villages) -> None:
    rows = family_rows(60, seed=3)
    rows[0]["tanggallahir"] = dt.datetime(1960, 1, 2)  # disagrees with its NIK: flagged on both imports
    rows[5].update(nik=None, sex=2, nama='=HYPERLINK("http://x")')  # temporary NIK, a formula-like name
    rows[7].update(status_dasar=2, cacat_id=3, hamil=2, tanggalperkawinan=dt.datetime(2001, 2, 3), suku="Lampung")
    first = run(write_xlsx(tmp_path / "asal.xlsx", rows))
    assert first.status == ImportJob.Status.BERHASIL, first.galat
    out = io.BytesIO()
    assert export_xlsx(out=out) == 60
    exported = tmp_path / "ekspor.xlsx"
    exported.write_bytes(out.getvalue())
    original = register_snapshot()

    with village_context(villages.b):  # another village, with none of these people
        assert not Penduduk.objects.filter(nik__in=[r[0] for r in original]).exists()
        job = run(exported)
        assert job.status == ImportJob.Status.BERHASIL, job.galat
        assert register_snapshot(niks=[r[0] for r in original]) == original
        assert Keluarga.objects.filter(no_kk__in={r["no_kk"] for r in rows}).count() == len({r["no_kk"] for r in rows})
        assert Penduduk.objects.get(nama__startswith="=HYPERLINK").nik_sementara


SNAPSHOT_SKIP = {"id", "created_at", "updated_at", "keluarga", "rt", "rumah_tangga", "catatan_periksa"}


def register_snapshot(niks: list[str] | None = None) -> list[tuple[Any, ...]]:
    """Every stored field of every resident, with family and territory by value (ids differ between villages)."""
    fields = [f.name for f in Penduduk._meta.concrete_fields if f.name not in SNAPSHOT_SKIP]
    qs = Penduduk.objects.order_by("nik")
    if niks is not None:
        qs = qs.filter(nik__in=niks)
    values = qs.values_list(
        "nik", *fields, "keluarga__no_kk", "keluarga__alamat", "rt__nomor", "rt__rw__nomor", "rt__rw__dusun__nama"
    )
    return list(values)


def test_our_template_has_the_opensid_columns_notes_and_codes(tmp_path: Path) -> None:
    out = io.BytesIO()
    template_xlsx(out=out)
    workbook = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    sheet = workbook["Data Penduduk"]
    header = [c.value for c in sheet[1]]
    assert header[: len(HEADER)] == HEADER  # OpenSID's columns, in OpenSID's order
    assert sheet["G1"].value == "nik" and "16 digit NIK" in sheet["G1"].comment.text
    assert sheet["G2"].number_format == "@"  # NIK cells are text: no lost digits
    kode = {(r[0], r[1]): r[2] for r in workbook["Kode Data"].iter_rows(min_row=2, values_only=True)}
    assert kode[("agama_id", 1)] == "Islam" and kode[("pekerjaan_id", 88)] == "Wiraswasta"
    assert "Petunjuk" in workbook.sheetnames
    # The empty template imports as "no data", not as a crash.
    path = tmp_path / "template.xlsx"
    path.write_bytes(out.getvalue())
    assert "tidak berisi data" in assert_refused(path).pesan
