"""Reads of import jobs (current village)."""

from __future__ import annotations

from django.db.models import QuerySet

from tenants.penduduk.models import ImportJob


def import_job_list() -> QuerySet[ImportJob]:
    """Newest first, without the (possibly large) reports."""
    return ImportJob.objects.defer("galat", "peringatan").order_by("-created_at", "-id")


def import_job_get(*, pk: int) -> ImportJob | None:
    return ImportJob.objects.filter(pk=pk).first()


def import_job_progress(job: ImportJob) -> int:
    """Percent done: rows checked out of all rows; 100 once finished."""
    if job.status in (ImportJob.Status.BERHASIL, ImportJob.Status.GAGAL):
        return 100
    if not job.total_baris:
        return 0
    # Checking is ~90% of the work; the last 10% is the write (shown as "menyimpan").
    return min(99, job.baris_diproses * 90 // job.total_baris)


def import_job_finished(job: ImportJob) -> bool:
    return job.status in (ImportJob.Status.BERHASIL, ImportJob.Status.GAGAL)
