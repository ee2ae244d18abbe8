"""Writes to the population register of the current village.

Every service validates first and writes last, inside one transaction: bad input raises
django.core.exceptions.ValidationError ({field: [Indonesian message]}) and changes nothing.
Every write leaves a trace in the same transaction: one Mutasi row ({field: [old, new]}) per
affected resident, family or household, and outbox events (tenants/penduduk/events.py) that
carry ids and codes only. Services only touch the current schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from platform_core.tenancy.schemas import audit_write
from tenants.penduduk import events
from tenants.penduduk import reference as ref
from tenants.penduduk.models import (
    AksesLog,
    Dusun,
    Keluarga,
    Mutasi,
    Penduduk,
    Peristiwa,
    Rt,
    RumahTangga,
    Rw,
)
from tenants.penduduk.nik import (
    TEMPORARY_SERIAL_DIGITS,
    NikCheck,
    check_nik,
    check_no_kk,
    kode_desa_digits,
    normalize_number,
    same_birth_date,
    temporary_nik,
)
from tenants.penduduk.selectors import kepala_keluarga_of, penduduk_holding_nik

if TYPE_CHECKING:
    from platform_core.accounts.models import User

Errors = dict[str, list[str]]
H = ref.Hubungan
S = ref.StatusDasar
J = ref.JenisPeristiwa

#: Penduduk fields penduduk_create accepts besides its named arguments (the rest of the SIAK record).
EXTRA_FIELDS = frozenset(
    {
        "status_penduduk",
        "alamat_sebelumnya",
        "alamat_sekarang",
        "suku",
        "akta_lahir",
        "no_paspor",
        "tanggal_akhir_paspor",
        "no_kitas",
        "akta_perkawinan",
        "tanggal_perkawinan",
        "akta_perceraian",
        "tanggal_perceraian",
        "cara_kb",
        "hamil",
        "sakit_menahun",
        "no_asuransi",
        "tag_id_card",
        "telepon",
        "nik_ayah",
        "nik_ibu",
        "perlu_diperiksa",
        "catatan_periksa",
    }
)

#: Fields penduduk_update may change. Family and household membership change through their own services,
#: a temporary NIK through penduduk_nik_ganti (or a corrected NIK here), the status through peristiwa.
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
        "rt",
        *EXTRA_FIELDS,
    }
)

#: Relationships a newborn may have to the head of the family it is born into.
HUBUNGAN_LAHIR = frozenset({H.ANAK, H.CUCU, H.FAMILI_LAIN, H.LAINNYA})

#: The status each recorded peristiwa sets, and the statuses it may start from.
STATUS_SESUDAH: dict[int, int] = {J.MATI: S.MATI, J.PINDAH_KELUAR: S.PINDAH, J.HILANG: S.HILANG, J.PERGI: S.PERGI}
STATUS_ASAL: dict[int, frozenset[int]] = {
    J.MATI: frozenset({S.HIDUP, S.HILANG}),  # a missing person may later be declared dead
    J.PINDAH_KELUAR: frozenset({S.HIDUP}),
    J.HILANG: frozenset({S.HIDUP}),
    J.PERGI: frozenset({S.HIDUP}),
}
_UNTRACKED = frozenset({"id", "created_at", "updated_at"})


# --- errors ------------------------------------------------------------------------------


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _merge(errors: Errors, exc: ValidationError, *, prefix: str = "") -> None:
    for name, messages in exc.message_dict.items():
        for message in messages:
            _add(errors, f"{prefix}{name}", message)


def _model_errors(instance: models.Model, errors: Errors, *, exclude: list[str] | None = None) -> None:
    """Choices, lengths and required fields, in Django's Indonesian messages."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                if message not in errors.get(name, []):
                    _add(errors, name, message)


def _today() -> dt.date:
    return timezone.localdate()  # TIME_ZONE is Asia/Jakarta


def _tgl(value: dt.date) -> str:
    return f"{value:%d-%m-%Y}"


# --- trace: mutasi and petugas ----------------------------------------------------------------


def _scalar(value: Any) -> Any:
    """A JSON scalar for mutasi: dates as ISO strings, objects as their id, codes as ints."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    return str(value)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The tracked fields of a row as JSON scalars (foreign keys by field name, as ids)."""
    return {
        field.name: _scalar(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.name not in _UNTRACKED
    }


def perubahan(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value differs."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def _dibuat(instance: models.Model) -> dict[str, list[Any]]:
    """A creation as a change from nothing: every field that has a value."""
    return {name: [None, value] for name, value in snapshot(instance).items() if value not in (None, "")}


def _petugas(petugas: User | None) -> dict[str, Any]:
    if petugas is None:
        return {"petugas_id": None, "petugas_nama": ""}
    return {"petugas_id": petugas.pk, "petugas_nama": petugas.get_username()}


def _mutasi(
    *,
    aksi: str,
    petugas: User | None,
    perubahan: Mapping[str, list[Any]] | None = None,
    penduduk: Penduduk | None = None,
    keluarga: Keluarga | None = None,
    rumah_tangga: RumahTangga | None = None,
    keterangan: str = "",
    peristiwa: Peristiwa | None = None,
) -> Mutasi:
    return Mutasi.objects.create(
        aksi=aksi,
        perubahan=dict(perubahan or {}),
        penduduk=penduduk,
        keluarga=keluarga,
        rumah_tangga=rumah_tangga,
        keterangan=keterangan[:300],
        peristiwa=peristiwa,
        **_petugas(petugas),
    )


# --- NIK ---------------------------------------------------------------------------------------


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


def _kode_desa(kode_desa: str) -> str:
    """The caller's village code, or the village whose schema is active."""
    if kode_desa:
        return kode_desa
    tenant = getattr(connection, "tenant", None)
    kode = getattr(tenant, "kode", "")
    if not kode:
        raise ValueError("a temporary NIK needs kode_desa (no village is active)")
    return str(kode)


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


# --- family heads ---------------------------------------------------------------------------------


def _living_members(keluarga: Keluarga, *, exclude_pk: int | None = None) -> models.QuerySet[Penduduk]:
    qs = Penduduk.objects.filter(keluarga=keluarga, status_dasar=S.HIDUP)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def _kepala_errors(
    keluarga: Keluarga | None, hubungan: int | None, errors: Errors, *, exclude_pk: int | None = None
) -> None:
    """A family has exactly one (living) head: a second head is refused, and so is a member without one."""
    if keluarga is None or hubungan is None:
        return
    kepala = kepala_keluarga_of(keluarga=keluarga, exclude_pk=exclude_pk)
    if hubungan == H.KEPALA_KELUARGA:
        if kepala is not None and kepala.status_dasar == S.HIDUP:
            _add(
                errors,
                "hubungan",
                f"Keluarga No. KK {keluarga.no_kk} sudah punya kepala keluarga ({kepala.nama}). "
                "Pilih hubungan lain, atau ganti kepala keluarga lebih dulu.",
            )
    elif kepala is None or kepala.status_dasar != S.HIDUP:
        _add(
            errors,
            "hubungan",
            f"Keluarga No. KK {keluarga.no_kk} tidak punya kepala keluarga yang masih tercatat di desa. "
            "Masukkan penduduk ini sebagai Kepala Keluarga, atau tetapkan kepala keluarga lebih dulu.",
        )


def _hubungan_bekas_kepala(bekas: Penduduk, hubungan_kepala_baru: int | None) -> int:
    """The former head's relationship to the new head, inferred from the new head's relationship to them."""
    if hubungan_kepala_baru in (H.SUAMI, H.ISTRI):
        return H.SUAMI if bekas.jenis_kelamin == ref.JenisKelamin.LAKI_LAKI else H.ISTRI
    bekas_dari: dict[int, int] = {
        H.ANAK: H.ORANGTUA,
        H.MENANTU: H.MERTUA,
        H.ORANGTUA: H.ANAK,
        H.MERTUA: H.MENANTU,
        H.CUCU: H.FAMILI_LAIN,
        H.FAMILI_LAIN: H.FAMILI_LAIN,
    }
    return bekas_dari.get(hubungan_kepala_baru or 0, H.LAINNYA)


def _set_hubungan(
    penduduk: Penduduk,
    hubungan: int,
    *,
    aksi: str,
    keterangan: str,
    petugas: User | None,
    peristiwa: Peristiwa | None = None,
) -> None:
    before = snapshot(penduduk)
    penduduk.hubungan = hubungan
    penduduk.save(update_fields=["hubungan", "updated_at"])
    _mutasi(
        aksi=aksi,
        penduduk=penduduk,
        perubahan=perubahan(before, snapshot(penduduk)),
        keterangan=keterangan,
        peristiwa=peristiwa,
        petugas=petugas,
    )


def _demote_gone_head(keluarga: Keluarga, *, hubungan_kepala_baru: int | None, petugas: User | None) -> None:
    """A head who died or left stays on the card; before a new head arrives they get another relationship."""
    gone = kepala_keluarga_of(keluarga=keluarga)
    if gone is not None and gone.status_dasar != S.HIDUP:
        _set_hubungan(
            gone,
            _hubungan_bekas_kepala(gone, hubungan_kepala_baru),
            aksi=Mutasi.Aksi.GANTI_KEPALA,
            keterangan=f"Bukan lagi kepala keluarga No. KK {keluarga.no_kk} (sudah {gone.get_status_dasar_display()}).",
            petugas=petugas,
        )


def _ganti_kepala(
    *,
    keluarga: Keluarga,
    lama: Penduduk | None,
    baru: Penduduk,
    hubungan_lama: int,
    keterangan: str,
    petugas: User | None,
    peristiwa: Peristiwa | None = None,
) -> None:
    """Old head first (the database allows one head per card), then the new one; one mutasi each."""
    hubungan_baru_sebelumnya = baru.hubungan
    if lama is not None:
        _set_hubungan(
            lama,
            hubungan_lama,
            aksi=Mutasi.Aksi.GANTI_KEPALA,
            keterangan=keterangan,
            petugas=petugas,
            peristiwa=peristiwa,
        )
    _set_hubungan(
        baru,
        H.KEPALA_KELUARGA,
        aksi=Mutasi.Aksi.GANTI_KEPALA,
        keterangan=keterangan,
        petugas=petugas,
        peristiwa=peristiwa,
    )
    _mutasi(
        aksi=Mutasi.Aksi.GANTI_KEPALA,
        keluarga=keluarga,
        perubahan={"kepala": [lama.pk if lama else None, baru.pk]},
        keterangan=keterangan,
        peristiwa=peristiwa,
        petugas=petugas,
    )
    events.keluarga_event(
        events.KELUARGA_BERUBAH,
        keluarga,
        aksi="ganti_kepala",
        kepala_lama_id=lama.pk if lama else None,
        kepala_baru_id=baru.pk,
        hubungan_kepala_baru_sebelumnya=hubungan_baru_sebelumnya,
    )


# --- penduduk -------------------------------------------------------------------------------------


def _integrity_error(instance: models.Model) -> ValidationError:
    if isinstance(instance, Keluarga):
        return ValidationError({"no_kk": [f"No. KK {instance.no_kk} sudah terdaftar. Periksa kembali No. KK."]})
    if isinstance(instance, RumahTangga):
        return ValidationError({"no_rtm": [f"Nomor rumah tangga {instance.no_rtm} sudah terdaftar."]})
    assert isinstance(instance, Penduduk)
    holder = penduduk_holding_nik(nik=instance.nik, exclude_pk=instance.pk)
    if holder is not None:
        return ValidationError({"nik": [_duplicate_nik_message(instance.nik, holder)]})
    return ValidationError(
        {"hubungan": ["Keluarga ini sudah punya kepala keluarga. Pilih hubungan lain, atau ganti kepala keluarga."]}
    )


def _save_new(instance: models.Model) -> None:
    """Insert inside a savepoint: a concurrent duplicate becomes a ValidationError, not a broken transaction."""
    try:
        with transaction.atomic():
            instance.save(force_insert=True)
    except IntegrityError as exc:
        raise _integrity_error(instance) from exc


def _save_changed(instance: models.Model, fields: Sequence[str]) -> None:
    try:
        with transaction.atomic():
            instance.save(update_fields=[*fields, "updated_at"])
    except IntegrityError as exc:
        raise _integrity_error(instance) from exc


def _penduduk_insert(  # noqa: PLR0912  # the SIAK record is wide: one flat list of checks
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
    rt: Rt | None = None,
    petugas: User | None = None,
    errors: Errors | None = None,
    **fields: Any,
) -> Penduduk:
    """Validates and inserts a resident, no trace (the callers write mutasi and events)."""
    unknown = (
        set(fields)
        - EXTRA_FIELDS
        - {
            "tempat_lahir",
            "pendidikan_sedang",
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
    if unknown:
        raise TypeError(f"penduduk_create got unknown fields {sorted(unknown)}")
    errors = errors if errors is not None else {}
    nik = normalize_number(nik.strip())
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
    else:
        kode_desa = _kode_desa(kode_desa)
    if jenis_kelamin is None:
        _add(errors, "jenis_kelamin", "Jenis kelamin wajib diisi untuk penduduk dengan NIK sementara.")
    if tanggal_lahir is None:
        _add(errors, "tanggal_lahir", "Tanggal lahir wajib diisi untuk penduduk dengan NIK sementara.")
    elif tanggal_lahir > _today():
        _add(errors, "tanggal_lahir", "Tanggal lahir tidak boleh di masa depan. Periksa kembali tanggal lahir.")
    if keluarga is not None and keluarga.pk is not None:  # a card created in this same call has no head yet
        _kepala_errors(keluarga, hubungan, errors)
    if rt is None and keluarga is not None:
        rt = keluarga.rt

    penduduk = Penduduk(  # type: ignore[misc]  # sex/birth date None are field errors above, never saved
        nik=nik or "0" * 16,  # placeholder until a temporary NIK is allocated below
        nik_sementara=check.nik_sementara if check else True,
        nama=nama.strip(),
        keluarga=keluarga,
        hubungan=hubungan,
        jenis_kelamin=jenis_kelamin,
        tanggal_lahir=tanggal_lahir,
        agama=agama,
        pendidikan_kk=pendidikan_kk,
        pekerjaan=pekerjaan,
        status_kawin=status_kawin,
        rt=rt,
        **fields,
    )
    _model_errors(penduduk, errors, exclude=["nik", "keluarga", "rt", "rumah_tangga"])
    if errors:
        raise ValidationError(errors)
    if not nik:
        penduduk.nik = nik_sementara_allocate(kode_desa=kode_desa)
    if keluarga is not None and hubungan == H.KEPALA_KELUARGA:
        _demote_gone_head(keluarga, hubungan_kepala_baru=None, petugas=petugas)
    _save_new(penduduk)
    return penduduk


def _penduduk_created_events(penduduk: Penduduk, **extra: int | str | bool | None) -> None:
    events.penduduk_event(events.PENDUDUK_DIBUAT, penduduk, **extra)


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
    rt: Rt | None = None,
    petugas: User | None = None,
    **fields: Any,
) -> Penduduk:
    """Adds a resident to the village register (any other Penduduk field may be passed by name).

    With a real NIK, sex and birth date may be left out: they are taken from the NIK; when given they
    must agree with it. Without a NIK, the next temporary NIK of the village `kode_desa` (default: the
    active village) is allocated; then sex and birth date are required. The NIK must be unique in the
    village; the error names the resident who holds it. In a family, a second head (or a member of a
    family without a head) is refused; the RT defaults to the family's. Writes mutasi DIBUAT and the
    event penduduk.dibuat. One transaction: on any error nothing is written.
    """
    penduduk = _penduduk_insert(
        nama=nama,
        hubungan=hubungan,
        agama=agama,
        pendidikan_kk=pendidikan_kk,
        pekerjaan=pekerjaan,
        status_kawin=status_kawin,
        nik=nik,
        kode_desa=kode_desa,
        jenis_kelamin=jenis_kelamin,
        tanggal_lahir=tanggal_lahir,
        keluarga=keluarga,
        rt=rt,
        petugas=petugas,
        **fields,
    )
    _mutasi(aksi=Mutasi.Aksi.DIBUAT, penduduk=penduduk, perubahan=_dibuat(penduduk), petugas=petugas)
    if keluarga is not None:
        _mutasi(
            aksi=Mutasi.Aksi.DIUBAH,
            keluarga=keluarga,
            perubahan={"anggota_masuk": [None, penduduk.pk]},
            keterangan=f"{penduduk.nama} ditambahkan sebagai {penduduk.get_hubungan_display()}.",
            petugas=petugas,
        )
    _penduduk_created_events(penduduk)
    return penduduk


def _status_dasar_errors(penduduk: Penduduk, new: int, errors: Errors) -> None:
    # Correcting a record as invalid (or back) is an edit; dying, moving, going missing are peristiwa.
    if S.TIDAK_VALID not in (penduduk.status_dasar, new):
        _add(
            errors,
            "status_dasar",
            "Status dasar berubah lewat peristiwa (mati, pindah keluar, hilang, pergi), bukan lewat ubah data. "
            "Catat peristiwanya; hanya penandaan 'Tidak Valid' yang dapat diubah di sini.",
        )


@transaction.atomic
def penduduk_update(  # noqa: PLR0912, PLR0915  # one flat list of checks
    *, penduduk: Penduduk, data: Mapping[str, Any], petugas: User | None = None
) -> Penduduk:
    """Changes fields of a resident (a PATCH: only the keys in `data`).

    A new NIK is checked like on create and must be unique in the village; sex and birth date that
    are not sent are then taken from the new NIK. Sex or birth date that are sent must agree with
    the NIK. A family keeps exactly one head: making a second head, or demoting the head, is refused
    (use keluarga_kepala_change). The status changes through peristiwa (only "Tidak Valid" here).
    Records whose stored data already disagree with their NIK (imports) can still be edited in other
    fields. Writes one mutasi DIUBAH with {field: [old, new]}, and the events penduduk.diubah and,
    when the job changed, penduduk.pekerjaan_berubah. One transaction: on any error nothing is written.
    """
    unknown = set(data) - UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"penduduk_update cannot change {sorted(unknown)}")
    before = snapshot(penduduk)
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
        if changes.get("nik") == penduduk.nik:
            changes.pop("nik")
            changes.pop("nik_sementara", None)
    if {"nik", "jenis_kelamin", "tanggal_lahir"} & set(changes) and "nik" not in errors:
        check = check_nik(changes.get("nik", penduduk.nik))
        _identity_errors(
            check,
            jenis_kelamin=data.get("jenis_kelamin"),
            tanggal_lahir=data.get("tanggal_lahir"),
            errors=errors,
        )
    if "hubungan" in changes and penduduk.keluarga is not None:
        if penduduk.hubungan == H.KEPALA_KELUARGA:
            _add(
                errors,
                "hubungan",
                f"{penduduk.nama} adalah kepala keluarga No. KK {penduduk.keluarga.no_kk}; keluarga harus tetap "
                "punya satu kepala. Tetapkan kepala keluarga baru lebih dulu (ganti kepala keluarga).",
            )
        else:
            _kepala_errors(penduduk.keluarga, changes["hubungan"], errors, exclude_pk=penduduk.pk)
    if isinstance(changes.get("tanggal_lahir"), dt.date) and changes["tanggal_lahir"] > _today():
        _add(errors, "tanggal_lahir", "Tanggal lahir tidak boleh di masa depan. Periksa kembali tanggal lahir.")
    if "status_dasar" in changes:
        _status_dasar_errors(penduduk, changes["status_dasar"], errors)

    for name, value in changes.items():
        setattr(penduduk, name, value)
    _model_errors(penduduk, errors, exclude=["nik", "keluarga", "rt", "rumah_tangga"])
    if errors:
        penduduk.refresh_from_db()
        raise ValidationError(errors)
    if not changes:
        return penduduk
    if changes.get("hubungan") == H.KEPALA_KELUARGA and penduduk.keluarga is not None:
        _demote_gone_head(penduduk.keluarga, hubungan_kepala_baru=before["hubungan"], petugas=petugas)
    try:
        _save_changed(penduduk, list(changes))
    except ValidationError:
        penduduk.refresh_from_db()
        raise
    diff = perubahan(before, snapshot(penduduk))
    _mutasi(aksi=Mutasi.Aksi.DIUBAH, penduduk=penduduk, perubahan=diff, petugas=petugas)
    events.penduduk_event(events.PENDUDUK_DIUBAH, penduduk, kolom=",".join(sorted(diff)))
    if "pekerjaan" in diff:
        events.penduduk_event(
            events.PENDUDUK_PEKERJAAN_BERUBAH,
            penduduk,
            pekerjaan_lama=diff["pekerjaan"][0],
            pekerjaan_baru=diff["pekerjaan"][1],
        )
    return penduduk


@transaction.atomic
def penduduk_nik_ganti(*, penduduk: Penduduk, nik_baru: str, petugas: User | None = None) -> Penduduk:
    """Replaces a resident's temporary NIK with the real one Dukcapil issued.

    The new NIK must be valid, not temporary, unused in the village, and agree with the recorded sex
    and birth date. Writes mutasi NIK_DIGANTI and the event penduduk.nik_diganti (no NIK in it).
    One transaction: on any error nothing is written.
    """
    errors: Errors = {}
    if not penduduk.nik_sementara:
        _add(
            errors,
            "nik_baru",
            f"{penduduk.nama} sudah memakai NIK {penduduk.nik}, bukan NIK sementara. "
            "Untuk membetulkan NIK yang salah, ubah data penduduk.",
        )
    check = check_nik(nik_baru)
    for message in check.errors:
        _add(errors, "nik_baru", message)
    if check.valid:
        assert check.nik is not None
        if check.nik_sementara:
            _add(errors, "nik_baru", "Isi NIK dari Dukcapil (16 digit, tidak diawali 0), bukan NIK sementara.")
        else:
            holder = penduduk_holding_nik(nik=check.nik, exclude_pk=penduduk.pk)
            if holder is not None:
                _add(errors, "nik_baru", _duplicate_nik_message(check.nik, holder))
            identity: Errors = {}
            _identity_errors(
                check, jenis_kelamin=penduduk.jenis_kelamin, tanggal_lahir=penduduk.tanggal_lahir, errors=identity
            )
            for messages in identity.values():
                for message in messages:
                    _add(errors, "nik_baru", message)
    if errors:
        raise ValidationError(errors)
    assert check.nik is not None
    before = snapshot(penduduk)
    penduduk.nik = check.nik
    penduduk.nik_sementara = False
    _save_changed(penduduk, ["nik", "nik_sementara"])
    _mutasi(
        aksi=Mutasi.Aksi.NIK_DIGANTI,
        penduduk=penduduk,
        perubahan=perubahan(before, snapshot(penduduk)),
        keterangan="NIK sementara diganti dengan NIK Dukcapil.",
        petugas=petugas,
    )
    events.penduduk_event(events.PENDUDUK_NIK_DIGANTI, penduduk)
    return penduduk


# --- keluarga ---------------------------------------------------------------------------------------


def _no_kk_errors(no_kk: str, errors: Errors, *, field: str = "no_kk") -> str:
    number, messages = check_no_kk(no_kk)
    for message in messages:
        _add(errors, field, message)
    if number and not messages:
        other = Keluarga.objects.filter(no_kk=number).first()
        if other is not None:
            kepala = kepala_keluarga_of(keluarga=other)
            holder = f" (kepala keluarga {kepala.nama})" if kepala else ""
            _add(errors, field, f"No. KK {number} sudah terdaftar{holder}. Periksa kembali No. KK.")
    return number or no_kk


def _keluarga_new(*, no_kk: str, alamat: str, rt: Rt | None, errors: Errors, field: str = "no_kk") -> Keluarga:
    """A validated, unsaved family card (errors collected, not raised)."""
    number = _no_kk_errors(no_kk, errors, field=field)
    keluarga = Keluarga(no_kk=number, alamat=alamat.strip(), rt=rt)
    _model_errors(keluarga, errors, exclude=["no_kk", "rt"])
    return keluarga


def _keluarga_save(keluarga: Keluarga, *, petugas: User | None, keterangan: str = "", aksi: str = "") -> None:
    _save_new(keluarga)
    _mutasi(
        aksi=aksi or Mutasi.Aksi.DIBUAT,
        keluarga=keluarga,
        perubahan=_dibuat(keluarga),
        keterangan=keterangan,
        petugas=petugas,
    )


def _masuk_keluarga(
    penduduk: Penduduk,
    keluarga: Keluarga,
    hubungan: int,
    *,
    aksi: str,
    keterangan: str,
    petugas: User | None,
) -> None:
    """Puts a validated resident into a family (RT follows the family's), with a mutasi on the resident."""
    before = snapshot(penduduk)
    penduduk.keluarga = keluarga
    penduduk.hubungan = hubungan
    fields = ["keluarga", "hubungan"]
    if keluarga.rt_id is not None and penduduk.rt_id != keluarga.rt_id:
        penduduk.rt_id = keluarga.rt_id
        fields.append("rt")
    _save_changed(penduduk, fields)
    _mutasi(
        aksi=aksi,
        penduduk=penduduk,
        perubahan=perubahan(before, snapshot(penduduk)),
        keterangan=keterangan,
        petugas=petugas,
    )
    events.penduduk_event(events.PENDUDUK_DIUBAH, penduduk, kolom=",".join(sorted(set(fields))))


def _bukan_anggota_lain(penduduk: Penduduk, errors: Errors, *, field: str) -> None:
    if penduduk.keluarga_id is not None:
        _add(
            errors,
            field,
            f"{penduduk.nama} sudah menjadi anggota keluarga lain. Pindahkan dari keluarga itu (pindah KK), "
            "atau pilih penduduk lain.",
        )


def _masih_hidup(penduduk: Penduduk, errors: Errors, *, field: str) -> None:
    if penduduk.status_dasar != S.HIDUP:
        _add(
            errors,
            field,
            f"{penduduk.nama} berstatus {penduduk.get_status_dasar_display().lower()}, bukan penduduk yang "
            "masih tercatat hidup di desa ini.",
        )


@transaction.atomic
def keluarga_create(
    *,
    no_kk: str,
    kepala: Penduduk | Mapping[str, Any],
    alamat: str = "",
    rt: Rt | None = None,
    kode_desa: str = "",
    petugas: User | None = None,
) -> Keluarga:
    """Creates a family card together with its head, so a family never exists without one.

    `kepala` is either a living resident of this village who is not yet in a family, or the keyword
    arguments of penduduk_create for a new resident (hubungan is set to Kepala Keluarga; errors come
    back under "kepala.<field>"). Without `rt` the family takes the head's RT; with it the head moves
    there. Writes mutasi for the family and the head, and the events keluarga.dibuat and
    penduduk.dibuat / penduduk.diubah. One transaction: on any error nothing is written.
    """
    errors: Errors = {}
    if isinstance(kepala, Penduduk):
        _bukan_anggota_lain(kepala, errors, field="kepala")
        _masih_hidup(kepala, errors, field="kepala")
        if rt is None:
            rt = kepala.rt
    keluarga = _keluarga_new(no_kk=no_kk, alamat=alamat, rt=rt, errors=errors)
    if errors:
        raise ValidationError(errors)
    _keluarga_save(keluarga, petugas=petugas)
    if isinstance(kepala, Penduduk):
        _masuk_keluarga(
            kepala,
            keluarga,
            H.KEPALA_KELUARGA,
            aksi=Mutasi.Aksi.DIUBAH,
            keterangan=f"Menjadi kepala keluarga No. KK {keluarga.no_kk}.",
            petugas=petugas,
        )
        kepala_pk = kepala.pk
    else:
        fields = {**kepala, "keluarga": keluarga, "hubungan": H.KEPALA_KELUARGA}
        fields.setdefault("kode_desa", kode_desa)
        fields.setdefault("rt", rt)
        try:
            baru = _penduduk_insert(**fields, petugas=petugas)
        except ValidationError as exc:
            raise ValidationError({f"kepala.{name}": messages for name, messages in exc.message_dict.items()}) from exc
        _mutasi(aksi=Mutasi.Aksi.DIBUAT, penduduk=baru, perubahan=_dibuat(baru), petugas=petugas)
        _penduduk_created_events(baru)
        kepala_pk = baru.pk
    events.keluarga_event(events.KELUARGA_DIBUAT, keluarga, kepala_id=kepala_pk)
    return keluarga


@transaction.atomic
def keluarga_add_member(
    *, keluarga: Keluarga, penduduk: Penduduk, hubungan: int, petugas: User | None = None
) -> Penduduk:
    """Puts a living resident who is in no family into `keluarga` (RT follows the family's).

    A second head is refused, and so is joining a family without a head. Writes mutasi on the
    resident and the family. One transaction: on any error nothing is written.
    """
    errors: Errors = {}
    _bukan_anggota_lain(penduduk, errors, field="penduduk")
    _masih_hidup(penduduk, errors, field="penduduk")
    if hubungan not in H.values:
        _add(errors, "hubungan", f"Kode hubungan {hubungan} tidak dikenal. Pilih kode dari daftar referensi.")
    else:
        _kepala_errors(keluarga, hubungan, errors)
    if errors:
        raise ValidationError(errors)
    if hubungan == H.KEPALA_KELUARGA:
        _demote_gone_head(keluarga, hubungan_kepala_baru=None, petugas=petugas)
    _masuk_keluarga(
        penduduk,
        keluarga,
        hubungan,
        aksi=Mutasi.Aksi.DIUBAH,
        keterangan=f"Masuk keluarga No. KK {keluarga.no_kk}.",
        petugas=petugas,
    )
    _mutasi(
        aksi=Mutasi.Aksi.DIUBAH,
        keluarga=keluarga,
        perubahan={"anggota_masuk": [None, penduduk.pk]},
        keterangan=f"{penduduk.nama} masuk sebagai {penduduk.get_hubungan_display()}.",
        petugas=petugas,
    )
    events.keluarga_event(events.KELUARGA_BERUBAH, keluarga, aksi="anggota_masuk", penduduk_id=penduduk.pk)
    return penduduk


@transaction.atomic
def keluarga_kepala_change(
    *, keluarga: Keluarga, kepala_baru: Penduduk, hubungan_kepala_lama: int, petugas: User | None = None
) -> Keluarga:
    """Makes a living member the head of `keluarga`; the former head gets `hubungan_kepala_lama`.

    Both rows change in one transaction, so the family has exactly one head before and after; the
    old and new relationships stay in the mutasi of both residents and of the family.
    """
    errors: Errors = {}
    if kepala_baru.keluarga_id != keluarga.pk:
        _add(errors, "kepala_baru", f"{kepala_baru.nama} bukan anggota keluarga No. KK {keluarga.no_kk}.")
    else:
        _masih_hidup(kepala_baru, errors, field="kepala_baru")
        if kepala_baru.hubungan == H.KEPALA_KELUARGA:
            _add(errors, "kepala_baru", f"{kepala_baru.nama} sudah menjadi kepala keluarga No. KK {keluarga.no_kk}.")
    if hubungan_kepala_lama == H.KEPALA_KELUARGA or hubungan_kepala_lama not in H.values:
        _add(errors, "hubungan_kepala_lama", "Pilih hubungan baru kepala keluarga lama selain Kepala Keluarga.")
    if errors:
        raise ValidationError(errors)
    lama = kepala_keluarga_of(keluarga=keluarga, exclude_pk=kepala_baru.pk)
    _ganti_kepala(
        keluarga=keluarga,
        lama=lama,
        baru=kepala_baru,
        hubungan_lama=hubungan_kepala_lama,
        keterangan=f"Kepala keluarga No. KK {keluarga.no_kk} diganti: {kepala_baru.nama}.",
        petugas=petugas,
    )
    return keluarga


@transaction.atomic
def keluarga_pecah(  # noqa: PLR0912  # one flat list of checks
    *,
    keluarga: Keluarga,
    anggota: Sequence[Penduduk],
    kepala: Penduduk,
    no_kk_baru: str,
    alamat: str = "",
    rt: Rt | None = None,
    petugas: User | None = None,
) -> Keluarga:
    """Splits living members off `keluarga` into a new family card headed by `kepala` (one of them).

    Members keep their relationship, except the new head (Kepala Keluarga) and a former head who
    moves along without heading (related to the new head). If the old head leaves while living
    members stay, the old card would have no head: refused (change its head first). Address and RT
    default to the old card's. Writes mutasi PECAH_KK on every member and both cards, and events.
    One transaction: on any error nothing is written.
    """
    errors: Errors = {}
    pks = [p.pk for p in anggota]
    if not pks:
        _add(errors, "anggota", "Pilih minimal satu anggota yang pindah ke KK baru.")
    if len(set(pks)) != len(pks):
        _add(errors, "anggota", "Ada anggota yang dipilih lebih dari sekali.")
    fresh = {p.pk: p for p in Penduduk.objects.filter(pk__in=pks).select_for_update()}
    for pk in pks:
        member = fresh.get(pk)
        if member is None or member.keluarga_id != keluarga.pk:
            nama = member.nama if member else str(pk)
            _add(errors, "anggota", f"{nama} bukan anggota keluarga No. KK {keluarga.no_kk}.")
        elif member.status_dasar != S.HIDUP:
            _masih_hidup(member, errors, field="anggota")
    if kepala.pk not in fresh:
        _add(errors, "kepala", "Kepala keluarga baru harus salah satu anggota yang pindah ke KK baru.")
    kepala_lama = kepala_keluarga_of(keluarga=keluarga)
    if kepala_lama is not None and kepala_lama.pk in fresh:
        tinggal = _living_members(keluarga).exclude(pk__in=pks)
        if tinggal.exists():
            _add(
                errors,
                "anggota",
                f"{kepala_lama.nama} adalah kepala keluarga No. KK {keluarga.no_kk}, dan anggota lain tetap di KK itu: "
                "KK lama akan tanpa kepala. Ganti kepala KK lama lebih dulu, lalu pecah KK.",
            )
    baru = _keluarga_new(
        no_kk=no_kk_baru,
        alamat=alamat or keluarga.alamat,
        rt=rt if rt is not None else keluarga.rt,
        errors=errors,
        field="no_kk_baru",
    )
    if errors:
        raise ValidationError(errors)
    _keluarga_save(
        baru,
        petugas=petugas,
        aksi=Mutasi.Aksi.PECAH_KK,
        keterangan=f"Pecah dari No. KK {keluarga.no_kk}.",
    )
    kepala = fresh[kepala.pk]
    hubungan_kepala_sebelumnya = kepala.hubungan
    ket = f"Pecah KK: dari No. KK {keluarga.no_kk} ke No. KK {baru.no_kk}."
    # Non-heads first: the new card gets its one head last, the old card loses its head only if all leave.
    ordered = sorted(fresh.values(), key=lambda p: p.pk == kepala.pk)
    for member in ordered:
        if member.pk == kepala.pk:
            hubungan = int(H.KEPALA_KELUARGA)
        elif member.hubungan == H.KEPALA_KELUARGA:
            hubungan = _hubungan_bekas_kepala(member, hubungan_kepala_sebelumnya)
        else:
            hubungan = member.hubungan
        _masuk_keluarga(member, baru, hubungan, aksi=Mutasi.Aksi.PECAH_KK, keterangan=ket, petugas=petugas)
    _mutasi(
        aksi=Mutasi.Aksi.PECAH_KK,
        keluarga=keluarga,
        perubahan={"keluarga_baru": [None, baru.pk], "jumlah_anggota_keluar": [None, len(pks)]},
        keterangan=ket,
        petugas=petugas,
    )
    events.keluarga_event(events.KELUARGA_DIBUAT, baru, kepala_id=kepala.pk, asal_keluarga_id=keluarga.pk)
    events.keluarga_event(events.KELUARGA_BERUBAH, keluarga, aksi="pecah", keluarga_baru_id=baru.pk)
    return baru


@transaction.atomic
def penduduk_pindah_kk(
    *, penduduk: Penduduk, keluarga_tujuan: Keluarga, hubungan: int, petugas: User | None = None
) -> Penduduk:
    """Moves a living resident into another family of the village with relationship `hubungan`.

    The head of a family with other living members cannot leave it (change its head first); a second
    head in the target is refused. RT follows the target's. Writes mutasi PINDAH_KK on the resident
    and both families, and events. One transaction: on any error nothing is written.
    """
    errors: Errors = {}
    penduduk = Penduduk.objects.select_for_update(of=("self",)).select_related("keluarga").get(pk=penduduk.pk)
    _masih_hidup(penduduk, errors, field="penduduk")
    asal = penduduk.keluarga
    if asal is not None and asal.pk == keluarga_tujuan.pk:
        _add(errors, "keluarga_tujuan", f"{penduduk.nama} sudah anggota keluarga No. KK {asal.no_kk}.")
    if (
        asal is not None
        and penduduk.hubungan == H.KEPALA_KELUARGA
        and _living_members(asal, exclude_pk=penduduk.pk).exists()
    ):
        _add(
            errors,
            "penduduk",
            f"{penduduk.nama} adalah kepala keluarga No. KK {asal.no_kk} yang masih punya anggota. "
            "Ganti kepala keluarga itu lebih dulu.",
        )
    if hubungan not in H.values:
        _add(errors, "hubungan", f"Kode hubungan {hubungan} tidak dikenal. Pilih kode dari daftar referensi.")
    else:
        _kepala_errors(keluarga_tujuan, hubungan, errors, exclude_pk=penduduk.pk)
    if errors:
        raise ValidationError(errors)
    if hubungan == H.KEPALA_KELUARGA:
        _demote_gone_head(keluarga_tujuan, hubungan_kepala_baru=None, petugas=petugas)
    ket = f"Pindah KK ke No. KK {keluarga_tujuan.no_kk}" + (f" dari No. KK {asal.no_kk}." if asal else ".")
    _masuk_keluarga(penduduk, keluarga_tujuan, hubungan, aksi=Mutasi.Aksi.PINDAH_KK, keterangan=ket, petugas=petugas)
    if asal is not None:
        _mutasi(
            aksi=Mutasi.Aksi.PINDAH_KK,
            keluarga=asal,
            perubahan={"anggota_keluar": [penduduk.pk, None]},
            keterangan=f"{penduduk.nama} pindah ke No. KK {keluarga_tujuan.no_kk}.",
            petugas=petugas,
        )
        events.keluarga_event(events.KELUARGA_BERUBAH, asal, aksi="anggota_keluar", penduduk_id=penduduk.pk)
    _mutasi(
        aksi=Mutasi.Aksi.PINDAH_KK,
        keluarga=keluarga_tujuan,
        perubahan={"anggota_masuk": [None, penduduk.pk]},
        keterangan=f"{penduduk.nama} masuk sebagai {penduduk.get_hubungan_display()}.",
        petugas=petugas,
    )
    events.keluarga_event(events.KELUARGA_BERUBAH, keluarga_tujuan, aksi="anggota_masuk", penduduk_id=penduduk.pk)
    return penduduk


# --- peristiwa --------------------------------------------------------------------------------------------


def _tanggal_errors(
    tanggal_peristiwa: dt.date | None, tanggal_lapor: dt.date | None, errors: Errors, *, lahir: dt.date | None = None
) -> None:
    today = _today()
    if tanggal_peristiwa is None:
        _add(errors, "tanggal_peristiwa", "Tanggal peristiwa wajib diisi.")
    elif tanggal_peristiwa > today:
        _add(errors, "tanggal_peristiwa", "Tanggal peristiwa tidak boleh di masa depan.")
    elif lahir is not None and tanggal_peristiwa < lahir:
        _add(
            errors,
            "tanggal_peristiwa",
            f"Tanggal peristiwa {_tgl(tanggal_peristiwa)} sebelum tanggal lahir penduduk ({_tgl(lahir)}).",
        )
    if tanggal_lapor is None:
        _add(errors, "tanggal_lapor", "Tanggal lapor wajib diisi.")
    elif tanggal_lapor > today:
        _add(errors, "tanggal_lapor", "Tanggal lapor tidak boleh di masa depan.")
    elif tanggal_peristiwa is not None and tanggal_lapor < tanggal_peristiwa:
        _add(
            errors,
            "tanggal_lapor",
            f"Tanggal lapor ({_tgl(tanggal_lapor)}) tidak boleh sebelum tanggal peristiwa ({_tgl(tanggal_peristiwa)}).",
        )


def _peristiwa_new(
    *,
    penduduk: Penduduk,
    jenis: int,
    tanggal_peristiwa: dt.date,
    tanggal_lapor: dt.date,
    status_sebelumnya: int,
    petugas: User | None,
    keterangan: str = "",
    tingkat_pindah: int | None = None,
    alamat_tujuan: str = "",
    alamat_asal: str = "",
) -> Peristiwa:
    return Peristiwa.objects.create(
        penduduk=penduduk,
        jenis=jenis,
        tanggal_peristiwa=tanggal_peristiwa,
        tanggal_lapor=tanggal_lapor,
        tingkat_pindah=tingkat_pindah,
        alamat_tujuan=alamat_tujuan.strip(),
        alamat_asal=alamat_asal.strip(),
        keterangan=keterangan.strip(),
        status_sebelumnya=status_sebelumnya,
        status_sesudahnya=penduduk.status_dasar,
        **_petugas(petugas),
    )


def _peristiwa_events(penduduk: Penduduk, peristiwa: Peristiwa) -> None:
    extra: dict[str, int | str | bool | None] = {
        "peristiwa_id": peristiwa.pk,
        "jenis": peristiwa.jenis,
        "tanggal_peristiwa": peristiwa.tanggal_peristiwa.isoformat(),
        "status_sebelumnya": peristiwa.status_sebelumnya,
        "tingkat_pindah": peristiwa.tingkat_pindah,
    }
    events.penduduk_event(events.PENDUDUK_PERISTIWA, penduduk, **extra)
    events.penduduk_event(events.TOPIC_PERISTIWA[peristiwa.jenis], penduduk, **extra)


def _new_resident_with_peristiwa(
    *,
    fields: dict[str, Any],
    jenis: int,
    tanggal_peristiwa: dt.date,
    tanggal_lapor: dt.date,
    keterangan: str,
    alamat_asal: str,
    petugas: User | None,
) -> Penduduk:
    """Inserted resident + Peristiwa + mutasi (resident and family) + events. Validation done by the caller."""
    penduduk = _penduduk_insert(**fields, petugas=petugas)
    if penduduk.tanggal_lahir > tanggal_peristiwa:
        raise ValidationError(
            {
                "tanggal_peristiwa": [
                    f"Tanggal peristiwa {_tgl(tanggal_peristiwa)} sebelum tanggal lahir "
                    f"({_tgl(penduduk.tanggal_lahir)})."
                ]
            }
        )
    peristiwa = _peristiwa_new(
        penduduk=penduduk,
        jenis=jenis,
        tanggal_peristiwa=tanggal_peristiwa,
        tanggal_lapor=tanggal_lapor,
        status_sebelumnya=S.HIDUP,
        keterangan=keterangan,
        alamat_asal=alamat_asal,
        petugas=petugas,
    )
    label = ref.JenisPeristiwa(jenis).label
    _mutasi(
        aksi=Mutasi.Aksi.PERISTIWA,
        penduduk=penduduk,
        perubahan=_dibuat(penduduk),
        keterangan=f"{label} {_tgl(tanggal_peristiwa)}.",
        peristiwa=peristiwa,
        petugas=petugas,
    )
    if penduduk.keluarga is not None:
        _mutasi(
            aksi=Mutasi.Aksi.PERISTIWA,
            keluarga=penduduk.keluarga,
            perubahan={"anggota_masuk": [None, penduduk.pk]},
            keterangan=f"{label}: {penduduk.nama} ({penduduk.get_hubungan_display()}).",
            peristiwa=peristiwa,
            petugas=petugas,
        )
        events.keluarga_event(
            events.KELUARGA_BERUBAH, penduduk.keluarga, aksi="anggota_masuk", penduduk_id=penduduk.pk, jenis=jenis
        )
    _penduduk_created_events(penduduk, jenis=jenis)
    _peristiwa_events(penduduk, peristiwa)
    return penduduk


@transaction.atomic
def peristiwa_lahir(
    *,
    keluarga: Keluarga,
    data: Mapping[str, Any],
    tanggal_peristiwa: dt.date,
    tanggal_lapor: dt.date,
    keterangan: str = "",
    petugas: User | None = None,
) -> Penduduk:
    """Records a birth: a new living resident in an existing family (as Anak, Cucu, Famili Lain or Lainnya).

    `data` holds penduduk_create fields; the birth date is the event date; hubungan defaults to Anak,
    religion to the head's, and marital status / education / job to those of a newborn. Without a NIK
    a temporary one is allocated. Writes the Peristiwa, mutasi for the baby and the family, and the
    events penduduk.dibuat, penduduk.peristiwa, penduduk.lahir. One transaction: nothing on error.
    """
    errors: Errors = {}
    _tanggal_errors(tanggal_peristiwa, tanggal_lapor, errors)
    fields = dict(data)
    fields.pop("status_dasar", None)
    fields.pop("keluarga", None)
    if fields.get("tanggal_lahir") is None:
        fields["tanggal_lahir"] = tanggal_peristiwa
    elif fields["tanggal_lahir"] != tanggal_peristiwa:
        _add(errors, "tanggal_lahir", "Tanggal lahir harus sama dengan tanggal peristiwa kelahiran.")
    fields.setdefault("hubungan", H.ANAK)
    if fields["hubungan"] not in HUBUNGAN_LAHIR:
        _add(
            errors,
            "hubungan",
            "Bayi yang lahir masuk KK sebagai Anak, Cucu, Famili Lain atau Lainnya; pilih salah satu.",
        )
    kepala = kepala_keluarga_of(keluarga=keluarga)
    if fields.get("agama") is None and kepala is not None:
        fields["agama"] = kepala.agama
    fields.setdefault("status_kawin", ref.StatusKawin.BELUM_KAWIN)
    fields.setdefault("pendidikan_kk", ref.PendidikanKK.TIDAK_BELUM_SEKOLAH)
    fields.setdefault("pendidikan_sedang", ref.PendidikanSedang.BELUM_MASUK_TK_KELOMPOK_BERMAIN)
    fields.setdefault("pekerjaan", ref.Pekerjaan.BELUM_TIDAK_BEKERJA)
    if not fields.get("alamat_sekarang"):
        fields["alamat_sekarang"] = keluarga.alamat
    fields["keluarga"] = keluarga
    fields["status_dasar"] = S.HIDUP
    fields["errors"] = errors
    return _new_resident_with_peristiwa(
        fields=fields,
        jenis=J.LAHIR,
        tanggal_peristiwa=tanggal_peristiwa,
        tanggal_lapor=tanggal_lapor,
        keterangan=keterangan,
        alamat_asal="",
        petugas=petugas,
    )


@transaction.atomic
def peristiwa_datang(
    *,
    data: Mapping[str, Any],
    keluarga: Keluarga | None = None,
    no_kk_baru: str = "",
    alamat_asal: str = "",
    tanggal_peristiwa: dt.date,
    tanggal_lapor: dt.date,
    keterangan: str = "",
    petugas: User | None = None,
) -> Penduduk:
    """Records a resident moving in: into an existing family (`keluarga`, with data["hubungan"]) or as the
    head of a new family card (`no_kk_baru`; address and RT from data["alamat_sekarang"] / data["rt"]).

    The origin address is kept on the Peristiwa and as the resident's alamat_sebelumnya. Writes the
    Peristiwa, mutasi (resident, family), and events. One transaction: on any error nothing is written.
    """
    errors: Errors = {}
    _tanggal_errors(tanggal_peristiwa, tanggal_lapor, errors)
    fields = dict(data)
    fields.pop("status_dasar", None)
    fields.pop("keluarga", None)
    if (keluarga is None) == (not no_kk_baru.strip()):
        _add(errors, "keluarga", "Pilih salah satu: keluarga yang sudah ada, atau No. KK baru.")
    if alamat_asal.strip():
        fields.setdefault("alamat_sebelumnya", alamat_asal.strip())
    baru: Keluarga | None = None
    if keluarga is None and no_kk_baru.strip():
        fields["hubungan"] = H.KEPALA_KELUARGA
        baru = _keluarga_new(
            no_kk=no_kk_baru,
            alamat=str(fields.get("alamat_sekarang") or ""),
            rt=fields.get("rt"),
            errors=errors,
            field="no_kk_baru",
        )
    elif fields.get("hubungan") is None:
        _add(errors, "hubungan", "Hubungan dalam keluarga wajib diisi.")
    if baru is not None and not errors:
        _keluarga_save(baru, petugas=petugas, keterangan="KK pendatang.")
        events.keluarga_event(events.KELUARGA_DIBUAT, baru, jenis=J.DATANG)
    fields["keluarga"] = keluarga or baru
    fields["status_dasar"] = S.HIDUP
    fields["errors"] = errors
    penduduk = _new_resident_with_peristiwa(
        fields=fields,
        jenis=J.DATANG,
        tanggal_peristiwa=tanggal_peristiwa,
        tanggal_lapor=tanggal_lapor,
        keterangan=keterangan,
        alamat_asal=alamat_asal,
        petugas=petugas,
    )
    return penduduk


def _transition_errors(penduduk: Penduduk, jenis: int, errors: Errors) -> None:
    """Impossible transitions (a dead resident cannot move, the same event twice, ...) in plain Indonesian."""
    target = STATUS_SESUDAH[jenis]
    current = penduduk.status_dasar
    if current in STATUS_ASAL[jenis]:
        return
    last = Peristiwa.objects.filter(penduduk=penduduk).order_by("-tanggal_peristiwa", "-id").first()
    pada = f" pada {_tgl(last.tanggal_peristiwa)}" if last else ""
    nama = penduduk.nama
    kegiatan = ref.JenisPeristiwa(jenis).label.lower()
    if current == target:
        message = (
            f"{nama} sudah tercatat {penduduk.get_status_dasar_display().lower()}{pada}. "
            "Peristiwa yang sama tidak dicatat dua kali."
        )
    elif current == S.MATI:
        message = (
            f"{nama} sudah tercatat meninggal{pada}; penduduk yang sudah meninggal tidak dapat dicatat {kegiatan}."
        )
    elif current == S.PINDAH:
        message = (
            f"{nama} sudah tercatat pindah keluar dari desa ini{pada}; peristiwa {kegiatan} "
            "tidak dapat dicatat lagi di desa ini."
        )
    elif current == S.HILANG:
        message = f"{nama} tercatat hilang{pada}; penduduk yang hilang hanya dapat dicatat meninggal."
    elif current == S.PERGI:
        message = f"{nama} sudah tercatat pergi dari desa ini{pada}; peristiwa {kegiatan} tidak dapat dicatat."
    else:
        message = f"Data {nama} ditandai tidak valid; betulkan datanya lebih dulu sebelum mencatat peristiwa."
    _add(errors, "jenis", message)


@transaction.atomic
def peristiwa_catat(  # noqa: PLR0912  # one flat list of checks
    *,
    penduduk: Penduduk,
    jenis: int,
    tanggal_peristiwa: dt.date,
    tanggal_lapor: dt.date,
    tingkat_pindah: int | None = None,
    alamat_tujuan: str = "",
    keterangan: str = "",
    kepala_baru: Penduduk | None = None,
    petugas: User | None = None,
) -> Peristiwa:
    """Records mati, pindah keluar (with `tingkat_pindah`), hilang or pergi (only for status penduduk
    tidak tetap) for a resident, and sets their status_dasar.

    Refuses impossible transitions (dead cannot move, moved cannot die here, the same event twice).
    When the head of a family dies or leaves and living members remain, `kepala_baru` (a living
    member) is required and becomes head; the former head's new relationship is derived from the new
    head's and kept in mutasi. The resident row is locked, so two operators cannot record it twice.
    Writes the Peristiwa, mutasi (resident, family, household) and events. One transaction.
    """
    errors: Errors = {}
    if jenis not in STATUS_SESUDAH:
        raise ValidationError(
            {"jenis": ["Jenis peristiwa ini dicatat lewat formulir lahir atau datang, bukan di sini."]}
        )
    penduduk = Penduduk.objects.select_for_update(of=("self",)).select_related("keluarga").get(pk=penduduk.pk)
    _tanggal_errors(tanggal_peristiwa, tanggal_lapor, errors, lahir=penduduk.tanggal_lahir)
    _transition_errors(penduduk, jenis, errors)
    if jenis == J.PINDAH_KELUAR:
        if tingkat_pindah is None:
            _add(errors, "tingkat_pindah", "Tujuan pindah (antar desa, kecamatan, kabupaten, provinsi) wajib diisi.")
        elif tingkat_pindah not in ref.TingkatPindah.values:
            _add(errors, "tingkat_pindah", f"Kode tujuan pindah {tingkat_pindah} tidak dikenal.")
    else:
        tingkat_pindah = None
    if jenis == J.PERGI and penduduk.status_penduduk != ref.StatusPenduduk.TIDAK_TETAP:
        _add(
            errors,
            "jenis",
            f"Peristiwa pergi hanya untuk penduduk tidak tetap (sementara); {penduduk.nama} penduduk tetap. "
            "Catat pindah keluar.",
        )
    keluarga = penduduk.keluarga
    tinggal: list[Penduduk] = []
    is_kepala = keluarga is not None and penduduk.hubungan == H.KEPALA_KELUARGA
    if keluarga is not None and is_kepala:
        tinggal = list(_living_members(keluarga, exclude_pk=penduduk.pk))
    if tinggal and kepala_baru is None:
        names = ", ".join(p.nama for p in tinggal[:5])
        _add(
            errors,
            "kepala_baru",
            f"{penduduk.nama} adalah kepala keluarga No. KK {keluarga.no_kk if keluarga else ''} dan masih ada anggota "
            f"yang tercatat ({names}). Pilih kepala keluarga baru dari anggota itu.",
        )
    elif kepala_baru is not None and kepala_baru.pk not in {p.pk for p in tinggal}:
        if not is_kepala:
            _add(errors, "kepala_baru", "Kepala keluarga baru hanya dipilih bila yang dicatat adalah kepala keluarga.")
        else:
            _add(errors, "kepala_baru", f"{kepala_baru.nama} bukan anggota keluarga ini yang masih tercatat hidup.")
    if errors:
        raise ValidationError(errors)

    before = snapshot(penduduk)
    status_sebelumnya = penduduk.status_dasar
    penduduk.status_dasar = STATUS_SESUDAH[jenis]
    _save_changed(penduduk, ["status_dasar"])
    peristiwa = _peristiwa_new(
        penduduk=penduduk,
        jenis=jenis,
        tanggal_peristiwa=tanggal_peristiwa,
        tanggal_lapor=tanggal_lapor,
        status_sebelumnya=status_sebelumnya,
        tingkat_pindah=tingkat_pindah,
        alamat_tujuan=alamat_tujuan,
        keterangan=keterangan,
        petugas=petugas,
    )
    label = peristiwa.get_jenis_display()
    _mutasi(
        aksi=Mutasi.Aksi.PERISTIWA,
        penduduk=penduduk,
        perubahan=perubahan(before, snapshot(penduduk)),
        keterangan=f"{label} {_tgl(tanggal_peristiwa)}.",
        peristiwa=peristiwa,
        petugas=petugas,
    )
    if keluarga is not None:
        _mutasi(
            aksi=Mutasi.Aksi.PERISTIWA,
            keluarga=keluarga,
            perubahan={"status_dasar_anggota": [status_sebelumnya, penduduk.status_dasar]},
            keterangan=f"{label}: {penduduk.nama} ({penduduk.get_hubungan_display()}).",
            peristiwa=peristiwa,
            petugas=petugas,
        )
    if penduduk.rumah_tangga is not None:
        _mutasi(
            aksi=Mutasi.Aksi.PERISTIWA,
            rumah_tangga=penduduk.rumah_tangga,
            perubahan={"status_dasar_anggota": [status_sebelumnya, penduduk.status_dasar]},
            keterangan=f"{label}: {penduduk.nama}.",
            peristiwa=peristiwa,
            petugas=petugas,
        )
    if keluarga is not None and kepala_baru is not None:
        baru = next(p for p in tinggal if p.pk == kepala_baru.pk)
        _ganti_kepala(
            keluarga=keluarga,
            lama=penduduk,
            baru=baru,
            hubungan_lama=_hubungan_bekas_kepala(penduduk, baru.hubungan),
            keterangan=f"{label} kepala keluarga {penduduk.nama}; kepala keluarga baru {baru.nama}.",
            petugas=petugas,
            peristiwa=peristiwa,
        )
    _peristiwa_events(penduduk, peristiwa)
    return peristiwa


# --- rumah tangga --------------------------------------------------------------------------------------------


def _bukan_rumah_tangga_lain(penduduk: Penduduk, errors: Errors, *, field: str) -> None:
    if penduduk.rumah_tangga_id is not None:
        _add(
            errors,
            field,
            f"{penduduk.nama} sudah anggota rumah tangga lain. Keluarkan dari rumah tangga itu lebih dulu.",
        )


def _set_rumah_tangga(
    penduduk: Penduduk,
    rumah_tangga: RumahTangga | None,
    hubungan_rtm: int | None,
    *,
    keterangan: str,
    petugas: User | None,
) -> None:
    before = snapshot(penduduk)
    penduduk.rumah_tangga = rumah_tangga
    penduduk.hubungan_rtm = hubungan_rtm
    _save_changed(penduduk, ["rumah_tangga", "hubungan_rtm"])
    _mutasi(
        aksi=Mutasi.Aksi.DIUBAH,
        penduduk=penduduk,
        perubahan=perubahan(before, snapshot(penduduk)),
        keterangan=keterangan,
        petugas=petugas,
    )
    events.penduduk_event(events.PENDUDUK_DIUBAH, penduduk, kolom="hubungan_rtm,rumah_tangga")


@transaction.atomic
def rumah_tangga_create(
    *, no_rtm: str, kepala: Penduduk, rt: Rt | None = None, petugas: User | None = None
) -> RumahTangga:
    """Creates a household headed by a living resident who is in no household (RT defaults to theirs).

    Writes mutasi on the household and the head, and events. One transaction: nothing on error.
    """
    errors: Errors = {}
    no_rtm = no_rtm.strip()
    if not no_rtm:
        _add(errors, "no_rtm", "Nomor rumah tangga wajib diisi.")
    elif RumahTangga.objects.filter(no_rtm=no_rtm).exists():
        _add(errors, "no_rtm", f"Nomor rumah tangga {no_rtm} sudah terdaftar. Periksa kembali nomornya.")
    _bukan_rumah_tangga_lain(kepala, errors, field="kepala")
    _masih_hidup(kepala, errors, field="kepala")
    rumah_tangga = RumahTangga(no_rtm=no_rtm, rt=rt if rt is not None else kepala.rt)
    _model_errors(rumah_tangga, errors, exclude=["no_rtm", "rt"])
    if errors:
        raise ValidationError(errors)
    _save_new(rumah_tangga)
    _mutasi(aksi=Mutasi.Aksi.DIBUAT, rumah_tangga=rumah_tangga, perubahan=_dibuat(rumah_tangga), petugas=petugas)
    _set_rumah_tangga(
        kepala,
        rumah_tangga,
        ref.HubunganRumahTangga.KEPALA,
        keterangan=f"Menjadi kepala rumah tangga {no_rtm}.",
        petugas=petugas,
    )
    events.rumah_tangga_event(events.RUMAH_TANGGA_BERUBAH, rumah_tangga, aksi="dibuat", penduduk_id=kepala.pk)
    return rumah_tangga


@transaction.atomic
def rumah_tangga_add_member(*, rumah_tangga: RumahTangga, penduduk: Penduduk, petugas: User | None = None) -> Penduduk:
    """Adds a living resident who is in no household as a member (Anggota). Mutasi on both; events."""
    errors: Errors = {}
    _bukan_rumah_tangga_lain(penduduk, errors, field="penduduk")
    _masih_hidup(penduduk, errors, field="penduduk")
    if errors:
        raise ValidationError(errors)
    _set_rumah_tangga(
        penduduk,
        rumah_tangga,
        ref.HubunganRumahTangga.ANGGOTA,
        keterangan=f"Masuk rumah tangga {rumah_tangga.no_rtm}.",
        petugas=petugas,
    )
    _mutasi(
        aksi=Mutasi.Aksi.DIUBAH,
        rumah_tangga=rumah_tangga,
        perubahan={"anggota_masuk": [None, penduduk.pk]},
        keterangan=f"{penduduk.nama} masuk rumah tangga.",
        petugas=petugas,
    )
    events.rumah_tangga_event(events.RUMAH_TANGGA_BERUBAH, rumah_tangga, aksi="anggota_masuk", penduduk_id=penduduk.pk)
    return penduduk


@transaction.atomic
def rumah_tangga_remove_member(*, penduduk: Penduduk, petugas: User | None = None) -> Penduduk:
    """Takes a resident out of their household. The head leaves only as the last living member."""
    errors: Errors = {}
    rumah_tangga = penduduk.rumah_tangga
    if rumah_tangga is None:
        raise ValidationError({"penduduk": [f"{penduduk.nama} bukan anggota rumah tangga mana pun."]})
    if penduduk.hubungan_rtm == ref.HubunganRumahTangga.KEPALA:
        others = rumah_tangga.anggota.exclude(pk=penduduk.pk).filter(status_dasar=S.HIDUP)
        if others.exists():
            _add(
                errors,
                "penduduk",
                f"{penduduk.nama} adalah kepala rumah tangga {rumah_tangga.no_rtm} yang masih punya anggota. "
                "Keluarkan anggota lain lebih dulu.",
            )
    if errors:
        raise ValidationError(errors)
    _set_rumah_tangga(
        penduduk, None, None, keterangan=f"Keluar dari rumah tangga {rumah_tangga.no_rtm}.", petugas=petugas
    )
    _mutasi(
        aksi=Mutasi.Aksi.DIUBAH,
        rumah_tangga=rumah_tangga,
        perubahan={"anggota_keluar": [penduduk.pk, None]},
        keterangan=f"{penduduk.nama} keluar dari rumah tangga.",
        petugas=petugas,
    )
    events.rumah_tangga_event(events.RUMAH_TANGGA_BERUBAH, rumah_tangga, aksi="anggota_keluar", penduduk_id=penduduk.pk)
    return penduduk


# --- wilayah (dusun -> RW -> RT) ----------------------------------------------------------------------------------


def _nomor(value: str, label: str, errors: Errors, *, field: str = "nomor") -> str:
    """'1', '01', 'RT 1' -> '001'; '-' (no RW) stays '-'."""
    text = str(value).strip().upper()
    for prefix in ("RW", "RT", "."):
        text = text.removeprefix(prefix).strip()
    if text == "-":
        return text
    if not text:
        _add(errors, field, f"Nomor {label} wajib diisi (mis. 001), atau '-' bila tidak ada.")
        return text
    if not text.isdigit() or int(text) > 999:  # three digits
        _add(errors, field, f"Nomor {label} hanya angka sampai 3 digit (mis. 001), atau '-'.")
        return text
    return f"{int(text):03d}"


def _dusun_nama(nama: str, errors: Errors, *, exclude_pk: int | None = None) -> str:
    nama = " ".join(nama.split())
    if not nama:
        _add(errors, "nama", "Nama dusun wajib diisi.")
    elif len(nama) > 60:  # model max_length
        _add(errors, "nama", "Nama dusun paling banyak 60 karakter.")
    else:
        qs = Dusun.objects.filter(nama__iexact=nama)
        if exclude_pk is not None:
            qs = qs.exclude(pk=exclude_pk)
        if qs.exists():
            _add(errors, "nama", f"Dusun {nama} sudah ada.")
    return nama


@transaction.atomic
def dusun_create(*, nama: str, petugas: User | None = None) -> Dusun:
    """Adds a dusun (name unique, case-insensitive). Emits wilayah.berubah."""
    errors: Errors = {}
    nama = _dusun_nama(nama, errors)
    if errors:
        raise ValidationError(errors)
    dusun = Dusun.objects.create(nama=nama)
    events.wilayah_event(tingkat="dusun", wilayah_id=dusun.pk, aksi="dibuat")
    return dusun


@transaction.atomic
def dusun_update(*, dusun: Dusun, nama: str, petugas: User | None = None) -> Dusun:
    """Renames a dusun. Residents point at RT rows, so nothing else changes. Emits wilayah.berubah."""
    errors: Errors = {}
    nama = _dusun_nama(nama, errors, exclude_pk=dusun.pk)
    if errors:
        raise ValidationError(errors)
    dusun.nama = nama
    dusun.save(update_fields=["nama"])
    events.wilayah_event(tingkat="dusun", wilayah_id=dusun.pk, aksi="diubah")
    return dusun


@transaction.atomic
def rw_create(*, dusun: Dusun, nomor: str, petugas: User | None = None) -> Rw:
    """Adds an RW to a dusun (number unique within it). Emits wilayah.berubah."""
    errors: Errors = {}
    nomor = _nomor(nomor, "RW", errors)
    if not errors and Rw.objects.filter(dusun=dusun, nomor=nomor).exists():
        _add(errors, "nomor", f"RW {nomor} sudah ada di {dusun.nama}.")
    if errors:
        raise ValidationError(errors)
    rw = Rw.objects.create(dusun=dusun, nomor=nomor)
    events.wilayah_event(tingkat="rw", wilayah_id=rw.pk, aksi="dibuat")
    return rw


@transaction.atomic
def rw_update(*, rw: Rw, nomor: str, petugas: User | None = None) -> Rw:
    """Renumbers an RW (unique within its dusun). Emits wilayah.berubah."""
    errors: Errors = {}
    nomor = _nomor(nomor, "RW", errors)
    if not errors and Rw.objects.filter(dusun_id=rw.dusun_id, nomor=nomor).exclude(pk=rw.pk).exists():
        _add(errors, "nomor", f"RW {nomor} sudah ada di dusun ini.")
    if errors:
        raise ValidationError(errors)
    rw.nomor = nomor
    rw.save(update_fields=["nomor"])
    events.wilayah_event(tingkat="rw", wilayah_id=rw.pk, aksi="diubah")
    return rw


@transaction.atomic
def rt_create(*, rw: Rw, nomor: str, petugas: User | None = None) -> Rt:
    """Adds an RT to an RW (number unique within it). Emits wilayah.berubah."""
    errors: Errors = {}
    nomor = _nomor(nomor, "RT", errors)
    if not errors and Rt.objects.filter(rw=rw, nomor=nomor).exists():
        _add(errors, "nomor", f"RT {nomor} sudah ada di RW {rw.nomor}.")
    if errors:
        raise ValidationError(errors)
    rt = Rt.objects.create(rw=rw, nomor=nomor)
    events.wilayah_event(tingkat="rt", wilayah_id=rt.pk, aksi="dibuat")
    return rt


@transaction.atomic
def rt_update(*, rt: Rt, nomor: str, petugas: User | None = None) -> Rt:
    """Renumbers an RT (unique within its RW). Emits wilayah.berubah."""
    errors: Errors = {}
    nomor = _nomor(nomor, "RT", errors)
    if not errors and Rt.objects.filter(rw_id=rt.rw_id, nomor=nomor).exclude(pk=rt.pk).exists():
        _add(errors, "nomor", f"RT {nomor} sudah ada di RW ini.")
    if errors:
        raise ValidationError(errors)
    rt.nomor = nomor
    rt.save(update_fields=["nomor"])
    events.wilayah_event(tingkat="rt", wilayah_id=rt.pk, aksi="diubah")
    return rt


@transaction.atomic
def wilayah_delete(*, obj: Dusun | Rw | Rt, petugas: User | None = None) -> None:
    """Deletes a dusun, RW or RT that nothing uses; refused (with what uses it) otherwise."""
    if isinstance(obj, Dusun):
        tingkat, n = "dusun", obj.rw_set.count()
        reason = f"Dusun {obj.nama} masih punya {n} RW. Hapus atau pindahkan RW-nya lebih dulu." if n else ""
    elif isinstance(obj, Rw):
        tingkat, n = "rw", obj.rt_set.count()
        reason = f"RW {obj.nomor} masih punya {n} RT. Hapus RT-nya lebih dulu." if n else ""
    else:
        tingkat = "rt"
        penduduk_n = Penduduk.objects.filter(rt=obj).count()
        keluarga_n = Keluarga.objects.filter(rt=obj).count()
        rtm_n = RumahTangga.objects.filter(rt=obj).count()
        reason = (
            f"RT {obj.nomor} masih dipakai oleh {penduduk_n} penduduk, {keluarga_n} keluarga dan {rtm_n} rumah tangga. "
            "Pindahkan mereka ke RT lain lebih dulu."
            if penduduk_n or keluarga_n or rtm_n
            else ""
        )
    if reason:
        raise ValidationError({"wilayah": [reason]})
    pk = obj.pk
    obj.delete()
    events.wilayah_event(tingkat=tingkat, wilayah_id=pk, aksi="dihapus")


def wilayah_rt_ensure(*, dusun: str, rw: str, rt: str) -> Rt | None:
    """The RT at dusun/RW/RT (names and numbers as people write them), created when missing.

    None when all three are blank. A blank dusun is "-", blank RW/RT numbers are "-". Bad numbers
    raise ValidationError under "rw"/"rt". Safe under concurrent imports (get-or-create in savepoints).
    """
    dusun, rw, rt = str(dusun or "").strip(), str(rw or "").strip(), str(rt or "").strip()
    if not (dusun or rw or rt):
        return None
    errors: Errors = {}
    nama = " ".join(dusun.split()) or "-"
    rw_nomor = _nomor(rw or "-", "RW", errors, field="rw")
    rt_nomor = _nomor(rt or "-", "RT", errors, field="rt")
    if len(nama) > 60:  # model max_length
        _add(errors, "dusun", "Nama dusun paling banyak 60 karakter.")
    if errors:
        raise ValidationError(errors)
    found = Rt.objects.filter(nomor=rt_nomor, rw__nomor=rw_nomor, rw__dusun__nama__iexact=nama).first()
    if found is not None:
        return found
    with transaction.atomic():
        dusun_obj = Dusun.objects.filter(nama__iexact=nama).first()
        if dusun_obj is None:
            dusun_obj, created = Dusun.objects.get_or_create(nama=nama)
            if created:
                events.wilayah_event(tingkat="dusun", wilayah_id=dusun_obj.pk, aksi="dibuat")
        rw_obj, created = Rw.objects.get_or_create(dusun=dusun_obj, nomor=rw_nomor)
        if created:
            events.wilayah_event(tingkat="rw", wilayah_id=rw_obj.pk, aksi="dibuat")
        rt_obj, created = Rt.objects.get_or_create(rw=rw_obj, nomor=rt_nomor)
        if created:
            events.wilayah_event(tingkat="rt", wilayah_id=rt_obj.pk, aksi="dibuat")
    return rt_obj


# --- access log -----------------------------------------------------------------------------------------------


def akses_log_catat(*, penduduk: Penduduk, petugas: User | None, jalur: str, alasan: str = "") -> AksesLog:
    """Writes one row to the append-only access log: who read this resident's full record, how, when."""
    if jalur not in ("web", "api"):
        raise ValueError(f"jalur must be 'web' or 'api', got {jalur!r}")
    with audit_write():  # also in a suspended (read-only) village: the read is served, so it is logged
        return AksesLog.objects.create(
            penduduk=penduduk,
            petugas_id=petugas.pk if petugas is not None else None,
            petugas_nama=petugas.get_username() if petugas is not None else "sistem",
            jalur=jalur,
            alasan=alasan[:200],
        )


def akses_log_catat_massal(*, petugas: User | None, jalur: str, alasan: str) -> int:
    """One access-log row for every resident of the village: a bulk read that leaves the system
    (export of the whole register). One INSERT ... SELECT; returns the number of rows written."""
    if jalur not in ("web", "api"):
        raise ValueError(f"jalur must be 'web' or 'api', got {jalur!r}")
    with audit_write(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO penduduk_akseslog (penduduk_id, petugas_id, petugas_nama, jalur, alasan, waktu) "
            "SELECT id, %s, %s, %s, %s, now() FROM penduduk_penduduk",
            [
                petugas.pk if petugas is not None else None,
                petugas.get_username() if petugas is not None else "sistem",
                jalur,
                alasan[:200],
            ],
        )
        return int(cur.rowcount)
