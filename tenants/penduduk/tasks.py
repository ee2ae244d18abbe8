"""Celery tasks of the population register: thin, ids in, call a selector/service."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from platform_core.tenancy.schemas import current_schema
from tenants.penduduk.selectors import penduduk_count


@shared_task
def demo_count_penduduk() -> dict[str, Any]:
    """Demo of tenant-aware tasks: answers from the schema the task was sent in."""
    return {"schema": current_schema(), "penduduk": penduduk_count()}
