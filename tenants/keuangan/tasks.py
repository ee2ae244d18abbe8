"""Celery tasks of village finance: thin, ids in."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from platform_core.tenancy.schemas import current_schema
from tenants.keuangan.models import ImporSiskeudes


@shared_task(acks_late=True)
def import_siskeudes_job(job_id: int) -> dict[str, Any]:
    """Runs a Siskeudes import job (queue "imports", in the schema it was sent from). Idempotent: a finished
    job is returned as it is; an interrupted one wrote nothing and runs again."""
    from tenants.keuangan.siskeudes.impor import impor_jalankan

    job = ImporSiskeudes.objects.filter(pk=job_id).first()
    if job is None:
        return {"schema": current_schema(), "job": job_id, "status": None}
    job = impor_jalankan(job)
    return {"schema": current_schema(), "job": job.pk, "status": job.status}
