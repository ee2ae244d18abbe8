"""Import jobs: store an upload, run it (read, check every row, write all or nothing), report.

`import_file` is the synchronous core the Celery task `import_penduduk_job` calls. Progress
(`baris_diproses`) is saved while rows are checked, outside the write transaction so the operator's
page sees it; the write itself is one transaction that also marks the job done, so a job is
written at most once even if a worker runs it twice.
"""

from __future__ import annotations

import logging
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from platform_core.tenancy.schemas import current_schema
from tenants.penduduk.impor.readers import MAX_FILE_BYTES, FileRefused, read_table
from tenants.penduduk.impor.validation import HeaderError, Issue, Validator, map_header
from tenants.penduduk.impor.writer import write_import
from tenants.penduduk.models import ImportJob

if TYPE_CHECKING:
    from platform_core.accounts.models import User

UPLOAD_DIR = "impor"
PROGRESS_EVERY_S = 0.5
MAX_ISSUES_KEPT = 20_000  # per list; the rest are counted in the job message

logger = logging.getLogger(__name__)


def upload_dir() -> Path:
    """MEDIA_ROOT/impor/<schema>/: outside the web root, never served."""
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR / current_schema()


def import_job_create(*, upload: UploadedFile, petugas: User | None = None) -> ImportJob:
    """Stores an uploaded file and queues its import job (Celery, "imports" queue) after commit.

    Refuses a file over the size limit with an Indonesian ValidationError and stores nothing.
    The file is saved as MEDIA_ROOT/impor/<schema>/<uuid> (no extension, not under the web root).
    """
    size = upload.size or 0
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            {
                "file": [
                    f"File terlalu besar ({size / 1024 / 1024:.1f} MB; batas {MAX_FILE_BYTES // 1024 // 1024} MB). "
                    "Bagi data menjadi beberapa file, mis. per dusun."
                ]
            }
        )
    if size == 0:
        raise ValidationError({"file": ["File kosong. Pilih file Excel (.xlsx/.xlsm) atau CSV."]})
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / uuid.uuid4().hex
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    nama_file = Path(upload.name or "impor").name[:200]
    job = ImportJob.objects.create(
        nama_file=nama_file,
        path=str(target.relative_to(settings.MEDIA_ROOT)),
        petugas_id=petugas.pk if petugas else None,
        petugas_nama=petugas.get_username() if petugas else "",
    )
    transaction.on_commit(lambda: import_job_enqueue(job=job))
    return job


ANTREAN_TIDAK_TERSEDIA = "Antrean pemrosesan sedang tidak tersedia; impor akan diproses setelah layanan pulih."


def import_job_enqueue(*, job: ImportJob) -> bool:
    """Sends the job to the "imports" queue. The job is committed whatever happens here: with the
    queue down it stays "menunggu" with a message, and the job page sends it again later (the task
    is idempotent). Returns whether the queue took it."""
    from tenants.penduduk.tasks import import_penduduk_job  # the task module imports this one

    try:
        import_penduduk_job.delay(job.pk)
    except Exception:
        logger.exception("import job %s could not be queued", job.pk)
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.MENUNGGU).update(pesan=ANTREAN_TIDAK_TERSEDIA)
        return False
    if job.pesan == ANTREAN_TIDAK_TERSEDIA:
        ImportJob.objects.filter(pk=job.pk, pesan=ANTREAN_TIDAK_TERSEDIA).update(pesan="")
    return True


def _kode_desa() -> str:
    from platform_core.tenancy.models import Village

    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Village):
        return str(tenant.kode)
    return str(Village.objects.get(schema_name=current_schema()).kode)


def _save(job: ImportJob, **fields: object) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _fail(job: ImportJob, pesan: str, *, galat: list[Issue], peringatan: list[Issue]) -> ImportJob:
    extra = ""
    if len(galat) > MAX_ISSUES_KEPT:
        extra = f" Laporan memuat {MAX_ISSUES_KEPT:,} galat pertama dari {len(galat):,}."
    _save(
        job,
        status=ImportJob.Status.GAGAL,
        pesan=(pesan + extra)[:300],
        galat=[i.as_dict() for i in galat[:MAX_ISSUES_KEPT]],
        peringatan=[i.as_dict() for i in peringatan[:MAX_ISSUES_KEPT]],
        finished_at=timezone.now(),
    )
    return job


def _discard_upload(path: Path) -> None:
    """Uploaded registers are personal data: gone once the job has its outcome (only our own uploads)."""
    root = (Path(settings.MEDIA_ROOT) / UPLOAD_DIR).resolve()
    try:
        resolved = path.resolve()
    except OSError:
        return
    if root in resolved.parents:
        resolved.unlink(missing_ok=True)


def import_file(*, path: Path, nama_file: str, petugas: User | None = None, job: ImportJob | None = None) -> ImportJob:
    """Imports a register file (OpenSID template, ours, or CSV) into the current village. All or nothing.

    Reads and checks every row first, saving progress on the job; any blocking error fails the job
    with the full report (errors and warnings) and writes nothing. Otherwise one transaction creates
    the territory, families, residents, their mutasi rows and one `penduduk.diimpor` outbox event,
    and marks the job done. A job already finished is returned as it is (idempotent).
    """
    if job is None:
        job = ImportJob.objects.create(
            nama_file=nama_file[:200],
            path=str(path)[:300],
            petugas_id=petugas.pk if petugas else None,
            petugas_nama=petugas.get_username() if petugas else "",
        )
    if job.status in (ImportJob.Status.BERHASIL, ImportJob.Status.GAGAL):
        return job
    petugas_id = petugas.pk if petugas else job.petugas_id
    petugas_nama = petugas.get_username() if petugas else job.petugas_nama
    _save(job, status=ImportJob.Status.BERJALAN, started_at=timezone.now(), pesan="Membaca file…", baris_diproses=0)
    try:
        return _run(job, path=path, nama_file=nama_file, petugas_id=petugas_id, petugas_nama=petugas_nama)
    finally:
        if job.status in (ImportJob.Status.BERHASIL, ImportJob.Status.GAGAL):
            _discard_upload(path)


def _run(  # noqa: PLR0911  # each way a file can fail ends the job here
    job: ImportJob, *, path: Path, nama_file: str, petugas_id: int | None, petugas_nama: str
) -> ImportJob:
    try:
        table = read_table(path)
    except FileRefused as exc:
        return _fail(job, exc.message, galat=[Issue(None, "file", exc.message)], peringatan=[])
    file_warnings = [Issue(None, "file", w) for w in table.warnings]
    try:
        index = map_header(table.header)
    except HeaderError as exc:
        return _fail(
            job,
            "Kolom file tidak sesuai template. Tidak ada data yang disimpan.",
            galat=exc.issues,
            peringatan=file_warnings,
        )
    if not table.rows:
        message = "File tidak berisi data penduduk (hanya baris judul). Tidak ada data yang disimpan."
        return _fail(job, message, galat=[Issue(None, "file", message)], peringatan=file_warnings)

    total = len(table.rows)
    _save(job, total_baris=total, pesan="Memeriksa data…")
    validator = Validator(index)
    last = time.monotonic()
    for done, (baris, values) in enumerate(table.rows, start=1):
        validator.row(baris, values)
        if time.monotonic() - last >= PROGRESS_EVERY_S:
            _save(job, baris_diproses=done)
            last = time.monotonic()
    outcome = validator.finish()
    warnings = file_warnings + outcome.warnings
    _save(job, baris_diproses=total)
    if outcome.errors:
        rows_with_errors = len({i.baris for i in outcome.errors})
        return _fail(
            job,
            f"{len(outcome.errors):,} galat di {rows_with_errors:,} baris. Tidak ada data yang disimpan; perbaiki "
            "file lalu unggah ulang.",
            galat=outcome.errors,
            peringatan=warnings,
        )

    _save(job, pesan="Menyimpan ke database…")
    kode_desa = _kode_desa()
    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status == ImportJob.Status.BERHASIL:  # another worker finished it meanwhile
                return locked
            written = write_import(
                rows=outcome.rows,
                kode_desa=kode_desa,
                petugas_id=petugas_id,
                petugas_nama=petugas_nama,
                keterangan=f"Diimpor dari {nama_file} (impor #{job.pk})",
                job_id=job.pk,
            )
            flagged = f"; {written.perlu_diperiksa:,} ditandai perlu diperiksa" if written.perlu_diperiksa else ""
            _save(
                job,
                status=ImportJob.Status.BERHASIL,
                penduduk_dibuat=written.penduduk,
                keluarga_dibuat=written.keluarga,
                baris_diproses=total,
                pesan=f"{written.penduduk:,} penduduk dan {written.keluarga:,} keluarga diimpor{flagged}.",
                galat=[],
                peringatan=[i.as_dict() for i in warnings[:MAX_ISSUES_KEPT]],
                finished_at=timezone.now(),
            )
    except IntegrityError:
        # A resident or family with the same number was saved by someone else while this file was checked.
        message = (
            "Data desa berubah selama impor (NIK atau No. KK yang sama baru saja disimpan). Tidak ada data yang "
            "disimpan; unggah ulang file untuk memeriksa lagi."
        )
        job.refresh_from_db()
        return _fail(job, message, galat=[Issue(None, "file", message)], peringatan=warnings)
    return job
