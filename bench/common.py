"""Shared plumbing for the benchmarks: a throw-away database, machine facts, JSON + README output.

Every benchmark runs in its own process (``python -m bench <name>``) against its
own database (``bench_<name>``) inside the bench cluster, dropped and recreated
at the start so that a run never depends on the previous one.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
README = BENCH_DIR / "README.md"
TABLE_START = "<!-- results:start -->"
TABLE_END = "<!-- results:end -->"

SEED = 20240518
VILLAGES_LAMPUNG = 2651


_T0 = time.monotonic()


def log(message: str) -> None:
    print(f"[bench +{time.monotonic() - _T0:7.1f}s] {message}", file=sys.stderr, flush=True)


# --- database -----------------------------------------------------------------


def _with_dbname(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def setup_django(db_name: str) -> None:
    """Drop and recreate ``db_name`` in the bench cluster, then point Django at it."""
    import psycopg

    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        raise SystemExit("DATABASE_URL is not set: run through `make bench` (balai dev exec)")
    t0 = time.perf_counter()
    with psycopg.connect(_with_dbname(base_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')
    log(f"database {db_name} recreated in {time.perf_counter() - t0:.1f}s")
    os.environ["DATABASE_URL"] = _with_dbname(base_url, db_name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_core.settings")
    os.environ["BALAI_PROCESS"] = "balai-bench"
    import django

    django.setup()


def migrate_shared() -> float:
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    return time.perf_counter() - t0


def scalar(sql: str, params: Sequence[Any] = ()) -> Any:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, list(params))
        row = cur.fetchone()
    return None if row is None else row[0]


def data_dir() -> Path:
    return Path(os.environ.get("BALAI_VAR", BENCH_DIR.parent / "var" / "bench")).resolve() / "pg" / "data"


# --- machine ----------------------------------------------------------------


def _meminfo_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def machine() -> dict[str, Any]:
    """Cores, memory, CPU, PostgreSQL version and the settings that matter here."""
    from importlib.metadata import version

    import django

    info: dict[str, Any] = {
        "cores": os.cpu_count(),
        "memory_gb": _meminfo_gb(),
        "cpu": _cpu_model(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "django": django.get_version(),
        "django_tenants": version("django-tenants"),
        "postgresql": scalar("SELECT version()"),
    }
    for name in ("fsync", "synchronous_commit", "shared_buffers", "max_locks_per_transaction", "jit"):
        info[f"pg_{name}"] = scalar(f"SHOW {name}")
    return info


# --- statistics -----------------------------------------------------------------


def pct(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def summary(values: Sequence[float], prefix: str, unit: str, digits: int = 3) -> dict[str, float]:
    """{prefix_median_unit, prefix_p95_unit, prefix_mean_unit, prefix_min_unit}."""
    if not values:
        return {}
    return {
        f"{prefix}_median_{unit}": round(statistics.median(values), digits),
        f"{prefix}_p95_{unit}": round(pct(values, 95), digits),
        f"{prefix}_mean_{unit}": round(statistics.fmean(values), digits),
        f"{prefix}_min_{unit}": round(min(values), digits),
    }


@contextmanager
def quiet_gc() -> Iterator[None]:
    """Collect before a timed block and keep the collector out of it."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# --- output -------------------------------------------------------------------------


def write_result(
    name: str,
    *,
    machine_info: dict[str, Any],
    params: dict[str, Any],
    metrics: dict[str, Any],
    baseline: dict[str, Any],
    headline: str,
    ratio: float | None,
    samples: dict[str, Any],
    table: dict[str, str],
    notes: list[str],
    started: float,
) -> Path:
    """Write bench/results/<name>.json (performance.md format) and refresh bench/README.md."""
    machine_info = {**machine_info, "loadavg_at_end": [round(x, 2) for x in os.getloadavg()]}
    doc = {
        "name": name,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration_s": round(time.time() - started, 1),
        "machine": machine_info,
        "params": params,
        "headline": headline,
        "metrics": metrics,
        "baseline": baseline,
        "ratio": None if ratio is None else round(ratio, 2),
        "table": table,
        "notes": notes,
        "samples": samples,
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    log(f"wrote {path.relative_to(BENCH_DIR.parent)}")
    update_readme()
    return path


def _row(doc: dict[str, Any]) -> str:
    t = doc.get("table", {})
    ratio = doc.get("ratio")
    ratio_s = "—" if ratio is None else f"{ratio:g}x"
    cells = [
        f"`{doc['name']}`",
        t.get("headline", doc.get("headline", "")),
        t.get("ours", ""),
        t.get("baseline", ""),
        ratio_s,
        t.get("target", ""),
        doc.get("date", "")[:10],
    ]
    return "| " + " | ".join(cells) + " |"


def update_readme() -> None:
    """Rebuild the summary table in bench/README.md from every results/*.json."""
    docs = []
    for path in sorted(RESULTS_DIR.glob("*.json")):
        try:
            docs.append(json.loads(path.read_text()))
        except (OSError, ValueError):
            continue
    lines = [
        TABLE_START,
        "| benchmark | headline | ours | baseline | ratio (baseline/ours) | target | date |",
        "|---|---|---|---|---|---|---|",
        *(_row(d) for d in docs),
        TABLE_END,
    ]
    table = "\n".join(lines)
    text = README.read_text() if README.exists() else f"# Benchmarks\n\n{TABLE_START}\n{TABLE_END}\n"
    if TABLE_START in text and TABLE_END in text:
        head, rest = text.split(TABLE_START, 1)
        _, tail = rest.split(TABLE_END, 1)
        text = head + table + tail
    else:
        text = text.rstrip() + "\n\n" + table + "\n"
    README.write_text(text)
