"""Celery hooks: the village code on every log line of a task, task metrics per queue, and
a metrics endpoint in the worker's main process (BALAI_METRICS_PORT).

Connected by workers/celery.py after tenant-schemas-celery's own task_prerun hook, so the
task's schema is already active when the log context is set from it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from celery import Celery, signals
from prometheus_client import multiprocess
from prometheus_client.exposition import ThreadingWSGIServer

from platform_core.observability import context, metrics

logger = logging.getLogger(__name__)

_started: dict[str, tuple[float, Any]] = {}  # task id -> (start, contextvar token)


def _queue(task: Any) -> str:
    info = getattr(task.request, "delivery_info", None) or {}
    return str(info.get("routing_key") or "-")


def _village_code() -> str | None:
    from django.db import connection

    kode = getattr(getattr(connection, "tenant", None), "kode", None)
    return kode if isinstance(kode, str) else None


def task_prerun(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    if task_id is None:
        return
    _started[task_id] = (time.perf_counter(), context.set_desa(_village_code()))


def task_postrun(task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any) -> None:
    if task_id is None:
        return
    start, token = _started.pop(task_id, (None, None))
    if token is not None:
        context.reset_desa(token)
    metrics.observe_task(
        queue=_queue(task),
        task=getattr(task, "name", "-") or "-",
        state=(state or "unknown").lower(),
        seconds=time.perf_counter() - start if start is not None else None,
    )


def worker_process_shutdown(pid: int | None = None, **_: Any) -> None:
    if metrics.multiprocess_dir():
        multiprocess.mark_process_dead(pid or os.getpid())  # type: ignore[no-untyped-call]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # the stdlib's signature
        return


def consumes_outbox(consumer: Any) -> bool:
    flag = os.environ.get("BALAI_METRICS_OUTBOX")
    if flag is not None:
        return flag.lower() in {"1", "true", "yes", "on"}
    try:
        return "outbox" in set(consumer.app.amqp.queues.consume_from or {})
    except AttributeError:
        return False


def serve_metrics(*, port: int, addr: str = "0.0.0.0", outbox: bool = False) -> ThreadingWSGIServer:  # noqa: S104
    extra = [metrics.OutboxLagCollector()] if outbox else []
    server = make_server(addr, port, metrics.wsgi_app(extra), ThreadingWSGIServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="balai-metrics", daemon=True).start()
    return server


def worker_ready(sender: Any = None, **_: Any) -> None:
    port = os.environ.get("BALAI_METRICS_PORT")
    if not port:
        return
    outbox = consumes_outbox(sender)
    serve_metrics(port=int(port), addr=os.environ.get("BALAI_METRICS_ADDR", "0.0.0.0"), outbox=outbox)  # noqa: S104
    logger.info("metrik worker di port %s (outbox: %s)", port, "ya" if outbox else "tidak")


def install(app: Celery) -> None:
    signals.task_prerun.connect(task_prerun, dispatch_uid="balai_observability_prerun", weak=False)
    signals.task_postrun.connect(task_postrun, dispatch_uid="balai_observability_postrun", weak=False)
    signals.worker_process_shutdown.connect(
        worker_process_shutdown, dispatch_uid="balai_observability_shutdown", weak=False
    )
    signals.worker_ready.connect(worker_ready, dispatch_uid="balai_observability_ready", weak=False)
