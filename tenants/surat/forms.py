"""Forms of the letter pages: they parse input; every rule lives in tenants.surat.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tenants.penduduk.forms import BalaiForm
from tenants.surat import teks
from tenants.surat.models import Penomoran, TemplatSurat


class CariPendudukForm(BalaiForm):
    q = forms.CharField(
        label="Cari penduduk (NIK atau nama)",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "NIK atau nama", "autofocus": True, "inputmode": "search"}),
    )


class PermohonanForm(BalaiForm):
    """Keperluan plus the template's own extra fields."""

    keperluan = forms.CharField(label="Keperluan", max_length=300, widget=forms.TextInput())
    terbitkan = forms.BooleanField(
        label="Langsung terbitkan (periksa, beri nomor dan tandatangani sekarang)", required=False
    )

    def __init__(self, *args: Any, templat: TemplatSurat, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in templat.isian or []:
            self.fields[f"isian_{field['nama']}"] = forms.CharField(
                label=field["label"], max_length=300, required=bool(field.get("wajib"))
            )
        self.fields["terbitkan"] = self.fields.pop("terbitkan")  # last
        self.templat = templat
        self.style_fields()

    def isian(self) -> dict[str, str]:
        return {
            name.removeprefix("isian_"): value for name, value in self.cleaned_data.items() if name.startswith("isian_")
        }

    def add_service_errors(self, exc: ValidationError, *, aliases: dict[str, str] | None = None) -> None:
        names = {f["nama"]: f"isian_{f['nama']}" for f in self.templat.isian or []}
        super().add_service_errors(exc, aliases={**names, **(aliases or {})})


class BatalForm(BalaiForm):
    alasan = forms.CharField(label="Alasan pembatalan", max_length=300)


class UnggahForm(BalaiForm):
    kode_dokumen = forms.ChoiceField(label="Dokumen")
    berkas = forms.FileField(label="Berkas (JPEG, PNG atau PDF, maks. 5 MB)")

    def __init__(self, *args: Any, templat: TemplatSurat, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kode_dokumen"].choices = [(d["kode"], d["label"]) for d in templat.dokumen or []]  # type: ignore[attr-defined]


def _baris_isian(text: str) -> list[dict[str, Any]]:
    rows = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2:  # nama|label[|wajib]
            raise ValidationError(f"Baris {i}: tulis nama|label|wajib, mis. nama_usaha|Nama usaha|wajib.")
        wajib = len(parts) < 3 or parts[2].lower() in {"wajib", "ya", "y", "1", "true"}
        rows.append({"nama": parts[0], "label": parts[1], "wajib": wajib})
    return rows


def _baris_dokumen(text: str) -> list[dict[str, str]]:
    rows = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 2 or not all(parts):
            raise ValidationError(f"Baris {i}: tulis kode|label, mis. pengantar_rt|Surat pengantar RT/RW.")
        rows.append({"kode": parts[0], "label": parts[1]})
    return rows


class TemplatForm(BalaiForm):
    kode = forms.SlugField(label="Kode", max_length=40, help_text="Huruf kecil dan tanda hubung, mis. ket-usaha.")
    nama = forms.CharField(label="Nama surat", max_length=120)
    kode_klasifikasi = forms.CharField(label="Kode klasifikasi", max_length=20, help_text="Mis. 470.")
    judul = forms.CharField(label="Judul pada surat", max_length=160)
    isi = forms.CharField(
        label="Isi surat",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Pisahkan paragraf dengan baris kosong. Penanda seperti [nama] diisi otomatis.",
    )
    aturan_subjek = forms.MultipleChoiceField(
        label="Aturan subjek",
        required=False,
        choices=[(k, v[0]) for k, v in teks.ATURAN.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    isian = forms.CharField(
        label="Isian tambahan",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Satu per baris: nama|label|wajib (atau |tidak). Nama dipakai sebagai penanda [nama].",
    )
    dokumen = forms.CharField(
        label="Dokumen persyaratan",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Satu per baris: kode|label.",
    )
    masa_berlaku_hari = forms.IntegerField(label="Masa berlaku (hari)", required=False, min_value=1, max_value=3650)
    format_nomor = forms.CharField(
        label="Format nomor",
        max_length=120,
        initial=teks.FORMAT_NOMOR_BAWAAN,
        help_text="Token: [kode_surat] [nomor] [kode_desa] [bulan_romawi] [bulan] [tahun].",
    )
    penomoran = forms.ChoiceField(label="Penomoran", choices=Penomoran.choices)
    aktif = forms.BooleanField(label="Aktif (dapat diajukan)", required=False, initial=True)

    def clean_isian(self) -> list[dict[str, Any]]:
        return _baris_isian(self.cleaned_data.get("isian") or "")

    def clean_dokumen(self) -> list[dict[str, str]]:
        return _baris_dokumen(self.cleaned_data.get("dokumen") or "")

    @staticmethod
    def initial_dari(templat: TemplatSurat) -> dict[str, Any]:
        return {
            "kode": templat.kode,
            "nama": templat.nama,
            "kode_klasifikasi": templat.kode_klasifikasi,
            "judul": templat.judul,
            "isi": templat.isi,
            "aturan_subjek": templat.aturan_subjek,
            "isian": "\n".join(
                f"{f['nama']}|{f['label']}|{'wajib' if f.get('wajib') else 'tidak'}" for f in templat.isian or []
            ),
            "dokumen": "\n".join(f"{d['kode']}|{d['label']}" for d in templat.dokumen or []),
            "masa_berlaku_hari": templat.masa_berlaku_hari,
            "format_nomor": templat.format_nomor,
            "penomoran": templat.penomoran,
            "aktif": templat.aktif,
        }


class PengaturanForm(BalaiForm):
    nama_kepala = forms.CharField(label="Nama penanda tangan", max_length=100, required=False)
    jabatan = forms.CharField(label="Jabatan penanda tangan", max_length=100, required=False)
    alamat_kantor = forms.CharField(label="Alamat kantor desa", max_length=200, required=False)
    kontak = forms.CharField(label="Telepon/surel kantor", max_length=100, required=False)
    ukuran_kertas = forms.ChoiceField(label="Ukuran kertas", choices=[("A4", "A4"), ("F4", "F4 (folio)")])
    logo = forms.FileField(label="Logo (PNG atau JPEG, maks. 5 MB)", required=False)
