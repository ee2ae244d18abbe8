"""Data shapes for the population register. Behaviour goes through the real services.

NIKs are built from a known kecamatan (18.01.17 Candipuro) and a birth date, so sex and birth date
in the factories always agree with the NIK.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

import factory

from tenants.penduduk import reference as ref
from tenants.penduduk.models import Keluarga, Penduduk, Rt

KECAMATAN = "180117"


def make_nik(*, tanggal_lahir: dt.date, perempuan: bool = False, serial: int = 1, kecamatan: str = KECAMATAN) -> str:
    day = tanggal_lahir.day + (40 if perempuan else 0)
    return f"{kecamatan}{day:02d}{tanggal_lahir:%m%y}{serial:04d}"


def make_no_kk(serial: int) -> str:
    return f"{KECAMATAN}010120{serial:04d}"


def penduduk_fields(**overrides: Any) -> dict[str, Any]:
    """Keyword arguments for penduduk_create (a man born 12-05-1985 unless overridden)."""
    born = overrides.pop("born", dt.date(1985, 5, 12))
    perempuan = overrides.pop("perempuan", False)
    serial = overrides.pop("serial", 1)
    fields: dict[str, Any] = {
        "nik": make_nik(tanggal_lahir=born, perempuan=perempuan, serial=serial),
        "nama": "Budi Santoso",
        "hubungan": ref.Hubungan.KEPALA_KELUARGA,
        "agama": ref.Agama.ISLAM,
        "pendidikan_kk": ref.PendidikanKK.SLTA_SEDERAJAT,
        "pekerjaan": ref.Pekerjaan.PETANI_PEKEBUN,
        "status_kawin": ref.StatusKawin.KAWIN,
    }
    fields.update(overrides)
    return fields


class KeluargaFactory(factory.django.DjangoModelFactory[Keluarga]):
    class Meta:
        model = Keluarga

    no_kk = factory.Sequence(lambda n: make_no_kk(n + 1))
    alamat = "Jl. Raya Candipuro"
    rt = None


class PendudukFactory(factory.django.DjangoModelFactory[Penduduk]):
    class Meta:
        model = Penduduk

    class Params:
        perempuan = False

    tanggal_lahir = dt.date(1990, 6, 5)
    nik = factory.LazyAttributeSequence(
        lambda o, n: make_nik(tanggal_lahir=o.tanggal_lahir, perempuan=o.perempuan, serial=n + 1)
    )
    nama = factory.Sequence(lambda n: f"Warga {n}")
    jenis_kelamin = factory.LazyAttribute(
        lambda o: ref.JenisKelamin.PEREMPUAN if o.perempuan else ref.JenisKelamin.LAKI_LAKI
    )
    keluarga = None
    hubungan = ref.Hubungan.ANAK
    agama = ref.Agama.ISLAM
    pendidikan_kk = ref.PendidikanKK.TAMAT_SD_SEDERAJAT
    pekerjaan = ref.Pekerjaan.PETANI_PEKEBUN
    status_kawin = ref.StatusKawin.BELUM_KAWIN


# --- Families built through the real services ---------------------------------------------

_serials = itertools.count(5000)


def next_serial() -> int:
    return next(_serials)


def warga(
    *,
    nama: str,
    hubungan: int = ref.Hubungan.ANAK,
    born: dt.date = dt.date(1990, 6, 5),
    perempuan: bool = False,
    **overrides: Any,
) -> dict[str, Any]:
    """penduduk_create fields with a fresh NIK that agrees with sex and birth date."""
    return penduduk_fields(
        nama=nama, hubungan=hubungan, born=born, perempuan=perempuan, serial=next_serial(), **overrides
    )


def keluarga_dengan(
    *,
    kepala: str = "Kepala",
    kepala_perempuan: bool = False,
    anggota: Sequence[tuple[str, int]] = (),
    rt: Rt | None = None,
    **kepala_overrides: Any,
) -> tuple[Keluarga, Penduduk, list[Penduduk]]:
    """A family card with its head and members (name, hubungan), created through the services."""
    from tenants.penduduk.services import keluarga_create, penduduk_create

    keluarga = keluarga_create(
        no_kk=make_no_kk(next_serial()),
        kepala=warga(nama=kepala, born=dt.date(1970, 3, 4), perempuan=kepala_perempuan, **kepala_overrides),
        rt=rt,
    )
    head = keluarga.anggota.get()
    members = [
        penduduk_create(
            **warga(nama=nama, hubungan=hubungan, perempuan=hubungan == ref.Hubungan.ISTRI), keluarga=keluarga
        )
        for nama, hubungan in anggota
    ]
    return keluarga, head, members
