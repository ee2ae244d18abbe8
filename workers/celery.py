"""The Celery app. Tenant-aware: a task sent while a village schema is active carries
that schema and runs in it (tenant-schemas-celery). Wiring only, no business logic."""

from __future__ import annotations

import os

from celery.schedules import crontab
from tenant_schemas_celery.app import CeleryApp as TenantAwareCeleryApp

from platform_core.observability import worker as observability

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_core.settings")
os.environ.setdefault("BALAI_PROCESS", "balai-worker")

# The task class refuses tasks of retired villages and reports writes of suspended ones clearly.
app = TenantAwareCeleryApp("balai", task_cls="platform_core.tenancy.tugas:VillageTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["platform_core.backup"])  # not an installed app (no models): its tasks by name
app.conf.task_routes = {
    "*.tasks.outbox_*": {"queue": "outbox"},
    "*.tasks.document_*": {"queue": "documents"},
    "*.tasks.import_*": {"queue": "imports"},
    "*.tasks.notify_*": {"queue": "notifications"},
    "*.tasks.maintenance_*": {"queue": "maintenance"},
}
app.conf.beat_schedule = {
    # Villages with undrained outbox events (e.g. written while Redis was down) get their drain.
    "outbox-sweep": {"task": "tenants.outbox.tasks.outbox_sweep", "schedule": 30.0},
    # Nightly safety net: recompute every indicator of the province, spread in jittered batches.
    "recompute-province": {
        "task": "tenants.outbox.tasks.maintenance_recompute_province",
        "schedule": crontab(hour=1, minute=30),
        "kwargs": {"kode": "18"},
    },
    # Nightly per-village dumps (changed villages; weekly for the rest), retention: docs/backup.md.
    "backup-desa-malam": {
        "task": "platform_core.backup.tasks.maintenance_backup_desa_malam",
        "schedule": crontab(hour=2, minute=15),
    },
    # Weekly digest to kecamatan/kabupaten staff: Monday 07:00 WIB (CELERY_TIMEZONE is Asia/Jakarta).
    "weekly-digest": {
        "task": "provinsi.tasks.notify_weekly_digest",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
    },
}

# After tenant-schemas-celery's hooks: `desa` on every log line of a task, task metrics per queue,
# the worker's metrics endpoint (BALAI_METRICS_PORT).
observability.install(app)
