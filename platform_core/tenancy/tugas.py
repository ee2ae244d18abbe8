"""Celery and the village lifecycle (docs/lifecycle.md).

A task runs in the schema it was sent from (tenant-schemas-celery switches the
connection in `task_prerun`). For a suspended village the session is then made
read-only, so a task that writes fails in PostgreSQL and nothing changes; for a
retired village the task is refused before it runs. `VillageTask` (the app's task
class, workers/celery.py) turns both into a clear Indonesian error; the
`task_prerun` hook keeps the read-only session even for a task class that is not it.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from tenant_schemas_celery.task import TenantTask


class DesaTidakMenerimaTugas(Exception):
    """The village of this task is retired or suspended; nothing was changed."""


def _village() -> Any:
    from platform_core.tenancy.models import Village
    from platform_core.tenancy.schemas import connection

    tenant = connection.tenant
    return tenant if isinstance(tenant, Village) else None


def apply_task_session_mode(**_: object) -> None:
    """task_prerun (after tenant-schemas-celery's switch): read-only for suspended/retired villages."""
    from platform_core.tenancy import schemas

    schemas.apply_session_mode(read_only=schemas.needs_read_only(_village()))


class VillageTask(TenantTask):  # type: ignore[misc]  # tenant-schemas-celery is untyped
    abstract = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from platform_core.tenancy import schemas

        village = _village()
        if village is not None and village.pensiun:
            raise DesaTidakMenerimaTugas(f"{village} ({village.kode}) sudah tidak aktif: tugas {self.name} ditolak.")
        schemas.apply_session_mode(read_only=schemas.needs_read_only(village))
        try:
            return super().__call__(*args, **kwargs)
        except DatabaseError as exc:
            if village is not None and schemas.is_read_only_error(exc):
                raise DesaTidakMenerimaTugas(
                    f"Layanan {village} ({village.kode}) sedang ditangguhkan: hanya dapat dibaca. "
                    f"Tugas {self.name} tidak mengubah apa pun."
                ) from exc
            raise
