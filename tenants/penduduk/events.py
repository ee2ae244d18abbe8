"""What the population register publishes to the rest of the platform (through the outbox).

Topics are stable strings; payloads carry ids inside this village and SIAK codes, never NIK, No. KK,
names, addresses or birth dates (they leave the village schema). Every service emits in the
transaction of its change.
"""

from __future__ import annotations

from tenants.outbox.services import outbox_emit
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Keluarga, Penduduk, RumahTangga

PENDUDUK_DIBUAT = "penduduk.dibuat"
PENDUDUK_DIUBAH = "penduduk.diubah"
#: Carries pekerjaan_lama and pekerjaan_baru (codes), e.g. for an aid module reacting to "got a job".
PENDUDUK_PEKERJAAN_BERUBAH = "penduduk.pekerjaan_berubah"
PENDUDUK_NIK_DIGANTI = "penduduk.nik_diganti"
#: Every peristiwa (lahir, mati, pindah keluar, datang, hilang, pergi), with its `jenis` code.
PENDUDUK_PERISTIWA = "penduduk.peristiwa"
PENDUDUK_LAHIR = "penduduk.lahir"
PENDUDUK_MATI = "penduduk.mati"
PENDUDUK_PINDAH_KELUAR = "penduduk.pindah_keluar"
PENDUDUK_DATANG = "penduduk.datang"
PENDUDUK_HILANG = "penduduk.hilang"
PENDUDUK_PERGI = "penduduk.pergi"
KELUARGA_DIBUAT = "keluarga.dibuat"
KELUARGA_BERUBAH = "keluarga.berubah"
RUMAH_TANGGA_BERUBAH = "rumah_tangga.berubah"
WILAYAH_BERUBAH = "wilayah.berubah"
REGISTER_DIIMPOR = "penduduk.diimpor"

#: The topic of each kind of peristiwa (emitted besides PENDUDUK_PERISTIWA).
TOPIC_PERISTIWA: dict[int, str] = {
    ref.JenisPeristiwa.LAHIR: PENDUDUK_LAHIR,
    ref.JenisPeristiwa.MATI: PENDUDUK_MATI,
    ref.JenisPeristiwa.PINDAH_KELUAR: PENDUDUK_PINDAH_KELUAR,
    ref.JenisPeristiwa.DATANG: PENDUDUK_DATANG,
    ref.JenisPeristiwa.HILANG: PENDUDUK_HILANG,
    ref.JenisPeristiwa.PERGI: PENDUDUK_PERGI,
}


def penduduk_event(topic: str, penduduk: Penduduk, **extra: int | str | bool | None) -> None:
    """One event about one resident: id, sex, status, job codes, family and RT ids; plus `extra` scalars."""
    outbox_emit(
        topic=topic,
        payload={
            "penduduk_id": penduduk.pk,
            "jenis_kelamin": penduduk.jenis_kelamin,
            "status_dasar": penduduk.status_dasar,
            "status_penduduk": penduduk.status_penduduk,
            "pekerjaan": penduduk.pekerjaan,
            "keluarga_id": penduduk.keluarga_id,
            "rt_id": penduduk.rt_id,
            **extra,
        },
    )


def keluarga_event(topic: str, keluarga: Keluarga, **extra: int | str | bool | None) -> None:
    """One event about a family card: its id and RT id (never the No. KK)."""
    outbox_emit(topic=topic, payload={"keluarga_id": keluarga.pk, "rt_id": keluarga.rt_id, **extra})


def rumah_tangga_event(topic: str, rumah_tangga: RumahTangga, **extra: int | str | bool | None) -> None:
    outbox_emit(topic=topic, payload={"rumah_tangga_id": rumah_tangga.pk, "rt_id": rumah_tangga.rt_id, **extra})


def wilayah_event(*, tingkat: str, wilayah_id: int | None, aksi: str) -> None:
    """Territory changed (tingkat: dusun, rw, rt; aksi: dibuat, diubah, dihapus)."""
    outbox_emit(topic=WILAYAH_BERUBAH, payload={"tingkat": tingkat, "wilayah_id": wilayah_id, "aksi": aksi})
