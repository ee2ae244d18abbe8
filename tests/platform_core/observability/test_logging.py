"""Every log line carries `desa`: the village's Kemendagri code, "-" on the apex; JSON in production."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from platform_core.observability import context
from platform_core.observability.logging import JsonFormatter, VillageFilter, logging_config
from platform_core.tenancy import schemas
from platform_core.tenancy.schemas import village_context
from tests.conftest import Villages, host_of
from workers import app


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    """A JSON handler with the village filter on the root logger, as settings.LOGGING installs it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(VillageFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def records(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_settings_put_the_filter_on_the_handler() -> None:
    for json_logs in (True, False):
        config = logging_config(json_logs=json_logs)
        assert config["handlers"]["console"]["filters"] == ["desa"]
    assert logging.getLogger().handlers, "settings.LOGGING installed a handler"
    assert any(isinstance(f, VillageFilter) for h in logging.getLogger().handlers for f in h.filters)


def test_a_request_logs_with_its_village_code(villages: Villages, db: None, lines: io.StringIO) -> None:
    Client(HTTP_HOST=host_of(villages.a)).get("/halaman-tidak-ada/")  # django.request warns "Not Found"
    Client().get("/halaman-tidak-ada-juga/")
    found = {r["message"]: r for r in records(lines) if r["logger"] == "django.request"}
    village = found["Not Found: /halaman-tidak-ada/"]
    assert village["desa"] == villages.a.kode
    assert village["level"] == "WARNING"
    assert {"waktu", "proses"} <= set(village)
    assert found["Not Found: /halaman-tidak-ada-juga/"]["desa"] == "-"


def test_the_context_is_reset_after_the_request(villages: Villages, db: None) -> None:
    Client(HTTP_HOST=host_of(villages.b)).get("/")
    assert context.current_desa() is None


def test_code_inside_a_village_schema_logs_its_code_without_the_contextvar(
    villages: Villages, db: None, lines: io.StringIO
) -> None:
    schemas.activate(None)
    with village_context(villages.b):
        logging.getLogger("balai.uji").info("di dalam desa")
    logging.getLogger("balai.uji").info("di luar")
    by_message = {r["message"]: r["desa"] for r in records(lines)}
    assert by_message == {"di dalam desa": villages.b.kode, "di luar": "-"}


@app.task(name="tests.observability.log_in_task")
def log_in_task() -> str:
    logging.getLogger("balai.uji.tugas").warning("tugas berjalan")
    return "ok"


def test_a_task_logs_with_the_village_it_was_sent_in(villages: Villages, db: None, lines: io.StringIO) -> None:
    """tenant-schemas-celery switches to the schema in the message headers; our hook then sets `desa`."""
    assert log_in_task.apply(headers={"_schema_name": villages.a.schema_name}).get() == "ok"
    assert log_in_task.apply(headers={"_schema_name": "public"}).get() == "ok"
    desa = [r["desa"] for r in records(lines) if r["message"] == "tugas berjalan"]
    assert desa == [villages.a.kode, "-"]
    assert context.current_desa() is None


def test_plain_format_shows_the_code_too(villages: Villages, db: None) -> None:
    formatter = logging.Formatter(logging_config(json_logs=False)["formatters"]["plain"]["format"])
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "halo", None, None)
    with context.desa(villages.a.kode):
        VillageFilter().filter(record)
    assert f"[{villages.a.kode}]" in formatter.format(record)
