"""The Celery app. Tenant-aware: a task sent while a village schema is active carries
that schema and runs in it (tenant-schemas-celery). Wiring only, no business logic."""

from __future__ import annotations

import os

from tenant_schemas_celery.app import CeleryApp as TenantAwareCeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_core.settings")
os.environ.setdefault("BALAI_PROCESS", "balai-worker")

app = TenantAwareCeleryApp("balai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.task_routes = {
    "*.tasks.outbox_*": {"queue": "outbox"},
    "*.tasks.document_*": {"queue": "documents"},
    "*.tasks.import_*": {"queue": "imports"},
    "*.tasks.notify_*": {"queue": "notifications"},
    "*.tasks.maintenance_*": {"queue": "maintenance"},
}
app.conf.beat_schedule = {}
