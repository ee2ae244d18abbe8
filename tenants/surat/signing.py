"""Signing a letter: a pluggable signer chosen by ``settings.BALAI_SURAT_PENANDATANGAN`` (dotted path).

The default, :class:`PenandatanganPetugas`, records that the signing officer signed in the app (the paper
is then signed by hand / stamped). A deployment with a BSrE account configures a subclass of
:class:`PenandatanganTTE` that implements :meth:`PenandatanganTTE.kirim`: the letter's PDF goes to the
TTE service with the signer's NIK and passphrase, the signed PDF comes back and is kept as the letter
(docs/surat.md). Tests use :class:`PenandatanganTTEPalsu`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from platform_core.accounts.models import User
    from tenants.surat.models import Permohonan

BAWAAN = "tenants.surat.signing.PenandatanganPetugas"


@dataclass
class HasilTandaTangan:
    metode: str  # "petugas" | "tte"
    nama: str
    jabatan: str
    petugas: str = ""
    referensi: str = ""
    pdf: bytes | None = None  # the signed PDF, when the provider produces one
    extra: dict[str, Any] = field(default_factory=dict)

    def catatan(self) -> dict[str, Any]:
        return {
            "metode": self.metode,
            "nama": self.nama,
            "jabatan": self.jabatan,
            "petugas": self.petugas,
            "referensi": self.referensi,
            "waktu": timezone.now().isoformat(),
            **self.extra,
        }


class Penandatangan:
    """Interface: sign a numbered letter (called inside the transaction of the move to siap diambil)."""

    metode = "petugas"

    def tandatangani(self, *, permohonan: Permohonan, petugas: User | None, passphrase: str = "") -> HasilTandaTangan:
        raise NotImplementedError


class PenandatanganPetugas(Penandatangan):
    """Signed in the app by the officer: records who and when; the printed letter carries the name."""

    metode = "petugas"

    def tandatangani(self, *, permohonan: Permohonan, petugas: User | None, passphrase: str = "") -> HasilTandaTangan:
        ttd = (permohonan.cetak or {}).get("ttd", {})
        return HasilTandaTangan(
            metode=self.metode,
            nama=ttd.get("nama", ""),
            jabatan=ttd.get("jabatan", ""),
            petugas=petugas.get_username() if petugas is not None else "",
        )


class PenandatanganTTE(Penandatangan):
    """BSrE-style electronic signature: subclass and implement `kirim` for a real provider."""

    metode = "tte"

    def nik_penanda_tangan(self) -> str:
        return str(getattr(settings, "BALAI_SURAT_TTE_NIK", ""))

    def kirim(self, *, pdf: bytes, nik: str, passphrase: str) -> tuple[bytes, str]:
        """Send the PDF to the TTE service; return (signed PDF, provider reference)."""
        raise NotImplementedError

    def tandatangani(self, *, permohonan: Permohonan, petugas: User | None, passphrase: str = "") -> HasilTandaTangan:
        from tenants.surat.pdf import render_pdf

        if not passphrase:
            raise ValidationError({"passphrase": ["Passphrase TTE penanda tangan wajib diisi."]})
        pdf = render_pdf(permohonan)
        signed, referensi = self.kirim(pdf=pdf, nik=self.nik_penanda_tangan(), passphrase=passphrase)
        ttd = (permohonan.cetak or {}).get("ttd", {})
        return HasilTandaTangan(
            metode=self.metode,
            nama=ttd.get("nama", ""),
            jabatan=ttd.get("jabatan", ""),
            petugas=petugas.get_username() if petugas is not None else "",
            referensi=referensi,
            pdf=signed,
        )


class PenandatanganTTEPalsu(PenandatanganTTE):
    """For tests and demos: 'signs' by appending a marker; passphrase must be 'rahasia'."""

    def kirim(self, *, pdf: bytes, nik: str, passphrase: str) -> tuple[bytes, str]:
        if passphrase != "rahasia":  # noqa: S105  # the fake provider's fixed passphrase
            raise ValidationError({"passphrase": ["Passphrase TTE salah."]})
        referensi = "PALSU-" + hashlib.sha256(pdf).hexdigest()[:16]
        return pdf + f"\n%TTE-PALSU {referensi}\n".encode(), referensi


def penandatangan() -> Penandatangan:
    cls = import_string(getattr(settings, "BALAI_SURAT_PENANDATANGAN", BAWAAN))
    instance = cls()
    if not isinstance(instance, Penandatangan):
        raise TypeError("BALAI_SURAT_PENANDATANGAN must name a Penandatangan subclass")
    return instance
