"""Office-hours load for `bench.provinsi`: register changes at a steady rate in random villages.

Run as its own process (`python -m bench.provinsi_penulis RATE SECONDS`) beside the page measurements,
so its work competes with the pages for the machine's two cores as a busy province's would, not for
the measuring process's interpreter lock. Each change is a real `penduduk_update` in its own
transaction: one outbox event, one drain for the worker, one refresh of the village's region rollups.
Prints one JSON line: how many changes it made and at what rate.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time


def main() -> None:
    rate, seconds = float(sys.argv[1]), float(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_core.settings")
    import django

    django.setup()
    from django.db import transaction

    from platform_core.tenancy.models import Village
    from platform_core.tenancy.schemas import village_context
    from tenants.penduduk import reference as ref
    from tenants.penduduk.models import Penduduk
    from tenants.penduduk.services import penduduk_update

    stop: list[bool] = []
    signal.signal(signal.SIGINT, lambda *_a: stop.append(True))  # the bench says when: finish the change, report
    rng = random.Random(20261123)
    pool = list(Village.objects.filter(kode__startswith="18").order_by("kode"))
    made = failed = 0
    t_start = time.perf_counter()
    next_at = t_start
    while not stop and time.perf_counter() - t_start < seconds:
        village = rng.choice(pool)
        try:
            with village_context(village):
                ids = list(
                    Penduduk.objects.filter(status_dasar=ref.StatusDasar.HIDUP).values_list("id", flat=True)[:300]
                )
                if ids:
                    person = Penduduk.objects.get(pk=rng.choice(ids))
                    new = (
                        ref.Asuransi.BPJS_PENERIMA_BANTUAN_IURAN
                        if person.asuransi == ref.Asuransi.TIDAK_BELUM_PUNYA
                        else ref.Asuransi.TIDAK_BELUM_PUNYA
                    )
                    with transaction.atomic():
                        penduduk_update(penduduk=person, data={"asuransi": new}, petugas=None)
                    made += 1
        except Exception:  # counted; the load goes on
            failed += 1
        next_at += 1.0 / rate
        time.sleep(max(0.0, next_at - time.perf_counter()))
    took = time.perf_counter() - t_start
    print(json.dumps({"changes": made, "failed": failed, "seconds": round(took, 1), "rate": round(made / took, 2)}))


if __name__ == "__main__":
    main()
