"""HTML forms: they parse and check the shape of the input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tenants.pembangunan.models import JenisDokumen, Proyek
from tenants.pembangunan.reference import sumber_dana

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class DesimalField(forms.DecimalField):
    """Accepts the Indonesian decimal comma ("-5,412345") as well as a dot."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)


class BalaiForm(forms.Form):
    """Bootstrap classes on every widget, and a service's ValidationError placed on the fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def add_service_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, errors in exc.message_dict.items():
            self.add_error(field if field in self.fields else None, errors)


class ProyekForm(BalaiForm):
    nama = forms.CharField(label="Nama kegiatan", max_length=200)
    tahun = forms.IntegerField(label="Tahun anggaran", min_value=2015, max_value=2100)
    bidang = forms.CharField(
        label="Kode bidang/sub-bidang/kegiatan", max_length=20, required=False, help_text="mis. 02.03.01"
    )
    lokasi = forms.CharField(label="Lokasi", max_length=200, help_text="Nama jalan/tempat, RT/RW")
    dusun = forms.CharField(label="Dusun", max_length=100, required=False)
    lat = DesimalField(
        label="Lintang (latitude)", max_digits=9, decimal_places=6, required=False, help_text="mis. -5,412345"
    )
    lng = DesimalField(
        label="Bujur (longitude)", max_digits=9, decimal_places=6, required=False, help_text="mis. 105,261234"
    )
    pelaksana = forms.CharField(label="Pelaksana (TPK)", max_length=200)
    volume = DesimalField(label="Volume", max_digits=12, decimal_places=2, required=False)
    satuan = forms.CharField(label="Satuan", max_length=30, required=False, help_text="mis. meter, unit, m²")
    manfaat = forms.CharField(label="Manfaat yang diharapkan", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    mulai_rencana = forms.DateField(label="Rencana mulai", widget=DATE)
    selesai_rencana = forms.DateField(label="Rencana selesai", widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kode, label in sumber_dana().items():
            self.fields[f"dana_{kode}"] = forms.IntegerField(
                label=f"{label} ({kode}), Rp",
                min_value=0,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric", "step": "1"}),
            )

    @classmethod
    def initial_of(cls, proyek: Proyek) -> dict[str, Any]:
        data = {
            f: getattr(proyek, f)
            for f in (
                "nama",
                "tahun",
                "bidang",
                "lokasi",
                "dusun",
                "lat",
                "lng",
                "pelaksana",
                "volume",
                "satuan",
                "manfaat",
                "mulai_rencana",
                "selesai_rencana",
            )
        }
        for kode, nilai in proyek.pendanaan.items():
            data[f"dana_{kode}"] = int(nilai)
        return data

    def dana_fields(self) -> list[Any]:
        return [self[f"dana_{kode}"] for kode in sumber_dana()]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith("dana_")]

    def pendanaan(self) -> dict[str, Any]:
        return {kode: self.cleaned_data.get(f"dana_{kode}") for kode in sumber_dana()}

    def data_proyek(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith("dana_")}

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict") and "pendanaan" in exc.message_dict:
            for message in exc.message_dict["pendanaan"]:
                self.add_error(None, message)
            rest = {k: v for k, v in exc.message_dict.items() if k != "pendanaan"}
            if rest:
                super().add_service_errors(ValidationError(rest))
            return
        super().add_service_errors(exc)


class ProgresForm(BalaiForm):
    tanggal = forms.DateField(label="Tanggal", widget=DATE, initial=timezone.localdate)
    persen = forms.IntegerField(label="Progres (%)", min_value=0, max_value=100)
    keterangan = forms.CharField(label="Keterangan", max_length=500, required=False)
    foto = forms.FileField(
        label="Foto (JPEG/PNG/WebP, maks. 8 MB)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "class": "form-control"}),
    )


class DokumenForm(BalaiForm):
    jenis = forms.ChoiceField(label="Jenis", choices=JenisDokumen.choices)
    judul = forms.CharField(label="Judul", max_length=200)
    tahun = forms.IntegerField(
        label="Tahun anggaran", min_value=2015, max_value=2100, initial=lambda: timezone.localdate().year
    )
    tanggal = forms.DateField(label="Tanggal dokumen", widget=DATE, initial=timezone.localdate)
    berkas = forms.FileField(
        label="Berkas PDF (maks. 15 MB)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf", "class": "form-control"}),
    )


class JawabanForm(BalaiForm):
    jawaban = forms.CharField(label="Jawaban untuk warga", widget=forms.Textarea(attrs={"rows": 5}))
    tampil_publik = forms.BooleanField(
        label="Tampilkan pengaduan dan jawaban di situs publik (tanpa nama dan kontak pengirim)",
        required=False,
        initial=True,
    )


class PengaduanForm(BalaiForm):
    nama = forms.CharField(label="Nama", max_length=100, help_text="Hanya dilihat petugas, tidak ditampilkan di situs.")
    kontak = forms.CharField(
        label="Nomor HP atau email (boleh kosong)",
        max_length=100,
        required=False,
        help_text="Hanya dilihat petugas, untuk menghubungi Anda bila perlu.",
    )
    judul = forms.CharField(label="Judul", max_length=150)
    isi = forms.CharField(
        label="Isi pengaduan / aspirasi",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Jangan menulis NIK, nomor KK atau data pribadi orang lain.",
    )
    # Honeypot: hidden from people (CSS class + aria-hidden); bots fill every field.
    situs = forms.CharField(
        label="Jangan diisi", required=False, widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
    )
