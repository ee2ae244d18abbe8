"""Import/export through the operator pages and the API; the job as a Celery task.

Uploads are queued on commit; inside a test transaction the queued task is captured and run
by calling the task function (synchronously, in the village's schema). One test sends it to a
real worker on the "imports" queue.
"""

from __future__ import annotations

import html
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from pytest_django.fixtures import Settings

from platform_core.tenancy import schemas
from platform_core.tenancy.schemas import village_context
from tenants.penduduk.impor.services import import_job_create
from tenants.penduduk.models import ImportJob, Penduduk
from tenants.penduduk.tasks import import_penduduk_job
from tests.conftest import Villages, host_of, signed_in
from tests.tenants.penduduk.data.register_files import family_rows, write_xlsx
from tests.workers.test_tenant_tasks import committed as in_thread
from tests.workers.test_tenant_tasks import in_village
from workers import app

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def xlsx_upload(tmp_path: Path, rows: list[dict[str, Any]], name: str = "desa.xlsx") -> SimpleUploadedFile:
    path = write_xlsx(tmp_path / "upload.xlsx", rows)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="application/octet-stream")


class Queue:
    """Uploads whose Celery job is captured instead of sent; `run()` does what the worker would."""

    def __init__(self, villages: Villages, capture: Any) -> None:
        self.villages = villages
        self.capture = capture
        self.sent: list[int] = []

    def post(self, client: Client, url: str, data: dict[str, Any]) -> Any:
        with self.capture(execute=True) as callbacks:
            response = client.post(url, data)
        if response.status_code in (202, 302):
            assert callbacks, "the upload queues its job on commit"
        return response

    def run(self) -> None:
        with village_context(self.villages.a):
            for job_id in self.sent:
                import_penduduk_job(job_id)


@pytest.fixture
def queue(
    villages: Villages, media: Path, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> Queue:
    queued = Queue(villages, django_capture_on_commit_callbacks)
    monkeypatch.setattr(import_penduduk_job, "delay", queued.sent.append)
    return queued


def test_upload_queues_a_job_and_the_job_page_polls_until_done(
    client_a: Client, villages: Villages, media: Path, tmp_path: Path, queue: Queue
) -> None:
    r = queue.post(client_a, "/operator/impor/", {"file": xlsx_upload(tmp_path, family_rows(12))})
    assert r.status_code == 302
    job_id = queue.sent[0]
    assert r["Location"] == f"/operator/impor/{job_id}/"
    with village_context(villages.a):
        job = ImportJob.objects.get(pk=job_id)
    stored = media / job.path
    assert stored.is_file() and stored.parent == media / "impor" / villages.a.schema_name
    assert "." not in stored.name and job.nama_file == "desa.xlsx"

    page = client_a.get(f"/operator/impor/{job_id}/").content.decode()
    assert f'hx-get="/operator/impor/{job_id}/status/"' in page and 'hx-trigger="every 1s"' in page

    queue.run()

    fragment = client_a.get(f"/operator/impor/{job_id}/status/").content.decode()
    assert "hx-trigger" not in fragment  # done: polling stops
    assert "12 penduduk" in fragment
    assert not stored.exists()  # the uploaded register is not kept once imported
    with village_context(villages.a):
        assert Penduduk.objects.filter(nama__startswith="Warga ").count() == 12
    index = client_a.get("/operator/impor/").content.decode()
    assert "desa.xlsx" in index and "Berhasil" in index


def test_failed_job_shows_errors_before_warnings_and_offers_the_report(
    client_a: Client, tmp_path: Path, queue: Queue
) -> None:
    rows = family_rows(4)
    rows[0]["tanggallahir"] = "1-1-1960"  # disagrees with the NIK: a warning
    rows[1]["agama_id"] = 42  # an error
    queue.post(client_a, "/operator/impor/", {"file": xlsx_upload(tmp_path, rows)})
    queue.run()
    job_id = queue.sent[0]

    page = html.unescape(client_a.get(f"/operator/impor/{job_id}/").content.decode())
    assert page.index('data-testid="impor-galat"') < page.index('data-testid="impor-peringatan"')
    assert 'Kode agama "42" tidak dikenal' in page

    csv_report = client_a.get(f"/operator/impor/{job_id}/laporan/?format=csv")
    assert csv_report["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_report["Content-Disposition"]
    lines = csv_report.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "jenis;baris;kolom;pesan"
    assert lines[1].startswith("galat;3;agama_id;") and lines[2].startswith("peringatan;")

    xlsx_report = client_a.get(f"/operator/impor/{job_id}/laporan/")
    assert xlsx_report["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_report.content))["Laporan impor"]
    assert [c.value for c in sheet[2]][:3] == ["galat", 3, "agama_id"]


def test_oversized_or_missing_upload_is_refused_on_the_form(client_a: Client, media: Path, queue: Queue) -> None:
    r = client_a.post("/operator/impor/", {})
    assert r.status_code == 400 and "Pilih file" in r.content.decode()
    from tenants.penduduk.impor import services

    big = SimpleUploadedFile("besar.xlsx", b"x" * 2048)
    original = services.MAX_FILE_BYTES
    services.MAX_FILE_BYTES = 1024
    try:
        r = client_a.post("/operator/impor/", {"file": big})
    finally:
        services.MAX_FILE_BYTES = original
    assert r.status_code == 400 and "terlalu besar" in r.content.decode()
    assert not queue.sent and not (media / "impor").exists()  # nothing stored, nothing queued


def test_template_and_export_downloads(client_a: Client, villages: Villages, tmp_path: Path) -> None:
    template = client_a.get("/operator/impor/template/")
    assert template.status_code == 200 and template["Content-Type"] == XLSX
    assert template["Content-Disposition"] == 'attachment; filename="template-impor-penduduk.xlsx"'
    assert openpyxl.load_workbook(io.BytesIO(template.content)).sheetnames == ["Data Penduduk", "Kode Data", "Petunjuk"]

    from tenants.penduduk.impor.services import import_file

    with village_context(villages.a):
        path = write_xlsx(tmp_path / "isi.xlsx", family_rows(5))
        assert import_file(path=path, nama_file="isi.xlsx").status == ImportJob.Status.BERHASIL
    export = client_a.get("/operator/impor/export/")
    assert export.status_code == 200 and export["Content-Type"] == XLSX
    assert export["Cache-Control"] == "no-store"
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content))["Data Penduduk"].iter_rows(values_only=True))
    assert rows[0][:7] == ("alamat", "dusun", "rw", "rt", "nama", "no_kk", "nik")
    assert len(rows) == 6
    # every exported full record is in the access log, under the operator who took the file
    with village_context(villages.a):
        from tenants.penduduk.models import AksesLog

        logged = AksesLog.objects.filter(alasan="ekspor data penduduk (.xlsx)")
        assert logged.count() == Penduduk.objects.count() == 5
        assert set(logged.values_list("petugas_nama", flat=True)) == {"operator_a"}


def test_pages_are_for_the_village_operator_only(villages: Villages, db: None) -> None:
    anonymous = Client(HTTP_HOST=host_of(villages.a)).get("/operator/impor/")
    assert anonymous.status_code == 302  # to the sign-in page
    other = signed_in("operator_b", host_of(villages.b))
    assert other.get("/operator/impor/", HTTP_HOST=host_of(villages.a)).status_code == 404


# --- API ---------------------------------------------------------------------------------------


def test_api_upload_returns_202_with_the_job_then_its_status(client_a: Client, tmp_path: Path, queue: Queue) -> None:
    r = queue.post(client_a, "/api/penduduk/impor/", {"file": xlsx_upload(tmp_path, family_rows(7))})
    assert r.status_code == 202, r.content
    job_id = r.json()["id"]
    assert r.json()["status"] == "menunggu" and r.json()["url"].endswith(f"/api/penduduk/impor/{job_id}/")
    waiting = client_a.get(f"/api/penduduk/impor/{job_id}/").json()
    assert (waiting["status"], waiting["selesai"], waiting["persen"]) == ("menunggu", False, 0)

    queue.run()

    done = client_a.get(f"/api/penduduk/impor/{job_id}/").json()
    assert (done["status"], done["selesai"], done["persen"]) == ("berhasil", True, 100)
    assert (done["penduduk_dibuat"], done["total_baris"], done["baris_diproses"]) == (7, 7, 7)
    assert done["galat"] == [] and isinstance(done["peringatan"], list)


def test_api_reports_errors_per_row(client_a: Client, tmp_path: Path, queue: Queue) -> None:
    rows = family_rows(3)
    rows[2]["nik"] = rows[1]["nik"]
    job_id = queue.post(client_a, "/api/penduduk/impor/", {"file": xlsx_upload(tmp_path, rows)}).json()["id"]
    queue.run()
    done = client_a.get(f"/api/penduduk/impor/{job_id}/").json()
    assert done["status"] == "gagal"
    assert done["galat"][0]["baris"] == 4 and done["galat"][0]["kolom"] == "nik"


def test_api_refuses_a_missing_file_and_other_villages_jobs(client_a: Client, villages: Villages) -> None:
    r = client_a.post("/api/penduduk/impor/", {})
    assert r.status_code == 400 and "file" in r.json()["errors"]
    with village_context(villages.b):
        other = ImportJob.objects.create(nama_file="b.xlsx", path="x")
    with village_context(villages.a):
        assert not ImportJob.objects.filter(pk=other.pk).exists()  # ids are per village schema
    assert client_a.get(f"/api/penduduk/impor/{other.pk}/").status_code == 404


def test_the_schema_documents_the_import_endpoints(client_a: Client) -> None:
    schema = client_a.get("/api/schema/?format=json").json()
    assert "post" in schema["paths"]["/api/penduduk/impor/"]
    assert "get" in schema["paths"]["/api/penduduk/impor/{id}/"]


# --- the task ----------------------------------------------------------------------------------


def test_task_is_idempotent_and_runs_in_the_schema_it_is_given(
    villages: Villages, in_village_a: Any, media: Path, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", family_rows(4))
    folder = media / "impor" / villages.a.schema_name
    folder.mkdir(parents=True)
    (folder / "berkas").write_bytes(path.read_bytes())
    job = ImportJob.objects.create(nama_file="a.xlsx", path=f"impor/{villages.a.schema_name}/berkas")

    first = import_penduduk_job(job.pk)
    again = import_penduduk_job(job.pk)

    assert (
        first
        == again
        == {
            "schema": villages.a.schema_name,
            "job": job.pk,
            "status": "berhasil",
            "penduduk_dibuat": 4,
        }
    )
    assert Penduduk.objects.filter(nama__startswith="Warga ").count() == 4  # written once


# A real worker on the "imports" queue. The job fails on purpose (a duplicate NIK): the test then
# leaves nothing behind but its job row (history rows of a successful import cannot be deleted).


@pytest.fixture
def imports_worker(villages: Villages) -> Iterator[None]:
    assert not connection.in_atomic_block, "request `imports_worker` before any fixture that uses `db`"
    app.control.purge()
    with start_worker(
        app, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING", queues=["imports"]
    ):
        yield
    schemas.activate(None)


def test_job_sent_from_a_village_runs_on_the_imports_queue_in_that_village(
    imports_worker: None, villages: Villages, db: None, settings: Settings, tmp_path: Path
) -> None:
    """Committed work runs on a fresh connection in a helper thread (the worker cannot see this test's
    transaction); the upload is queued at once there (autocommit) from inside village A."""
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = family_rows(3)
    rows[2]["nik"] = rows[1]["nik"]
    upload = xlsx_upload(tmp_path, rows)
    job = in_thread(in_village(villages.a, lambda: import_job_create(upload=upload)))
    job_id = job.pk
    try:
        deadline = time.monotonic() + 20
        while True:
            job = in_thread(in_village(villages.a, lambda: ImportJob.objects.get(pk=job_id)))
            if job.status == ImportJob.Status.GAGAL or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert job.status == ImportJob.Status.GAGAL, job.pesan
        assert job.galat[0]["baris"] == 4 and "sama dengan NIK di baris 3" in job.galat[0]["pesan"]
        assert not (Path(settings.MEDIA_ROOT) / job.path).exists()
    finally:
        in_thread(in_village(villages.a, lambda: ImportJob.objects.filter(pk=job_id).delete()))


@pytest.mark.usefixtures("media")
def test_upload_with_the_queue_down_waits_and_the_job_page_sends_it_again(
    client_a: Client, villages: Villages, tmp_path: Path, queue: Queue, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the queue (Redis) is down when the file comes in
    def down(job_id: int) -> None:
        raise ConnectionError("redis down")

    monkeypatch.setattr(import_penduduk_job, "delay", down)
    with queue.capture(execute=True):
        r = client_a.post("/operator/impor/", {"file": xlsx_upload(tmp_path, family_rows(3))})
    # then the upload still succeeds, and the job waits with a message
    assert r.status_code == 302
    with village_context(villages.a):
        job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.MENUNGGU and "tidak tersedia" in job.pesan
    # when the queue is back, the job page (polled by the browser) sends it again
    monkeypatch.setattr(import_penduduk_job, "delay", queue.sent.append)
    assert client_a.get(f"/operator/impor/{job.pk}/status/").status_code == 200
    assert queue.sent == [job.pk]
    with village_context(villages.a):
        job.refresh_from_db()
    assert job.pesan == ""
