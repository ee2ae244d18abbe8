"""Writes of layanan mandiri: PINs (issued at the counter, changed and reset by the resident), sign-in.

Enumeration resistance is the rule of this module (trust.md, domain.md "Letters"): for a NIK that is
unknown, has no PIN, or belongs to a resident who died or moved away, sign-in and reset do the same
work as for a real one (one password hash, one UPDATE filtered by the typed NIK) and give the same
answer. Rate limits are keyed on the typed NIK and the client address (tenants.mandiri.throttle).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from platform_core.accounts.models import User
from tenants.mandiri import throttle
from tenants.mandiri.models import PinWarga
from tenants.outbox.services import outbox_emit
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Penduduk
from tenants.surat.models import Permohonan
from tenants.surat.selectors import permohonan_warga, template_layanan
from tenants.surat.services import ajukan_permohonan, lampirkan_dokumen

PIN_PANJANG = 6
GAGAL_MAKS = 10  # consecutive wrong PINs on one credential before the row itself locks
KUNCI = dt.timedelta(minutes=30)
PIN_SEKALI_PAKAI_BERLAKU = dt.timedelta(days=7)  # an unused counter PIN stops working after a week
KODE_RESET_BERLAKU = dt.timedelta(minutes=15)
KODE_RESET_GAGAL_MAKS = 5

PESAN_MASUK_GAGAL = (
    "NIK atau PIN tidak cocok. Periksa lagi. Bila lupa PIN, pakai menu Lupa PIN atau minta PIN baru "
    "di kantor desa dengan membawa KTP."
)
PESAN_KODE_GAGAL = "Kode tidak cocok atau sudah kedaluwarsa. Minta kode baru, atau minta PIN baru di kantor desa."


class WargaTerkunci(Exception):
    """Too many attempts for this NIK or from this address (says nothing about the register)."""


# --- PIN rules -------------------------------------------------------------------------


def pin_periksa(*, pin: str, nik: str, field: str = "pin_baru") -> None:
    """A PIN is 6 digits and not guessable: not one repeated digit, not a run, not the birth date in the NIK."""
    if len(pin) != PIN_PANJANG or not pin.isdigit():
        raise ValidationError({field: f"PIN harus {PIN_PANJANG} angka."})
    runs = "0123456789012345"
    if len(set(pin)) == 1 or pin in runs or pin in runs[::-1]:
        raise ValidationError({field: "PIN ini terlalu mudah ditebak (angka sama atau berurutan). Pilih PIN lain."})
    if len(nik) == 16 and pin in {nik[6:12], _tanggal_lahir_asli(nik)}:
        raise ValidationError({field: "Jangan pakai tanggal lahir sebagai PIN. Pilih PIN lain."})


def _tanggal_lahir_asli(nik: str) -> str:
    """DDMMYY of the birth date (women's NIK carry day + 40)."""
    day = int(nik[6:8]) if nik[6:8].isdigit() else 0
    return f"{day - 40 if day > 40 else day:02d}{nik[8:12]}"


def _pin_acak(nik: str) -> str:
    while True:
        pin = f"{secrets.randbelow(10**PIN_PANJANG):0{PIN_PANJANG}d}"
        try:
            pin_periksa(pin=pin, nik=nik)
        except ValidationError:
            continue
        return pin


def _boleh_layanan(penduduk: Penduduk) -> bool:
    """Self-service is for living residents of the village (not died, moved, missing or left)."""
    return penduduk.status_dasar == ref.StatusDasar.HIDUP


# --- at the counter (operator) ------------------------------------------------------------


@transaction.atomic
def pin_terbitkan(*, penduduk: Penduduk, oleh: User) -> tuple[PinWarga, str]:
    """Issues a one-time PIN for `penduduk` and returns it in clear, once (only its hash is stored).

    Replaces any PIN, clears the lock and any reset code, and ends the resident's sessions and API
    tokens (generation bump). Emits `mandiri.pin_diterbitkan`. Raises ValidationError for a resident
    who is not living in the village.
    """
    if not _boleh_layanan(penduduk):
        raise ValidationError(
            f"Penduduk ini berstatus {penduduk.get_status_dasar_display()}: layanan mandiri hanya untuk "
            "penduduk yang hidup dan tinggal di desa."
        )
    pin = _pin_acak(penduduk.nik)
    now = timezone.now()
    row, created = PinWarga.objects.select_for_update().get_or_create(penduduk=penduduk)
    row.pin_hash = make_password(pin)
    row.sekali_pakai = True
    row.gagal = 0
    row.terkunci_sampai = None
    row.kode_reset_hash = ""
    row.kode_reset_kedaluwarsa = None
    row.kode_reset_gagal = 0
    row.generasi = 1 if created else row.generasi + 1
    row.diterbitkan_oleh_id = oleh.pk
    row.diterbitkan_pada = now
    row.save()
    outbox_emit(topic="mandiri.pin_diterbitkan", payload={"penduduk_id": penduduk.pk})
    throttle.lupakan_nik(throttle.MASUK, nik=penduduk.nik)
    return row, pin


@transaction.atomic
def pin_cabut(*, penduduk: Penduduk, oleh: User) -> None:
    """Removes the resident's PIN (lost phone, asked to stop): sign-in and tokens stop working at once."""
    PinWarga.objects.filter(penduduk=penduduk).update(
        pin_hash="", sekali_pakai=True, kode_reset_hash="", kode_reset_kedaluwarsa=None, generasi=F("generasi") + 1
    )


def _telepon_normal(telepon: str) -> str:
    digits = "".join(ch for ch in telepon if ch.isdigit())
    if telepon.strip().startswith("+"):
        digits = "+" + digits
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


@transaction.atomic
def telepon_atur(*, penduduk: Penduduk, telepon: str, oleh: User) -> PinWarga:
    """Records the phone number the operator checked at the counter (empty removes it).

    It is the only channel a resident can reset their PIN through. Creates the credential row
    (without a PIN) when there is none yet.
    """
    nomor = _telepon_normal(telepon) if telepon.strip() else ""
    if nomor and not (nomor.startswith("08") and 10 <= len(nomor) <= 14):
        raise ValidationError({"telepon": "Nomor HP tidak dikenal. Tulis seperti 081234567890."})
    if nomor and not _boleh_layanan(penduduk):
        raise ValidationError("Layanan mandiri hanya untuk penduduk yang hidup dan tinggal di desa.")
    row, _ = PinWarga.objects.select_for_update().get_or_create(penduduk=penduduk)
    row.telepon_terverifikasi = nomor
    row.save(update_fields=["telepon_terverifikasi"])
    return row


# --- sign-in -----------------------------------------------------------------------------------


def _usable(row: PinWarga | None, now: dt.datetime) -> bool:
    if row is None or not row.pin_hash or not _boleh_layanan(row.penduduk):
        return False
    kedaluwarsa = row.sekali_pakai and row.diterbitkan_pada and now - row.diterbitkan_pada > PIN_SEKALI_PAKAI_BERLAKU
    return not kedaluwarsa


def masuk(*, nik: str, pin: str, addr: str) -> PinWarga | None:
    """Checks NIK + PIN. Returns the credential, or None with no hint why.

    Raises WargaTerkunci when this NIK or this address has failed too often (Redis, before any
    database work). Unknown NIK, no PIN, wrong PIN, locked row, expired one-time PIN, dead or moved
    resident: the same None after the same work (one hash, one UPDATE by the typed NIK).
    """
    if throttle.terkunci(throttle.MASUK, nik=nik, addr=addr):
        raise WargaTerkunci
    now = timezone.now()
    row = PinWarga.objects.select_related("penduduk").filter(penduduk__nik=nik).first()
    if _usable(row, now):
        assert row is not None

        def rehash(raw: str) -> None:
            PinWarga.objects.filter(pk=row.pk).update(pin_hash=make_password(raw))

        cocok = check_password(pin, row.pin_hash, setter=rehash)
    else:
        make_password(pin)  # the same cost as checking a real hash
        cocok = False
    if cocok and row is not None and (row.terkunci_sampai is None or row.terkunci_sampai <= now):
        PinWarga.objects.filter(pk=row.pk).update(gagal=0, terkunci_sampai=None, masuk_terakhir=now)
        throttle.lupakan_nik(throttle.MASUK, nik=nik)
        row.refresh_from_db()
        return row
    PinWarga.objects.filter(penduduk__nik=nik).update(
        gagal=F("gagal") + 1,
        terkunci_sampai=Case(When(gagal__gte=GAGAL_MAKS - 1, then=Value(now + KUNCI)), default=F("terkunci_sampai")),
    )
    throttle.catat(throttle.MASUK, nik=nik, addr=addr)
    return None


@transaction.atomic
def pin_ganti(*, pin_warga: PinWarga, pin_lama: str, pin_baru: str, pin_ulang: str) -> PinWarga:
    """The resident replaces their PIN (compulsory after a one-time PIN). Ends their other sessions and
    tokens (generation bump); the caller starts a fresh session with the returned row."""
    row = PinWarga.objects.select_for_update().select_related("penduduk").get(pk=pin_warga.pk)
    if not check_password(pin_lama, row.pin_hash):
        raise ValidationError({"pin_lama": "PIN lama tidak cocok."})
    if pin_baru != pin_ulang:
        raise ValidationError({"pin_ulang": "Ulangi PIN baru yang sama persis."})
    if pin_baru == pin_lama:
        raise ValidationError({"pin_baru": "PIN baru harus berbeda dari PIN lama."})
    pin_periksa(pin=pin_baru, nik=row.penduduk.nik)
    row.pin_hash = make_password(pin_baru)
    row.sekali_pakai = False
    row.pin_diubah_pada = timezone.now()
    row.generasi += 1
    row.save(update_fields=["pin_hash", "sekali_pakai", "pin_diubah_pada", "generasi"])
    return row


def sesi_cabut(*, pin_warga: PinWarga) -> None:
    """Signs the resident out everywhere (every session and API token)."""
    PinWarga.objects.filter(pk=pin_warga.pk).update(generasi=F("generasi") + 1)


# --- reset through the verified phone ---------------------------------------------------------


def reset_minta(*, nik: str, addr: str) -> None:
    """A resident asks for a reset code. Same answer, same work, whatever the NIK is.

    Raises WargaTerkunci when this NIK/address asked too often. Otherwise always queues one task
    (with the resident's id, or 0 when there is nobody to send to) after the transaction commits; the
    worker makes and sends the code (notify_kode_reset_pin), so the time a gateway takes never shows.
    """
    from tenants.mandiri.tasks import notify_kode_reset_pin

    if throttle.terkunci(throttle.RESET_MINTA, nik=nik, addr=addr):
        raise WargaTerkunci
    throttle.catat(throttle.RESET_MINTA, nik=nik, addr=addr)
    row = PinWarga.objects.select_related("penduduk").filter(penduduk__nik=nik).first()
    target = 0
    if row is not None and row.telepon_terverifikasi and _boleh_layanan(row.penduduk):
        target = row.penduduk_id
    transaction.on_commit(lambda: _antre(notify_kode_reset_pin, target))


def _antre(task: object, penduduk_id: int) -> None:
    try:
        task.delay(penduduk_id)  # type: ignore[attr-defined]  # a Celery task
    except Exception:  # broker down: the resident gets no code (same for every NIK) and can retry
        import logging

        logging.getLogger(__name__).warning("reset code not queued", exc_info=True)


@dataclass(frozen=True)
class KodeReset:
    telepon: str
    kode: str


@transaction.atomic
def reset_kode_buat(*, penduduk_id: int) -> KodeReset | None:
    """Makes a fresh reset code for a resident with a verified phone (worker side); None otherwise.

    Stores only the code's hash with its expiry; a new code replaces the previous one.
    """
    row = PinWarga.objects.select_for_update().select_related("penduduk").filter(penduduk_id=penduduk_id).first()
    if row is None or not row.telepon_terverifikasi or not _boleh_layanan(row.penduduk):
        return None
    kode = f"{secrets.randbelow(10**6):06d}"
    row.kode_reset_hash = make_password(kode)
    row.kode_reset_kedaluwarsa = timezone.now() + KODE_RESET_BERLAKU
    row.kode_reset_gagal = 0
    row.save(update_fields=["kode_reset_hash", "kode_reset_kedaluwarsa", "kode_reset_gagal"])
    return KodeReset(telepon=row.telepon_terverifikasi, kode=kode)


def reset_selesaikan(*, nik: str, kode: str, pin_baru: str, pin_ulang: str, addr: str) -> None:
    """Sets a new PIN with a valid reset code. Raises ValidationError (the same for every failing NIK)
    or WargaTerkunci. On success: the new PIN is the resident's own (not one-time), the lock and the
    code are cleared, every session and token ends."""
    if throttle.terkunci(throttle.RESET_KODE, nik=nik, addr=addr):
        raise WargaTerkunci
    if pin_baru != pin_ulang:
        raise ValidationError({"pin_ulang": "Ulangi PIN baru yang sama persis."})
    pin_periksa(pin=pin_baru, nik=nik)  # depends only on what was typed
    now = timezone.now()
    with transaction.atomic():
        row = PinWarga.objects.select_for_update().select_related("penduduk").filter(penduduk__nik=nik).first()
        usable = (
            row is not None
            and bool(row.kode_reset_hash)
            and row.kode_reset_kedaluwarsa is not None
            and row.kode_reset_kedaluwarsa > now
            and row.kode_reset_gagal < KODE_RESET_GAGAL_MAKS
            and _boleh_layanan(row.penduduk)
        )
        if usable:
            assert row is not None
            cocok = check_password(kode, row.kode_reset_hash)
        else:
            make_password(kode)
            cocok = False
        if cocok and row is not None:
            row.pin_hash = make_password(pin_baru)
            row.sekali_pakai = False
            row.gagal = 0
            row.terkunci_sampai = None
            row.kode_reset_hash = ""
            row.kode_reset_kedaluwarsa = None
            row.kode_reset_gagal = 0
            row.pin_diubah_pada = now
            row.generasi += 1
            row.save()
        else:
            PinWarga.objects.filter(penduduk__nik=nik).update(kode_reset_gagal=F("kode_reset_gagal") + 1)
    if not cocok:
        throttle.catat(throttle.RESET_KODE, nik=nik, addr=addr)
        raise ValidationError({"kode": PESAN_KODE_GAGAL})
    throttle.lupakan_nik(throttle.MASUK, nik=nik)
    throttle.lupakan_nik(throttle.RESET_KODE, nik=nik)


# --- letters requested by the resident (on tenants.surat's contract) ------------------------------


def permohonan_ajukan(
    *,
    penduduk_id: int,
    template_kode: str,
    isian: Mapping[str, str],
    keperluan: str,
    kanal: str,
    berkas: Mapping[str, UploadedFile],
    dokumen_wajib: bool,
) -> Permohonan:
    """A resident's request with its documents, all or nothing.

    `berkas` maps a required document's kode to its upload. With `dokumen_wajib` (phone) every
    required document must come with the request; at the kiosk they may be brought to the counter.
    Any refusal (missing field, subject rule, unsafe or oversized file) raises one ValidationError
    keyed by field (documents as "dokumen_<kode>") and leaves no request behind (one transaction;
    tenants.surat emits its outbox event only when it commits).
    """
    templat = template_layanan().filter(kode=template_kode).first()
    errors: dict[str, list[str]] = {}
    if templat is not None and dokumen_wajib:
        for dok in templat.dokumen or []:
            if dok["kode"] not in berkas:
                errors[f"dokumen_{dok['kode']}"] = [f"{dok['label']} wajib diunggah (foto atau PDF)."]
    with transaction.atomic():
        try:
            permohonan = ajukan_permohonan(
                template_kode=template_kode,
                penduduk_id=penduduk_id,
                isian=isian,
                keperluan=keperluan,
                kanal=kanal,
                oleh_user=None,
            )
        except ValidationError as exc:
            raise ValidationError({**_error_dict(exc), **errors}) from exc
        if errors:
            raise ValidationError(errors)
        for kode, upload in berkas.items():
            try:
                lampirkan_dokumen(permohonan=permohonan, kode_dokumen=kode, berkas=upload)
            except ValidationError as exc:
                errors[f"dokumen_{kode}"] = [m for ms in _error_dict(exc).values() for m in ms]
            except SyntaxError:  # Pillow's answer to some truncated PNGs, not caught by the letters core
                errors[f"dokumen_{kode}"] = ["Gambar rusak atau tidak dapat dibaca."]
        if errors:
            raise ValidationError(errors)
    return permohonan


def dokumen_susulan(*, penduduk_id: int, permohonan_id: int, kode_dokumen: str, berkas: UploadedFile) -> None:
    """A document uploaded later for the resident's own request (replaces an earlier one of that kind)."""
    permohonan = permohonan_warga(penduduk_id).filter(pk=permohonan_id).first()
    if permohonan is None:
        raise ValidationError("Permohonan tidak ditemukan.")
    try:
        lampirkan_dokumen(permohonan=permohonan, kode_dokumen=kode_dokumen, berkas=berkas)
    except SyntaxError as exc:  # see permohonan_ajukan
        raise ValidationError({"berkas": ["Gambar rusak atau tidak dapat dibaca."]}) from exc


def _error_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {key: list(messages) for key, messages in exc.message_dict.items()}
    return {"__all__": list(exc.messages)}
