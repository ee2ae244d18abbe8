"""Hand-built facts for the province screens: bare Village rows (no schema) and Fakta/StatusDesa rows
(each fact also refreshes the stored rollups of its regions, as the drain does).

The consoles read only public tables, so a village here is just its reference row; the
schema is never touched. Everything lives in the test's transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count

from django.utils import timezone

from platform_core.facts.models import Aktivitas, Fakta, KehadiranOperator, StatusDesa
from platform_core.facts.ringkasan import ringkasan_segarkan
from platform_core.facts.services import generasi_naikkan
from platform_core.tenancy.models import Village
from platform_core.wilayah.models import Kecamatan

PERIODE = dt.date(2031, 1, 1)  # far from any period the pipeline writes in other tests
_nomor = count(1)


def desa_buat(kecamatan: str, n: int, *, nama: str = "Uji") -> list[Village]:
    """`n` villages in kecamatan `kecamatan` (reference rows only)."""
    kec = Kecamatan.objects.get(kode=kecamatan)
    out = []
    for _ in range(n):
        i = next(_nomor)
        kode = f"{kecamatan}.{9000 + i}"
        out.append(
            Village.objects.create(
                kode=kode,
                nama=f"{nama} {i}",
                jenis=Village.Jenis.DESA,
                kecamatan=kec,
                slug=f"uji-{i}-{kecamatan.replace('.', '')}",
                schema_name=f"uji_{i}_{kecamatan.replace('.', '')}",
                kode_bps=f"99{i:08d}",
            )
        )
    return out


def fakta(
    village: Village,
    indikator: str,
    nilai: float | int | None,
    *,
    pembilang: float | int | None = None,
    penyebut: float | int | None = None,
    periode: dt.date = PERIODE,
    rincian: dict[str, object] | None = None,
) -> Fakta:
    def d(x: float | int | None) -> Decimal | None:
        return None if x is None else Decimal(str(x))

    baris = Fakta.objects.create(
        village=village,
        indikator=indikator,
        periode=periode,
        nilai=d(nilai),
        pembilang=d(pembilang),
        penyebut=d(penyebut),
        rincian=rincian or {},
        computed_at=timezone.now(),
    )
    # What the drain does after writing a fact: the stored rollups of its regions follow.
    ringkasan_segarkan(periode=periode, kode_desa=[village.kode], kunci=[indikator])  # their version moves
    return baris


def aktif(village: Village, *, hari_lalu: float | None) -> None:
    """The village last did something `hari_lalu` days ago (None: never)."""
    waktu = None if hari_lalu is None else timezone.now() - dt.timedelta(days=hari_lalu)
    StatusDesa.objects.update_or_create(village=village, defaults={"terakhir_aktif": waktu})
    generasi_naikkan()  # the drain recomputes kesegaran_hari after marking a village active


def aktivitas(village: Village, keterangan: str = "2 peristiwa penduduk dicatat", *, menit_lalu: int = 1) -> Aktivitas:
    return Aktivitas.objects.create(
        village=village,
        jenis="penduduk.peristiwa",
        keterangan=keterangan,
        jumlah=2,
        waktu=timezone.now() - dt.timedelta(minutes=menit_lalu),
    )


def hadir(village: Village, user_id: int, *, menit_lalu: int = 1) -> None:
    KehadiranOperator.objects.update_or_create(
        user_id=user_id,
        village=village,
        defaults={"terakhir_terlihat": timezone.now() - dt.timedelta(minutes=menit_lalu)},
    )


def isi_lengkap(villages: list[Village], *, periode: dt.date = PERIODE) -> None:
    """Every village gets the same shape of facts (for the query-count tests)."""
    for i, v in enumerate(villages):
        fakta(v, "penduduk_jumlah", 100 + i, periode=periode)
        fakta(v, "rasio_ktp_el", (50 + i) / (60 + i), pembilang=50 + i, penyebut=60 + i, periode=periode)
        fakta(v, "kesegaran_hari", i % 40, periode=periode)
        fakta(v, "operator_aktif_minggu", i % 3, periode=periode)
        fakta(v, "surat_median_jam", None, periode=periode)
        aktif(v, hari_lalu=i % 45)
        aktivitas(v)
