"""gunicorn settings for the web role (deploy/entrypoint.sh). Everything overridable by env.

Connection hygiene (docs/operations.md): workers are recycled after ~2,000 requests (with
jitter, so they do not all restart together) and Django recycles its connection after
BALAI_CONN_MAX_AGE seconds, so no backend lives long enough to cache the province's catalog.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

bind = os.environ.get("BALAI_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))  # ~ 2 x cores of the container's CPU limit, + 1
threads = int(os.environ.get("BALAI_WEB_THREADS", "1"))  # >1: gthread; each thread is one more PG connection
worker_class = "gthread" if threads > 1 else "sync"
max_requests = int(os.environ.get("BALAI_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("BALAI_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Access lines come from nginx / the Ingress and the request metrics; errors and app logs on stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# gunicorn's own lines as JSON too (with desa "-"), the same shape as Django's.
if os.environ.get("BALAI_LOG_JSON", "1").lower() in {"1", "true", "yes", "on"}:
    logconfig_dict: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"desa": {"()": "platform_core.observability.logging.VillageFilter"}},
        "formatters": {"json": {"()": "platform_core.observability.logging.JsonFormatter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["desa"]},
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        },
    }


def _metrics_dir() -> Path | None:
    raw = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    return Path(raw) if raw else None


def on_starting(server: Any) -> None:
    """Before any worker forks: stale metric files of an earlier master would be counted again."""
    directory = _metrics_dir()
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    """A recycled worker's live gauges must not be reported any more."""
    if _metrics_dir() is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
