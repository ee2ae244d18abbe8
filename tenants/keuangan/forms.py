"""Forms of the finance operator pages: input shape only; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms

from tenants.keuangan import kode as kl


def _rekening_choices() -> list[tuple[str, str]]:
    return [("", "— pilih kode rekening —")] + [(k.kode, f"{k.kode} {k.nama}") for k in kl.obyek_rekening()]


def _kegiatan_choices() -> list[tuple[str, str]]:
    return [("", "— tanpa kegiatan (pendapatan/pembiayaan) —")] + [
        (k.kode, f"{k.kode} {k.nama}") for k in kl.kegiatan_saja()
    ]


def _sumber_choices() -> list[tuple[str, str]]:
    return [(k.kode, f"{k.kode}: {k.nama}") for k in kl.sumber_dana().values()]


class _Bootstrap(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class TahunForm(_Bootstrap):
    tahun = forms.IntegerField(label="Tahun anggaran", min_value=2015, max_value=2100)


class BarisForm(_Bootstrap):
    kode_rekening = forms.ChoiceField(label="Kode rekening (obyek)", choices=_rekening_choices)
    kode_kegiatan = forms.ChoiceField(label="Bidang/sub-bidang/kegiatan", choices=_kegiatan_choices, required=False)
    sumber_dana = forms.ChoiceField(label="Sumber dana", choices=_sumber_choices)
    uraian = forms.CharField(label="Uraian", max_length=250, required=False)
    jumlah = forms.CharField(
        label="Anggaran (Rp)", max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )


class TetapkanForm(_Bootstrap):
    nomor_perdes = forms.CharField(label="Nomor Perdes", max_length=100)
    tanggal_penetapan = forms.DateField(label="Tanggal penetapan", widget=forms.DateInput(attrs={"type": "date"}))


class TransaksiForm(_Bootstrap):
    tanggal = forms.DateField(label="Tanggal", widget=forms.DateInput(attrs={"type": "date"}))
    kode_rekening = forms.ChoiceField(label="Kode rekening (obyek)", choices=_rekening_choices)
    kode_kegiatan = forms.ChoiceField(label="Bidang/sub-bidang/kegiatan", choices=_kegiatan_choices, required=False)
    sumber_dana = forms.ChoiceField(label="Sumber dana", choices=_sumber_choices)
    jumlah = forms.CharField(label="Jumlah (Rp)", max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    uraian = forms.CharField(label="Uraian", max_length=250, required=False)
    no_bukti = forms.CharField(label="Nomor bukti", max_length=60, required=False)


class ImporForm(_Bootstrap):
    tahun = forms.IntegerField(label="Tahun anggaran", min_value=2015, max_value=2100)
    file = forms.FileField(label="File ekspor Siskeudes (.zip)")
