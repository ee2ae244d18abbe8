"""Celery tasks of the population register: thin, ids in, call a selector/service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import shared_task
from django.conf import settings

from platform_core.tenancy.schemas import current_schema
from tenants.penduduk.models import ImportJob
from tenants.penduduk.selectors import penduduk_count


@shared_task
def demo_count_penduduk() -> dict[str, Any]:
    """Demo of tenant-aware tasks: answers from the schema the task was sent in."""
    return {"schema": current_schema(), "penduduk": penduduk_count()}


@shared_task(acks_late=True)
def import_penduduk_job(job_id: int) -> dict[str, Any]:
    """Runs an import job (queue "imports", in the schema it was sent from). Idempotent: a finished job is
    returned as it is; a job interrupted mid-way (worker killed) wrote nothing and simply runs again."""
    from tenants.penduduk.impor.services import import_file

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return {"schema": current_schema(), "job": job_id, "status": None}
    job = import_file(path=Path(settings.MEDIA_ROOT) / job.path, nama_file=job.nama_file, job=job)
    return {"schema": current_schema(), "job": job.pk, "status": job.status, "penduduk_dibuat": job.penduduk_dibuat}
