"""Log records carry `desa`: the Kemendagri code of the village they belong to, "-" for the apex.

`VillageFilter` goes on the handler (settings.LOGGING), so every line of every logger that
reaches it has the field, whichever library wrote it. The code comes from the contextvar
set by the web middleware / the Celery task hooks; where nothing set it (a management
command, a loop inside a task that steps into village schemas) it falls back to the
village the database connection of this thread points at, else "-".
"""

from __future__ import annotations

import logging
import os
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from platform_core.observability.context import APEX, current_desa


def _connection_desa() -> str | None:
    try:
        from django.db import connections

        tenant = getattr(connections["default"], "tenant", None)
    except Exception:  # settings not configured yet, no default alias, ...: no village known
        return None
    kode = getattr(tenant, "kode", None)
    return kode if isinstance(kode, str) else None


class VillageFilter(logging.Filter):
    """Adds `desa` (and `proses`: web, worker, beat, ...) to every record; never drops one."""

    proses = os.environ.get("BALAI_PROCESS", "balai")

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "desa"):
            desa = current_desa()
            if desa is None or desa == APEX:
                desa = _connection_desa() or desa or APEX
            record.desa = desa
        if not hasattr(record, "proses"):
            record.proses = self.proses
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: waktu, level, logger, desa, proses, message (+ exc_info, extras)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(desa)s %(proses)s %(message)s")
        kwargs.setdefault("rename_fields", {"asctime": "waktu", "levelname": "level", "name": "logger"})
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)


def logging_config(*, json_logs: bool, level: str = "INFO") -> dict[str, Any]:
    """The LOGGING dict for settings: one console handler, the village filter on it."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"desa": {"()": "platform_core.observability.logging.VillageFilter"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s [%(desa)s] %(name)s %(message)s"},
            "json": {"()": "platform_core.observability.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_logs else "plain",
                "filters": ["desa"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }
