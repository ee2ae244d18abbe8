"""The whole `balai migrate`: public, template, villages; with a report."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import connection

from platform_core.tenancy.migrasi import executor, plan


@dataclass
class ProvinceReport:
    shared_applied: list[str] = field(default_factory=list)
    template_applied: list[str] = field(default_factory=list)
    villages: executor.Report = field(default_factory=executor.Report)
    seconds: float = 0.0


def shared_pending() -> list[str]:
    """Migrations not yet in public's django_migrations (one query, no catalog introspection)."""
    applied = set(plan.rows_of("public"))
    return [f"{a}.{n}" for a, n in plan.pending_nodes(applied)]


def migrate_province(
    *,
    verbosity: int = 1,
    jobs: int = 2,
    batch_size: int = 50,
    only: Sequence[str] | None = None,
    skip_villages: bool = False,
    progress_factory: Callable[[int], Callable[[int], object]] | None = None,
    say: Callable[[str], object] = print,
    warn: Callable[[str], object] = print,
) -> ProvinceReport:
    t0 = time.perf_counter()
    report = ProvinceReport()
    with executor.province_lock():
        pending = shared_pending()
        if pending:
            report.shared_applied = pending
            call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        say(f"Skema public: {len(pending)} migrasi diterapkan." if pending else "Skema public sudah mutakhir.")
        before = len(plan.rows_of(plan.TEMPLATE))
        captured = plan.migrate_template(verbosity=verbosity)
        report.template_applied = [f"{c.app}.{c.nama}" for c in captured]
        added = len(plan.rows_of(plan.TEMPLATE)) - before
        for c in captured:
            if c.cara == "stok":
                warn(f"PERHATIAN: {c.app}.{c.nama} tidak bisa diputar ulang sebagai SQL ({c.alasan}).")
        if added:
            say(f"Skema templat diperbarui: {added} migrasi.")
        else:
            say("Skema templat sudah mutakhir.")
        connection.close()  # the template's introspection stays with this connection
        if not skip_villages:
            behind = len(executor.villages_behind(executor.target().sidik, only=only))
            progress = progress_factory(behind) if (progress_factory and behind) else None
            report.villages = executor.migrate_villages(
                jobs=jobs, batch_size=batch_size, only=only, progress=progress, warn=warn
            )
    report.seconds = time.perf_counter() - t0
    return report
