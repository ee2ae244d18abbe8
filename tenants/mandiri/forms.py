"""Forms of layanan mandiri: shape of the input only; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from tenants.penduduk.forms import BalaiForm
from tenants.penduduk.nik import normalize_number

PIN_ATTRS = {
    "inputmode": "numeric",
    "pattern": "[0-9]*",
    "maxlength": "6",
    "autocomplete": "off",
    "class": "form-control form-control-lg pin-input",
}


class _NikField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        attrs = {"inputmode": "numeric", "autocomplete": "username", "maxlength": "20", "class": "form-control-lg"}
        super().__init__(label="NIK", max_length=24, widget=forms.TextInput(attrs=attrs), **kwargs)

    def clean(self, value: Any) -> str:
        nik = normalize_number(str(super().clean(value) or ""))
        if len(nik) != 16 or not nik.isdigit():
            raise forms.ValidationError("NIK adalah 16 angka, seperti tertulis di KTP atau KK.")
        return nik


def _pin_field(label: str, *, autocomplete: str = "current-password") -> forms.CharField:
    return forms.CharField(
        label=label,
        min_length=6,
        max_length=6,
        strip=True,
        widget=forms.PasswordInput(attrs={**PIN_ATTRS, "autocomplete": autocomplete}),
        error_messages={"min_length": "PIN adalah 6 angka.", "max_length": "PIN adalah 6 angka."},
    )


class MasukForm(BalaiForm):
    nik = _NikField()
    pin = _pin_field("PIN")


class GantiPinForm(BalaiForm):
    pin_lama = _pin_field("PIN lama (dari slip petugas)")
    pin_baru = _pin_field("PIN baru (6 angka)", autocomplete="new-password")
    pin_ulang = _pin_field("Ulangi PIN baru", autocomplete="new-password")


class ResetMintaForm(BalaiForm):
    nik = _NikField()


class ResetSelesaiForm(BalaiForm):
    nik = _NikField()
    kode = forms.CharField(
        label="Kode dari SMS/WhatsApp",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={**PIN_ATTRS, "autocomplete": "one-time-code"}),
        error_messages={"min_length": "Kode adalah 6 angka.", "max_length": "Kode adalah 6 angka."},
    )
    pin_baru = _pin_field("PIN baru (6 angka)", autocomplete="new-password")
    pin_ulang = _pin_field("Ulangi PIN baru", autocomplete="new-password")


class CariPendudukForm(BalaiForm):
    q = forms.CharField(label="NIK atau nama", max_length=100, required=False)


class TeleponForm(BalaiForm):
    telepon = forms.CharField(
        label="Nomor HP terverifikasi",
        max_length=20,
        required=False,
        help_text="Hanya nomor yang sudah dicek di loket (mis. dengan panggilan/SMS uji). Kosongkan untuk menghapus.",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
