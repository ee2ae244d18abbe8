"""Writes to the population register of the current village.

Every service validates first and writes last, inside one transaction: bad input raises
django.core.exceptions.ValidationError ({field: [Indonesian message]}) and changes nothing.
Services only touch the current schema; the village code of a temporary NIK comes from the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from tenants.penduduk import reference as ref
from tenants.penduduk.models import Keluarga, Penduduk
from tenants.penduduk.nik import (
    TEMPORARY_SERIAL_DIGITS,
    NikCheck,
    check_nik,
    check_no_kk,
    kode_desa_digits,
    same_birth_date,
    temporary_nik,
)
from tenants.penduduk.selectors import kepala_keluarga_of, penduduk_holding_nik

Errors = dict[str, list[str]]

#: Fields penduduk_update may change. Family membership changes through the keluarga_* services.
UPDATABLE_FIELDS = frozenset(
    {
        "nik",
        "nama",
        "hubungan",
        "jenis_kelamin",
        "tempat_lahir",
        "tanggal_lahir",
        "agama",
        "pendidikan_kk",
        "pendidikan_sedang",
        "pekerjaan",
        "status_kawin",
        "warganegara",
        "golongan_darah",
        "cacat",
        "ktp_el",
        "status_rekam",
        "asuransi",
        "status_dasar",
        "nama_ayah",
        "nama_ibu",
    }
)


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _model_errors(instance: Penduduk | Keluarga, errors: Errors, *, exclude: list[str] | None = None) -> None:
    """Choices, lengths and required fields, in Django's Indonesian messages."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                if message not in errors.get(name, []):
                    _add(errors, name, message)


def _duplicate_nik_message(nik: str, holder: Penduduk) -> str:
    return (
        f"NIK {nik} sudah terdaftar atas nama {holder.nama}. Periksa kembali NIK; "
        f"bila orangnya sama, ubah data {holder.nama} yang sudah ada."
    )


def _sex_label(value: int) -> str:
    return ref.JenisKelamin(value).label.lower()


def _identity_errors(
    check: NikCheck,
    *,
    jenis_kelamin: int | None,
    tanggal_lahir: dt.date | None,
    errors: Errors,
) -> None:
    """Sex and birth date given by the operator must agree with a real NIK."""
    if check.nik_sementara or not check.valid:
        return
    assert check.jenis_kelamin is not None and check.tanggal_lahir is not None
    if jenis_kelamin is not None and jenis_kelamin != check.jenis_kelamin:
        _add(
            errors,
            "jenis_kelamin",
            f"Jenis kelamin tidak sesuai dengan NIK: menurut NIK penduduk ini {_sex_label(check.jenis_kelamin)} "
            "(tanggal lahir perempuan di NIK ditambah 40). Perbaiki jenis kelamin atau NIK.",
        )
    if tanggal_lahir is not None and not same_birth_date(check.tanggal_lahir, tanggal_lahir):
        _add(
            errors,
            "tanggal_lahir",
            f"Tanggal lahir {tanggal_lahir:%d-%m-%Y} tidak sesuai dengan NIK "
            f"(menurut NIK {check.tanggal_lahir:%d-%m-%y}). Perbaiki tanggal lahir atau NIK, "
            "atau kosongkan tanggal lahir agar diisi dari NIK.",
        )


def _kepala_errors(keluarga: Keluarga | None, hubungan: int, errors: Errors, *, exclude_pk: int | None = None) -> None:
    if keluarga is None or hubungan != ref.Hubungan.KEPALA_KELUARGA:
        return
    kepala = kepala_keluarga_of(keluarga=keluarga, exclude_pk=exclude_pk)
    if kepala is not None:
        _add(
            errors,
            "hubungan",
            f"Keluarga No. KK {keluarga.no_kk} sudah punya kepala keluarga ({kepala.nama}). "
            "Pilih hubungan lain, atau ganti kepala keluarga lebih dulu.",
        )


def _save_new(instance: Penduduk | Keluarga) -> None:
    """Insert inside a savepoint: a concurrent duplicate becomes a ValidationError, not a broken transaction."""
    try:
        with transaction.atomic():
            instance.save(force_insert=True)
    except IntegrityError as exc:
        raise _integrity_error(instance) from exc


def _integrity_error(instance: Penduduk | Keluarga) -> ValidationError:
    if isinstance(instance, Keluarga):
        return ValidationError({"no_kk": [f"No. KK {instance.no_kk} sudah terdaftar. Periksa kembali No. KK."]})
    holder = penduduk_holding_nik(nik=instance.nik, exclude_pk=instance.pk)
    if holder is not None:
        return ValidationError({"nik": [_duplicate_nik_message(instance.nik, holder)]})
    return ValidationError(
        {"hubungan": ["Keluarga ini sudah punya kepala keluarga. Pilih hubungan lain, atau ganti kepala keluarga."]}
    )


@transaction.atomic
def nik_sementara_allocate(*, kode_desa: str) -> str:
    """Next free temporary NIK of this village: "0" + 10-digit village code + 5-digit serial.

    Takes a transaction-level advisory lock for this village's temporary numbers, so two operators
    never get the same number; the lock is held until the caller's transaction ends (create the
    resident in the same transaction). Reads only the current schema.
    """
    prefix = "0" + kode_desa_digits(kode_desa)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"balai.nik_sementara.{prefix}"])
    highest = Penduduk.objects.filter(nik__startswith=prefix).aggregate(m=Max("nik"))["m"]
    serial = int(highest[len(prefix) :]) + 1 if highest else 1
    if serial >= 10**TEMPORARY_SERIAL_DIGITS:
        raise ValidationError({"nik": ["Nomor NIK sementara desa ini sudah habis. Hubungi admin kabupaten."]})
    return temporary_nik(kode_desa=kode_desa, serial=serial)


@transaction.atomic
def penduduk_create(
    *,
    nama: str,
    hubungan: int,
    agama: int,
    pendidikan_kk: int,
    pekerjaan: int,
    status_kawin: int,
    nik: str = "",
    kode_desa: str = "",
    jenis_kelamin: int | None = None,
    tanggal_lahir: dt.date | None = None,
    keluarga: Keluarga | None = None,
    tempat_lahir: str = "",
    pendidikan_sedang: int | None = None,
    warganegara: int = ref.Warganegara.WNI,
    golongan_darah: int = ref.GolonganDarah.TIDAK_TAHU,
    cacat: int = ref.Cacat.TIDAK_CACAT,
    ktp_el: int = ref.KtpEl.BELUM,
    status_rekam: int | None = None,
    asuransi: int = ref.Asuransi.TIDAK_BELUM_PUNYA,
    status_dasar: int = ref.StatusDasar.HIDUP,
    nama_ayah: str = "",
    nama_ibu: str = "",
) -> Penduduk:
    """Adds a resident to the village register.

    With a real NIK, sex and birth date may be left out: they are taken from the NIK; when given they
    must agree with it. Without a NIK, the next temporary NIK of the village `kode_desa` is allocated
    (then sex and birth date are required). The NIK must be unique in the village; the error names
    the resident who holds it. One transaction: on any error nothing is written.
    """
    errors: Errors = {}
    nik = nik.strip()
    check: NikCheck | None = None
    if nik:
        check = check_nik(nik)
        for message in check.errors:
            _add(errors, "nik", message)
        if check.valid:
            assert check.nik is not None
            nik = check.nik
            holder = penduduk_holding_nik(nik=nik)
            if holder is not None:
                _add(errors, "nik", _duplicate_nik_message(nik, holder))
            _identity_errors(check, jenis_kelamin=jenis_kelamin, tanggal_lahir=tanggal_lahir, errors=errors)
            if check.jenis_kelamin is not None and jenis_kelamin is None:
                jenis_kelamin = check.jenis_kelamin
            if check.tanggal_lahir is not None and tanggal_lahir is None:
                tanggal_lahir = check.tanggal_lahir
    elif not kode_desa:
        raise ValueError("penduduk_create without a NIK needs kode_desa to allocate a temporary NIK")
    if jenis_kelamin is None:
        _add(errors, "jenis_kelamin", "Jenis kelamin wajib diisi untuk penduduk dengan NIK sementara.")
    if tanggal_lahir is None:
        _add(errors, "tanggal_lahir", "Tanggal lahir wajib diisi untuk penduduk dengan NIK sementara.")
    elif tanggal_lahir > timezone.localdate():
        _add(errors, "tanggal_lahir", "Tanggal lahir tidak boleh di masa depan. Periksa kembali tanggal lahir.")
    _kepala_errors(keluarga, hubungan, errors)

    penduduk = Penduduk(  # type: ignore[misc]  # sex/birth date None are field errors above, never saved
        nik=nik or "0" * 16,  # placeholder until a temporary NIK is allocated below
        nik_sementara=check.nik_sementara if check else True,
        nama=nama.strip(),
        keluarga=keluarga,
        hubungan=hubungan,
        jenis_kelamin=jenis_kelamin,
        tempat_lahir=tempat_lahir,
        tanggal_lahir=tanggal_lahir,
        agama=agama,
        pendidikan_kk=pendidikan_kk,
        pendidikan_sedang=pendidikan_sedang,
        pekerjaan=pekerjaan,
        status_kawin=status_kawin,
        warganegara=warganegara,
        golongan_darah=golongan_darah,
        cacat=cacat,
        ktp_el=ktp_el,
        status_rekam=status_rekam,
        asuransi=asuransi,
        status_dasar=status_dasar,
        nama_ayah=nama_ayah,
        nama_ibu=nama_ibu,
    )
    _model_errors(penduduk, errors, exclude=["nik", "keluarga"])
    if errors:
        raise ValidationError(errors)
    if not nik:
        penduduk.nik = nik_sementara_allocate(kode_desa=kode_desa)
    _save_new(penduduk)
    return penduduk


@transaction.atomic
def penduduk_update(*, penduduk: Penduduk, data: Mapping[str, Any]) -> Penduduk:  # noqa: PLR0912  # one flat list of checks
    """Changes fields of a resident (a PATCH: only the keys in `data`).

    A new NIK is checked like on create and must be unique in the village; sex and birth date that
    are not sent are then taken from the new NIK. Sex or birth date that are sent must agree with
    the NIK. A family keeps exactly one head: making a second head, or demoting the head, is refused
    (use keluarga_kepala_change). Records whose stored data already disagree with their NIK (imports)
    can still be edited in other fields. One transaction: on any error nothing is written.
    """
    unknown = set(data) - UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"penduduk_update cannot change {sorted(unknown)}")
    changes = {name: value for name, value in data.items() if getattr(penduduk, name) != value}
    errors: Errors = {}

    if "nik" in changes:
        check = check_nik(str(changes["nik"]))
        for message in check.errors:
            _add(errors, "nik", message)
        if check.valid:
            assert check.nik is not None
            changes["nik"] = check.nik
            changes["nik_sementara"] = check.nik_sementara
            holder = penduduk_holding_nik(nik=check.nik, exclude_pk=penduduk.pk)
            if holder is not None:
                _add(errors, "nik", _duplicate_nik_message(check.nik, holder))
            if check.jenis_kelamin is not None and "jenis_kelamin" not in data:
                changes["jenis_kelamin"] = check.jenis_kelamin
            if check.tanggal_lahir is not None and "tanggal_lahir" not in data:
                changes["tanggal_lahir"] = check.tanggal_lahir
    if {"nik", "jenis_kelamin", "tanggal_lahir"} & set(changes) and "nik" not in errors:
        check = check_nik(changes.get("nik", penduduk.nik))
        _identity_errors(
            check,
            jenis_kelamin=data.get("jenis_kelamin"),
            tanggal_lahir=data.get("tanggal_lahir"),
            errors=errors,
        )
    if "hubungan" in changes and penduduk.keluarga is not None:
        if penduduk.hubungan == ref.Hubungan.KEPALA_KELUARGA:
            _add(
                errors,
                "hubungan",
                f"{penduduk.nama} adalah kepala keluarga No. KK {penduduk.keluarga.no_kk}; keluarga harus tetap "
                "punya satu kepala. Tetapkan kepala keluarga baru lebih dulu (ganti kepala keluarga).",
            )
        _kepala_errors(penduduk.keluarga, changes["hubungan"], errors, exclude_pk=penduduk.pk)
    if isinstance(changes.get("tanggal_lahir"), dt.date) and changes["tanggal_lahir"] > timezone.localdate():
        _add(errors, "tanggal_lahir", "Tanggal lahir tidak boleh di masa depan. Periksa kembali tanggal lahir.")

    for name, value in changes.items():
        setattr(penduduk, name, value)
    _model_errors(penduduk, errors, exclude=["nik", "keluarga"])
    if errors:
        penduduk.refresh_from_db()
        raise ValidationError(errors)
    if changes:
        try:
            with transaction.atomic():
                penduduk.save(update_fields=[*changes, "updated_at"])
        except IntegrityError as exc:
            error = _integrity_error(penduduk)
            penduduk.refresh_from_db()
            raise error from exc
    return penduduk


def _no_kk_errors(no_kk: str, errors: Errors) -> str:
    number, messages = check_no_kk(no_kk)
    for message in messages:
        _add(errors, "no_kk", message)
    if number and not messages:
        other = Keluarga.objects.filter(no_kk=number).first()
        if other is not None:
            kepala = kepala_keluarga_of(keluarga=other)
            holder = f" (kepala keluarga {kepala.nama})" if kepala else ""
            _add(errors, "no_kk", f"No. KK {number} sudah terdaftar{holder}. Periksa kembali No. KK.")
    return number or no_kk


@transaction.atomic
def keluarga_create(
    *,
    no_kk: str,
    kepala: Penduduk | Mapping[str, Any],
    alamat: str = "",
    dusun: str = "",
    rw: str = "",
    rt: str = "",
    kode_desa: str = "",
) -> Keluarga:
    """Creates a family card together with its head, so a family never exists without one.

    `kepala` is either a resident of this village who is not yet in a family, or the keyword
    arguments of penduduk_create for a new resident (hubungan is set to Kepala Keluarga; errors
    come back under "kepala.<field>"). One transaction: on any error nothing is written.
    """
    errors: Errors = {}
    number = _no_kk_errors(no_kk, errors)
    if isinstance(kepala, Penduduk) and kepala.keluarga_id is not None:
        _add(
            errors,
            "kepala",
            f"{kepala.nama} sudah menjadi anggota keluarga lain. Keluarkan dari keluarga itu lebih dulu, "
            "atau pilih penduduk lain sebagai kepala keluarga.",
        )
    keluarga = Keluarga(no_kk=number, alamat=alamat.strip(), dusun=dusun.strip(), rw=rw.strip(), rt=rt.strip())
    try:
        keluarga.full_clean(exclude=["no_kk"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    _save_new(keluarga)
    if isinstance(kepala, Penduduk):
        kepala.keluarga = keluarga
        kepala.hubungan = ref.Hubungan.KEPALA_KELUARGA
        kepala.save(update_fields=["keluarga", "hubungan", "updated_at"])
    else:
        fields = {**kepala, "keluarga": keluarga, "hubungan": ref.Hubungan.KEPALA_KELUARGA}
        fields.setdefault("kode_desa", kode_desa)
        try:
            penduduk_create(**fields)
        except ValidationError as exc:
            raise ValidationError({f"kepala.{name}": messages for name, messages in exc.message_dict.items()}) from exc
    return keluarga


@transaction.atomic
def keluarga_add_member(*, keluarga: Keluarga, penduduk: Penduduk, hubungan: int) -> Penduduk:
    """Puts a resident who is in no family into `keluarga`. A second head is refused.

    One transaction: on any error nothing is written.
    """
    errors: Errors = {}
    if penduduk.keluarga_id is not None:
        _add(
            errors,
            "penduduk",
            f"{penduduk.nama} sudah menjadi anggota keluarga lain. Keluarkan dari keluarga itu lebih dulu.",
        )
    if hubungan not in ref.Hubungan.values:
        _add(errors, "hubungan", f"Kode hubungan {hubungan} tidak dikenal. Pilih kode dari daftar referensi.")
    _kepala_errors(keluarga, hubungan, errors)
    if errors:
        raise ValidationError(errors)
    penduduk.keluarga = keluarga
    penduduk.hubungan = hubungan
    penduduk.save(update_fields=["keluarga", "hubungan", "updated_at"])
    return penduduk


@transaction.atomic
def keluarga_kepala_change(*, keluarga: Keluarga, kepala_baru: Penduduk, hubungan_kepala_lama: int) -> Keluarga:
    """Makes a member the head of `keluarga`; the former head gets `hubungan_kepala_lama`.

    Both rows change in one transaction, so the family has exactly one head before and after.
    """
    errors: Errors = {}
    if kepala_baru.keluarga_id != keluarga.pk:
        _add(errors, "kepala_baru", f"{kepala_baru.nama} bukan anggota keluarga No. KK {keluarga.no_kk}.")
    if hubungan_kepala_lama == ref.Hubungan.KEPALA_KELUARGA or hubungan_kepala_lama not in ref.Hubungan.values:
        _add(errors, "hubungan_kepala_lama", "Pilih hubungan baru kepala keluarga lama selain Kepala Keluarga.")
    if errors:
        raise ValidationError(errors)
    lama = kepala_keluarga_of(keluarga=keluarga, exclude_pk=kepala_baru.pk)
    if lama is not None:
        lama.hubungan = hubungan_kepala_lama
        lama.save(update_fields=["hubungan", "updated_at"])
    kepala_baru.hubungan = ref.Hubungan.KEPALA_KELUARGA
    kepala_baru.save(update_fields=["hubungan", "updated_at"])
    return keluarga
