"""Writing the province's view of villages: facts, activity, pipeline status, operator presence.

Called by the outbox drain (tenants/outbox), the full recompute and the presence middleware. Every
function here writes public-schema tables only; none of them carries personal data (numbers, counts
and Indonesian descriptions without names). `hitung_*` run indicator computations: inside the
village schema for "desa" indicators (through platform_core.tenancy.schemas), with the village id for
"public" ones.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone

from platform_core.facts import registry
from platform_core.facts.models import Aktivitas, Fakta, KehadiranOperator, StatusDesa
from platform_core.facts.registry import Indikator, Nilai

logger = logging.getLogger(__name__)

T = TypeVar("T")
EMPAT_DESIMAL = Decimal("0.0001")


def _public_table(model: type[Any]) -> str:
    """Schema-qualified: these rows are reached from inside village transactions too."""
    return f"{connection.ops.quote_name(settings.PUBLIC_SCHEMA_NAME)}.{connection.ops.quote_name(model._meta.db_table)}"


def periode_dari(waktu: dt.datetime | None = None) -> dt.date:
    """The fact period a moment belongs to: the first day of its month (Asia/Jakarta)."""
    return timezone.localdate(waktu or timezone.now()).replace(day=1)


# --- one computation session: indicators sharing one query per village ---------------------------

_SESI: ContextVar[dict[tuple[str, str], Any] | None] = ContextVar("fakta_sesi", default=None)


@contextmanager
def sesi_hitung() -> Iterator[None]:
    """Inside it, `bersama(kunci, fn)` runs `fn` once per schema: e.g. all population indicators of a
    village read one conditional-aggregation row instead of one query each."""
    token = _SESI.set({})
    try:
        yield
    finally:
        _SESI.reset(token)


def bersama(kunci: str, fn: Callable[[], T]) -> T:
    """`fn()` once per (current schema, kunci) inside a `sesi_hitung`; every call outside one."""
    cache = _SESI.get()
    if cache is None:
        return fn()
    key = (str(getattr(connection, "schema_name", "")), kunci)
    if key not in cache:
        cache[key] = fn()
    return cache[key]  # type: ignore[no-any-return]


# --- facts -------------------------------------------------------------------------------------------


def _d(value: Decimal | int | float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(EMPAT_DESIMAL)


def _normal(nilai: Nilai) -> tuple[Decimal | None, Decimal | None, Decimal | None, dict[str, object]]:
    """The stored form of a value (four decimals, JSON-clean breakdown) so comparisons are exact."""
    import json

    rincian = json.loads(json.dumps(nilai.rincian, sort_keys=True, default=str)) if nilai.rincian else {}
    return _d(nilai.nilai), _d(nilai.pembilang), _d(nilai.penyebut), rincian


def fakta_simpan_banyak(
    *, village_id: int, periode: dt.date, hasil: dict[str, Nilai], computed_at: dt.datetime
) -> list[str]:
    """Upsert many indicator values of one village and period; returns how many rows changed (drift).

    Unchanged rows are left as they are (computed_at included), so recomputing or replaying the same
    events writes nothing and leaves identical rows. Two queries: read the stored rows, upsert the changed.
    Returns the keys of the indicators whose stored row changed.
    """
    if not hasil:
        return []
    stored = {
        row[0]: (row[1], row[2], row[3], row[4] or {})
        for row in Fakta.objects.filter(village_id=village_id, periode=periode, indikator__in=list(hasil)).values_list(
            "indikator", "nilai", "pembilang", "penyebut", "rincian"
        )
    }
    changed: list[Fakta] = []
    for kunci, nilai in hasil.items():
        normal = _normal(nilai)
        if stored.get(kunci) == normal:
            continue
        changed.append(
            Fakta(
                village_id=village_id,
                indikator=kunci,
                periode=periode,
                nilai=normal[0],
                pembilang=normal[1],
                penyebut=normal[2],
                rincian=normal[3],
                computed_at=computed_at,
            )
        )
    if changed:
        Fakta.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["village", "indikator", "periode"],
            update_fields=["nilai", "pembilang", "penyebut", "rincian", "computed_at"],
        )
    return [f.indikator for f in changed]


def fakta_simpan(*, village_id: int, indikator: str, periode: dt.date, nilai: Nilai, computed_at: dt.datetime) -> bool:
    """Upsert one fact; True when the stored row changed."""
    return bool(
        fakta_simpan_banyak(village_id=village_id, periode=periode, hasil={indikator: nilai}, computed_at=computed_at)
    )


# --- activity, status, presence --------------------------------------------------------------------


def aktivitas_catat(
    *, village_id: int, jenis: str, keterangan: str, jumlah: int = 1, waktu: dt.datetime
) -> Aktivitas | None:
    """Append one feed row (a type, a count and a description without personal data).

    Idempotent: the same (village, jenis, waktu, jumlah) is recorded once, so a replayed drain adds nothing.
    """
    if Aktivitas.objects.filter(village_id=village_id, jenis=jenis, waktu=waktu, jumlah=jumlah).exists():
        return None
    return Aktivitas.objects.create(
        village_id=village_id, jenis=jenis, keterangan=keterangan[:200], jumlah=jumlah, waktu=waktu
    )


def status_tandai_tertunda(*, village_id: int, sejak: dt.datetime) -> None:
    """Mark the village's outbox as holding undrained events, in the caller's transaction (keeps the
    oldest mark). The row lock this takes lasts to the end of that transaction, which is what orders a
    write against a concurrent drain (see tenants.outbox.drain)."""
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {_public_table(StatusDesa)} (village_id, outbox_tertunda_sejak) VALUES (%s, %s) "
            "ON CONFLICT (village_id) DO UPDATE SET outbox_tertunda_sejak = "
            f"COALESCE({connection.ops.quote_name(StatusDesa._meta.db_table)}.outbox_tertunda_sejak, "
            "EXCLUDED.outbox_tertunda_sejak)",
            [village_id, sejak],
        )


def kehadiran_catat(*, user_id: int, village_id: int, waktu: dt.datetime) -> None:
    """Record that an operator was seen working on a village (one upsert)."""
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {_public_table(KehadiranOperator)} (user_id, village_id, terakhir_terlihat) "
            "VALUES (%s, %s, %s) ON CONFLICT (user_id, village_id) DO UPDATE SET terakhir_terlihat = "
            f"GREATEST({connection.ops.quote_name(KehadiranOperator._meta.db_table)}.terakhir_terlihat, "
            "EXCLUDED.terakhir_terlihat)",
            [user_id, village_id, waktu],
        )


# --- computing indicators ----------------------------------------------------------------------------


def indikator_hitung(indikator: Indikator, *, village_id: int) -> Nilai:
    """One indicator for the village whose schema is active now ("desa") or by id ("public")."""
    if indikator.skema == "public":
        return indikator.hitung(village_id=village_id)  # type: ignore[call-arg]  # registry: public ones take it
    return indikator.hitung()


def desa_hitung(*, village_id: int, indikator: Iterable[Indikator], computed_at: dt.datetime) -> list[str]:
    """Compute the given indicators for the village whose schema is active and upsert them (current period).

    Runs in the caller's transaction; returns the keys of the stored facts that changed.
    """
    hasil: dict[str, Nilai] = {}
    with sesi_hitung():
        for ind in indikator:
            hasil[ind.kunci] = indikator_hitung(ind, village_id=village_id)
    periode = periode_dari(computed_at)
    berubah = fakta_simpan_banyak(village_id=village_id, periode=periode, hasil=hasil, computed_at=computed_at)
    if berubah:
        ringkasan_desa_segarkan(village_ids=[village_id], periode=periode, kunci=berubah)
    return berubah


def ringkasan_desa_segarkan(*, village_ids: Iterable[int], periode: dt.date, kunci: Iterable[str] | None) -> int:
    """Refresh the stored rollups (and scores) of these villages' kecamatan, kabupaten and province for the
    indicators `kunci` (all when None), in the caller's transaction (platform_core.facts.ringkasan).
    The refreshed rows' `diperbarui` is the consoles' per-region cache version (provinsi.views
    `versi_wilayah`): only the sections of these villages' regions are rebuilt, not the province's
    every cached section (the global generation is for full rebuilds)."""
    from platform_core.facts.ringkasan import ringkasan_segarkan
    from platform_core.tenancy.models import Village

    kode = list(Village.objects.filter(pk__in=list(village_ids)).values_list("kode", flat=True))
    return ringkasan_segarkan(periode=periode, kode_desa=kode, kunci=kunci)


# --- facts generation: the key of the consoles' cached sections -------------------------------------

GENERASI_KUNCI = "fakta:generasi"


def generasi() -> int | None:
    """The current facts generation (platform cache; shared by every schema), or None when the cache
    cannot be read (the consoles then compute everything)."""
    try:
        nilai = caches["platform"].get(GENERASI_KUNCI)
        if nilai is None:
            caches["platform"].add(GENERASI_KUNCI, 1, timeout=None)
            nilai = caches["platform"].get(GENERASI_KUNCI)
        return int(nilai) if nilai is not None else None
    except Exception:  # a cache outage only costs speed
        logger.warning("generasi fakta tidak terbaca dari cache", exc_info=True)
        return None


def _generasi_naik() -> None:
    try:
        try:
            caches["platform"].incr(GENERASI_KUNCI)
        except ValueError:  # not there yet (or evicted): any new value invalidates every cached section
            caches["platform"].set(GENERASI_KUNCI, time.time_ns(), timeout=None)
    except Exception:
        logger.warning("generasi fakta tidak dapat dinaikkan", exc_info=True)


def generasi_naikkan() -> None:
    """Side effect: bumps the facts generation now (readers inside this transaction see the change) and
    again when the transaction commits (a section cached from the old rows before the commit is dropped)."""
    _generasi_naik()
    transaction.on_commit(_generasi_naik)


# --- full recompute ------------------------------------------------------------------------------------


@dataclass
class HasilHitungUlang:
    villages: int = 0
    dihitung: int = 0
    dilewati: int = 0  # busy (a writer or a drain held the village's status row): the drain covers it
    fakta: int = 0
    drift: int = 0
    seconds: float = 0.0
    drift_per_indikator: dict[str, int] = field(default_factory=dict)

    def tambah(self, other: HasilHitungUlang) -> None:
        self.villages += other.villages
        self.dihitung += other.dihitung
        self.dilewati += other.dilewati
        self.fakta += other.fakta
        self.drift += other.drift
        for k, v in other.drift_per_indikator.items():
            self.drift_per_indikator[k] = self.drift_per_indikator.get(k, 0) + v


def villages_di(*, kode: str | None = None, slug: str | None = None) -> list[int]:
    """Ids of active villages under a region code prefix ('18', '18.01', '18.01.17') or one slug/code."""
    from django.db.models import Q

    from platform_core.tenancy.models import Village

    qs = Village.objects.filter(status=Village.Status.ACTIVE)
    if slug:
        qs = qs.filter(Q(slug=slug) | Q(kode=slug))
    elif kode:
        qs = qs.filter(kode__startswith=kode)
    return list(qs.order_by("kode").values_list("pk", flat=True))


def _lock_status_nowait(village_id: int) -> bool:
    """Lock the village's status row for this transaction; False when someone else holds it."""
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {_public_table(StatusDesa)} (village_id) VALUES (%s) ON CONFLICT (village_id) DO NOTHING",
            [village_id],
        )
        cur.execute(
            f"SELECT village_id FROM {_public_table(StatusDesa)} WHERE village_id = %s FOR UPDATE SKIP LOCKED",
            [village_id],
        )
        return cur.fetchone() is not None


def kunci_status_desa(*, village_id: int) -> bool:
    """Public wrapper: lock StatusDesa of the village in the caller's transaction (SKIP LOCKED)."""
    return _lock_status_nowait(village_id)


def hitung_ulang_batch(village_ids: Sequence[int], *, close: bool = True, ringkasan: bool = True) -> HasilHitungUlang:
    """Recompute every registered indicator for a batch of villages on one connection, closed afterwards
    (the catalog cache it built for these schemas goes with it: performance.md). One short transaction
    per village; a village whose status row is locked (a drain or a long write in progress) is skipped.
    With `ringkasan`, the stored rollups of the villages whose facts drifted are refreshed at the end, in
    one transaction (a full recompute passes False and rebuilds them once, in `hitung_ulang`)."""
    from platform_core.tenancy import schemas
    from platform_core.tenancy.models import Village

    out = HasilHitungUlang()
    semua = registry.semua()
    bergeser: dict[dt.date, dict[int, set[str]]] = {}
    try:
        for village in Village.objects.filter(pk__in=list(village_ids)).order_by("kode"):
            out.villages += 1
            now = timezone.now()
            with schemas.village_context(village), transaction.atomic():
                if not _lock_status_nowait(village.pk):
                    out.dilewati += 1
                    continue
                hasil: dict[str, Nilai] = {}
                with sesi_hitung():
                    for ind in semua:
                        hasil[ind.kunci] = indikator_hitung(ind, village_id=village.pk)
                changed = fakta_simpan_banyak(
                    village_id=village.pk, periode=periode_dari(now), hasil=hasil, computed_at=now
                )
                StatusDesa.objects.filter(pk=village.pk).update(terakhir_dihitung=now)
            if changed:
                bergeser.setdefault(periode_dari(now), {})[village.pk] = set(changed)
            out.dihitung += 1
            out.fakta += len(hasil)
            out.drift += len(changed)
            for k in changed:
                out.drift_per_indikator[k] = out.drift_per_indikator.get(k, 0) + 1
        if ringkasan:
            for periode, per_desa in bergeser.items():
                with transaction.atomic():
                    ringkasan_desa_segarkan(
                        village_ids=list(per_desa), periode=periode, kunci=set().union(*per_desa.values())
                    )
    finally:
        if close and not connection.in_atomic_block:  # never the caller's open transaction
            connection.close()
    return out


def _batch_job(ids: list[int]) -> HasilHitungUlang:
    return hitung_ulang_batch(ids, close=True, ringkasan=False)


def hitung_ulang(
    *,
    village_ids: Sequence[int],
    batch: int = 50,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> HasilHitungUlang:
    """Recompute every indicator of the given villages, `batch` villages per connection, in `workers`
    processes; reports the drift it corrected (facts whose stored value differed)."""
    import multiprocessing

    from django.db import connections

    t0 = time.perf_counter()
    awal = periode_dari()
    batches = [list(village_ids[i : i + batch]) for i in range(0, len(village_ids), batch)]
    total = HasilHitungUlang()

    def collect(done: HasilHitungUlang) -> None:
        total.tambah(done)
        if on_progress:
            on_progress(done.villages)

    if workers <= 1 or len(batches) <= 1:
        for ids in batches:
            collect(hitung_ulang_batch(ids, close=True, ringkasan=False))
    else:
        connections.close_all()  # no connection crosses the fork
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            for done in pool.imap_unordered(_batch_job, batches):
                collect(done)
    ringkasan_bangun_untuk(village_ids=village_ids, periode={awal, periode_dari()})
    total.seconds = time.perf_counter() - t0
    if total.drift:
        logger.warning(
            "hitung ulang: %s fakta dikoreksi di %s desa (%s)", total.drift, total.dihitung, total.drift_per_indikator
        )
    return total


def ringkasan_bangun_untuk(*, village_ids: Sequence[int], periode: Iterable[dt.date]) -> int:
    """Rebuild the stored rollups and scores of the provinces of these villages for the given periods (one
    transaction; a few GROUP BY queries per province, whatever its number of villages)."""
    from platform_core.facts.ringkasan import ringkasan_bangun
    from platform_core.tenancy.models import Village

    provinsi = sorted({k[:2] for k in Village.objects.filter(pk__in=list(village_ids)).values_list("kode", flat=True)})
    n = 0
    with transaction.atomic():
        for kode in provinsi:
            for p in sorted(set(periode)):
                n += ringkasan_bangun(wilayah=kode, periode=p)
        generasi_naikkan()
    return n
