"""Import and export speed at village scale (10,000 and 15,000 rows). Opt-in: BALAI_IMPOR_SPEED=1.

Targets (issue 3): import of 10,000 rows <= 10 s and 15,000 rows <= 15 s including validation;
export of 15,000 <= 10 s. `make bench BENCH=penduduk` is the benchmark of record; this prints the
phases so a regression can be located.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from tenants.penduduk.impor.export import export_xlsx
from tenants.penduduk.impor.readers import read_table
from tenants.penduduk.impor.services import import_file
from tenants.penduduk.impor.validation import map_header, validate
from tenants.penduduk.models import ImportJob, Penduduk
from tests.tenants.penduduk.data.register_files import family_rows, write_csv, write_xlsx

pytestmark = [
    pytest.mark.usefixtures("in_village_a"),
    pytest.mark.skipif(not os.environ.get("BALAI_IMPOR_SPEED"), reason="speed check: set BALAI_IMPOR_SPEED=1"),
]


@pytest.mark.parametrize(("rows", "limit_s"), [(10_000, 10.0), (15_000, 15.0)])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_import_speed(tmp_path: Path, rows: int, limit_s: float, fmt: str) -> None:
    data = family_rows(rows, seed=11)
    path = (write_xlsx if fmt == "xlsx" else write_csv)(tmp_path / f"desa.{fmt}", data)

    started = time.perf_counter()
    table = read_table(path)
    read_s = time.perf_counter() - started
    outcome = validate(map_header(table.header), table.rows)
    check_s = time.perf_counter() - started - read_s
    assert not outcome.errors

    started = time.perf_counter()
    job = import_file(path=path, nama_file=path.name)
    total_s = time.perf_counter() - started

    assert job.status == ImportJob.Status.BERHASIL, job.galat[:5]
    assert Penduduk.objects.count() >= rows
    print(  # the numbers are the point of this opt-in check
        f"\nimpor {fmt} {rows}: total {total_s:.2f} s (read {read_s:.2f} s, check {check_s:.2f} s, "
        f"write {total_s - read_s - check_s:.2f} s), {path.stat().st_size / 1e6:.1f} MB"
    )
    assert total_s <= limit_s

    started = time.perf_counter()
    out = io.BytesIO()
    assert export_xlsx(out=out) >= rows
    export_s = time.perf_counter() - started
    print(f"ekspor {rows}: {export_s:.2f} s, {len(out.getvalue()) / 1e6:.1f} MB")
    assert export_s <= 10.0
