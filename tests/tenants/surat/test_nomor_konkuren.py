"""Numbering under real concurrency: parallel transactions on their own PostgreSQL connections.

Letters are numbered by threads that each hold a connection to village A and start together (a barrier),
some of them rolling back after taking a number. The committed numbers must be unique and gap-free.
The data is committed (outside the test transaction) and removed afterwards.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import village_context
from tenants.penduduk.models import Keluarga, Penduduk
from tenants.surat import services
from tenants.surat.models import Lampiran, PenghitungNomor, Permohonan, Status, TemplatSurat
from tests.conftest import Villages, resident_create

KODE = "uji-konkuren"
NIK = "1801171506900777"
NO_KK = "9901170101100777"
JUMLAH = 24
BATAL = 6  # of which roll back after taking their number


class Rollback(Exception):
    pass


def in_thread(village: Village, work: Callable[[], Any]) -> Any:
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            with village_context(village):
                box["value"] = work()
        except BaseException as exc:
            box["error"] = exc
        finally:
            connection.close()

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _hapus() -> None:
    ids = list(Permohonan.objects.filter(templat__kode=KODE).values_list("id", flat=True))
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("ALTER TABLE surat_riwayat DISABLE TRIGGER surat_riwayat_append_only")
        cur.execute("DELETE FROM surat_riwayat WHERE permohonan_id = ANY(%s)", [ids])
        cur.execute("ALTER TABLE surat_riwayat ENABLE TRIGGER surat_riwayat_append_only")
    Lampiran.objects.filter(permohonan_id__in=ids).delete()
    Permohonan.objects.filter(id__in=ids).delete()
    TemplatSurat.objects.filter(kode=KODE).delete()
    PenghitungNomor.objects.filter(lingkup=KODE).delete()
    Penduduk.objects.filter(nik=NIK).delete()
    Keluarga.objects.filter(no_kk=NO_KK).delete()


@pytest.fixture
def antrean(villages: Villages, db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """JUMLAH committed requests in status diperiksa, on a template with its own sequence."""
    # Events are covered elsewhere; here they would leave committed outbox rows behind.
    monkeypatch.setattr(services, "outbox_emit", lambda **kwargs: None)
    in_thread(villages.a, _hapus)

    def siapkan() -> list[int]:
        penduduk = resident_create(nama="Uji Konkuren", nik=NIK, no_kk=NO_KK)
        services.pasang_templat_bawaan()
        services.templat_buat(
            data={
                "kode": KODE,
                "nama": "Uji konkuren",
                "kode_klasifikasi": "470",
                "judul": "UJI",
                "isi": "[nama] [keperluan]",
                "penomoran": "templat",
                "aturan_subjek": ["hidup"],
            }
        )
        ids = []
        for i in range(JUMLAH):
            p = services.ajukan_permohonan(
                template_kode=KODE, penduduk_id=penduduk.pk, isian={}, keperluan=f"uji {i}", kanal="operator"
            )
            services.pindahkan_status(permohonan=p, ke=Status.DIPERIKSA)
            ids.append(p.pk)
        return ids

    ids = in_thread(villages.a, siapkan)
    yield ids
    in_thread(villages.a, _hapus)


def serbu(village: Village, antrean: list[int]) -> tuple[list[int], list[str], int]:
    """Every request numbered at once by its own thread/connection; BATAL of them roll back afterwards."""
    barrier = threading.Barrier(len(antrean))
    errors: list[BaseException] = []

    def operator(pk: int, rollback: bool) -> None:
        try:
            with village_context(village):
                barrier.wait(timeout=30)
                try:
                    with transaction.atomic():
                        services.pindahkan_status(permohonan=pk, ke=Status.MENUNGGU_TTD)
                        if rollback:
                            raise Rollback
                except Rollback:
                    pass
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=operator, args=(pk, i < BATAL)) for i, pk in enumerate(antrean)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []

    def hasil() -> tuple[list[int], list[str], int]:
        rows = Permohonan.objects.filter(pk__in=antrean, status=Status.MENUNGGU_TTD)
        urut = sorted(rows.values_list("nomor_urut", flat=True))
        nomor = list(rows.values_list("nomor", flat=True))
        counter = PenghitungNomor.objects.get(lingkup=KODE).terakhir
        return urut, nomor, counter  # type: ignore[return-value]

    return in_thread(village, hasil)  # type: ignore[no-any-return]


def test_parallel_transactions_never_share_a_number_and_leave_no_gap(villages: Villages, antrean: list[int]) -> None:
    urut, nomor, counter = serbu(villages.a, antrean)
    committed = JUMLAH - BATAL
    assert urut == list(range(1, committed + 1))  # unique and gap-free
    assert len(set(nomor)) == committed
    assert counter == committed


def test_control_a_read_then_write_counter_does_hand_out_duplicates(
    villages: Villages, antrean: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: the same race with a naive counter (read, then write) gives duplicates, so the test can fail."""

    def naive(*, lingkup: str, tahun: int) -> int:
        row = PenghitungNomor.objects.get(lingkup=lingkup, tahun=tahun)
        time.sleep(0.05)
        PenghitungNomor.objects.filter(pk=row.pk).update(terakhir=row.terakhir + 1)
        return row.terakhir + 1

    in_thread(
        villages.a, lambda: PenghitungNomor.objects.create(lingkup=KODE, tahun=timezone.localdate().year, terakhir=0)
    )
    monkeypatch.setattr(services, "ambil_nomor_urut", naive)
    urut, _, _ = serbu(villages.a, antrean)
    assert len(set(urut)) < len(urut)
