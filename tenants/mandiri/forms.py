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

    def untuk_anjungan(self) -> GantiPinForm:
        """On the kiosk the on-screen keypad types into the fields (no system keyboard)."""
        names = list(self.fields)
        for name, nxt in zip(names, [*names[1:], ""], strict=True):
            attrs = self.fields[name].widget.attrs
            attrs.update({"inputmode": "none", "data-keypad-target": ""})
            attrs["class"] += " anjungan-input"
            if nxt:
                attrs["data-next"] = f"#id_{nxt}"
        return self


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


ACCEPT_DOKUMEN = "image/jpeg,image/png,application/pdf"
BATAS_UNGGAH = 5 * 1024 * 1024  # the letters core refuses more (tenants.surat.services.BATAS_UNGGAH)


class PermohonanForm(BalaiForm):
    """A request for one kind of letter: its extra fields, the purpose, and its required documents.

    Built from the template (tenants.surat.selectors.template_layanan); documents are optional here and
    the service decides whether they are required (phone) or may be brought to the counter (kiosk).
    """

    keperluan = forms.CharField(
        label="Keperluan",
        max_length=300,
        help_text="Untuk apa surat ini, mis. melamar pekerjaan, mendaftar sekolah.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, templat: Any, anjungan: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.templat = templat
        isian_fields: dict[str, forms.Field] = {}
        for item in templat.isian or []:
            isian_fields[f"isian_{item['nama']}"] = forms.CharField(
                label=item["label"], max_length=200, required=bool(item.get("wajib"))
            )
        dokumen_fields: dict[str, forms.Field] = {}
        for dok in templat.dokumen or []:
            attrs = {
                "accept": ACCEPT_DOKUMEN,
                "data-max-bytes": str(BATAS_UNGGAH),
                "data-max-message": "Berkas lebih dari 5 MB. Kecilkan foto atau pilih berkas lain.",
            }
            dokumen_fields[f"dokumen_{dok['kode']}"] = forms.FileField(
                label=dok["label"],
                required=False,
                help_text="Foto (JPG/PNG) atau PDF, paling besar 5 MB."
                + (" Boleh juga dibawa ke loket." if anjungan else ""),
                widget=forms.ClearableFileInput(attrs=attrs),
            )
        keperluan = self.fields.pop("keperluan")
        self.fields.update(isian_fields)
        self.fields["keperluan"] = keperluan
        self.fields.update(dokumen_fields)
        self.style_fields()

    def isian_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("isian_")]

    def dokumen_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("dokumen_")]

    def isian(self) -> dict[str, str]:
        return {name.removeprefix("isian_"): v for name, v in self.cleaned_data.items() if name.startswith("isian_")}

    def berkas(self) -> dict[str, Any]:
        return {
            name.removeprefix("dokumen_"): f
            for name, f in self.cleaned_data.items()
            if name.startswith("dokumen_") and f
        }

    def add_service_errors(self, exc: Any, *, aliases: dict[str, str] | None = None) -> None:
        names = {item["nama"]: f"isian_{item['nama']}" for item in self.templat.isian or []}
        super().add_service_errors(exc, aliases={**names, "penduduk_id": "__all__", **(aliases or {})})


class DokumenForm(BalaiForm):
    kode_dokumen = forms.CharField(widget=forms.HiddenInput)
    berkas = forms.FileField(
        label="Berkas",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ACCEPT_DOKUMEN,
                "data-max-bytes": str(BATAS_UNGGAH),
                "data-max-message": "Berkas lebih dari 5 MB. Kecilkan foto atau pilih berkas lain.",
            }
        ),
    )
