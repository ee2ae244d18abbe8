"""Every process that sends tasks uses the configured, tenant-aware Celery app (not Celery's default)."""

from __future__ import annotations

from workers import app


def test_tasks_bind_to_the_configured_app_without_importing_workers_first() -> None:
    # given a process that only set up Django (as gunicorn does), the task objects already use it
    from tenants.penduduk.tasks import demo_count_penduduk, import_penduduk_job

    for task in (demo_count_penduduk, import_penduduk_job):
        assert task.app is app
        assert task.app.conf.broker_url.startswith("redis://")
