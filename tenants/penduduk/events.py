"""What the population register publishes to the rest of the platform (through the outbox).

Topics are stable strings; payloads carry the resident's id inside this village and codes,
never NIK, names, addresses or birth dates (they leave the village schema).
"""

from __future__ import annotations

from tenants.outbox.services import outbox_emit
from tenants.penduduk.models import Penduduk

PENDUDUK_DIBUAT = "penduduk.dibuat"
PENDUDUK_DIUBAH = "penduduk.diubah"
PENDUDUK_PEKERJAAN_BERUBAH = "penduduk.pekerjaan_berubah"
PENDUDUK_PERISTIWA = "penduduk.peristiwa"  # lahir, mati, pindah keluar, datang, hilang, pergi
KELUARGA_BERUBAH = "keluarga.berubah"
REGISTER_DIIMPOR = "penduduk.diimpor"


def penduduk_event(topic: str, penduduk: Penduduk, **extra: int | str | bool | None) -> None:
    """One event about one resident: id, sex, status, job codes; plus `extra` scalars."""
    outbox_emit(
        topic=topic,
        payload={
            "penduduk_id": penduduk.pk,
            "jenis_kelamin": penduduk.jenis_kelamin,
            "status_dasar": penduduk.status_dasar,
            "pekerjaan": penduduk.pekerjaan,
            **extra,
        },
    )
