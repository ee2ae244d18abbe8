"""Nightly per-village dumps (Celery beat, maintenance queue): var/backup/desa/<kode>/<date>.dump.

A village is dumped when it published a change since its newest dump, or that dump is a week old;
dumps older than BALAI_BACKUP_DESA_RETENSI_HARI (14) days are deleted (the newest is always kept).
One village failing is logged and the rest continue.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger("balai.backup")


def nightly_all(*, kode: list[str] | None = None, semua: bool = False) -> dict[str, Any]:
    from platform_core.backup import desa
    from platform_core.facts.models import StatusDesa
    from platform_core.tenancy.models import Village

    villages = Village.objects.exclude(status=Village.Status.PROVISIONING).order_by("kode")
    if kode:
        villages = villages.filter(kode__in=kode)
    changed = dict(StatusDesa.objects.values_list("village_id", "terakhir_aktif"))
    hasil: dict[str, Any] = {"didump": 0, "dilewati": 0, "gagal": 0, "desa_gagal": []}
    for village in villages.iterator():
        try:
            if semua:
                desa.dump(village, path=desa.folder_desa(village) / f"{timezone.localdate().isoformat()}.dump")
                desa.prune(village)
                dumped = True
            else:
                dumped = desa.nightly(village, changed_since=changed.get(village.pk)) is not None
        except Exception:
            logger.exception("backup malam desa %s gagal", village.kode)
            hasil["gagal"] += 1
            hasil["desa_gagal"].append(village.kode)
            continue
        hasil["didump" if dumped else "dilewati"] += 1
    return hasil


@shared_task(name="platform_core.backup.tasks.maintenance_backup_desa_malam", acks_late=True)
def maintenance_backup_desa_malam() -> dict[str, Any]:
    close_old_connections()
    return nightly_all()
