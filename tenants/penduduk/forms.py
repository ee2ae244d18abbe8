"""HTML forms of the operator pages. They only parse and check the shape of the input;
every rule of the register lives in the services, whose Indonesian errors land on these fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tenants.penduduk import reference as ref
from tenants.penduduk.models import Dusun, Penduduk, Rt

#: The resident's fields, grouped as the form and the detail page show them.
SECTIONS: list[tuple[str, str, list[str]]] = [
    (
        "identitas",
        "Identitas",
        [
            "nik",
            "nama",
            "jenis_kelamin",
            "tempat_lahir",
            "tanggal_lahir",
            "agama",
            "warganegara",
            "suku",
            "golongan_darah",
            "telepon",
        ],
    ),
    (
        "keluarga",
        "Keluarga",
        [
            "no_kk",
            "hubungan",
            "status_kawin",
            "nama_ayah",
            "nik_ayah",
            "nama_ibu",
            "nik_ibu",
            "akta_perkawinan",
            "tanggal_perkawinan",
            "akta_perceraian",
            "tanggal_perceraian",
        ],
    ),
    ("pendidikan", "Pendidikan & pekerjaan", ["pendidikan_kk", "pendidikan_sedang", "pekerjaan"]),
    (
        "dokumen",
        "Dokumen",
        ["akta_lahir", "ktp_el", "status_rekam", "tag_id_card", "no_paspor", "tanggal_akhir_paspor", "no_kitas"],
    ),
    ("kesehatan", "Kesehatan", ["cacat", "sakit_menahun", "cara_kb", "hamil", "asuransi", "no_asuransi"]),
    ("alamat", "Alamat & wilayah", ["rt", "alamat_sekarang", "alamat_sebelumnya", "status_penduduk"]),
    ("periksa", "Pemeriksaan data", ["perlu_diperiksa", "catatan_periksa"]),
]

MODEL_FIELDS = [
    name
    for _, _, names in SECTIONS
    for name in names
    if name not in {"no_kk", "rt"} and name in {f.name for f in Penduduk._meta.fields}
]

BLANK = "— pilih —"
MSG_REQUIRED = "%(label)s wajib diisi."
MSG_DATE = "Tanggal tidak dikenal. Isi dengan format tanggal-bulan-tahun, mis. 17-08-1990."


def _css_class(widget: forms.Widget) -> str:
    # Radio and checkbox lists subclass Select: test them first.
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "form-check-input"
    if isinstance(widget, forms.HiddenInput):
        return ""
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


class BalaiForm(forms.Form):
    """Bootstrap classes on every widget, Indonesian messages, and service errors mapped onto fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        """Bootstrap classes and Indonesian messages; call again after adding fields (idempotent)."""
        for name, field in self.fields.items():
            css = _css_class(field.widget)
            if css and css not in field.widget.attrs.get("class", "").split():
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()
            field.error_messages["required"] = MSG_REQUIRED % {"label": field.label or name}
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = MSG_DATE
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = "Pilihan tidak dikenal. Pilih salah satu dari daftar."
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = "Isi dengan angka."

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in [field] if field else []:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def add_service_errors(self, exc: ValidationError, *, aliases: dict[str, str] | None = None) -> None:
        """Puts a service's {field: [messages]} onto the matching fields ("kepala.nik" -> "nik")."""
        aliases = aliases or {}
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.add_error(None, message)
            return
        for key, messages in exc.message_dict.items():
            leaf = key.rsplit(".", 1)[-1]
            target: str | None = None
            for candidate in (aliases.get(key), key, aliases.get(leaf), leaf):
                if candidate and candidate in self.fields:
                    target = candidate
                    break
            for message in messages:
                if target is None and key != NON_FIELD_ERRORS:
                    self.add_error(None, message)
                else:
                    self.add_error(target, message)

    def section_fields(self, names: Iterable[str]) -> list[forms.BoundField]:
        return [self[name] for name in names if name in self.fields]


def _date_field(field: forms.Field) -> None:
    field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _model_fields(names: Sequence[str]) -> dict[str, forms.Field]:
    fields = forms.fields_for_model(Penduduk, fields=list(names))
    for field in fields.values():
        if isinstance(field, forms.DateField):
            _date_field(field)
        if isinstance(field, forms.ChoiceField):
            choices = cast("list[tuple[Any, Any]]", field.choices)
            field.choices = [("", BLANK) if value == "" else (value, label) for value, label in choices]
    return fields


def rt_choices(tree: Sequence[Dusun]) -> list[tuple[Any, Any]]:
    """RT choices grouped by "Dusun · RW" for a <select> with optgroups."""
    choices: list[tuple[Any, Any]] = [("", "— belum dipilih —")]
    for dusun in tree:
        for rw in dusun.rw_set.all():
            group = f"{dusun.nama} · RW {rw.nomor}"
            choices.append((group, [(rt.pk, f"RT {rt.nomor} ({dusun.nama}, RW {rw.nomor})") for rt in rw.rt_set.all()]))
    return choices


def wilayah_filter_choices(tree: Sequence[Dusun]) -> list[tuple[str, str]]:
    """One select for the list filter: dusun, RW or RT, indented."""
    choices = [("", "Semua wilayah")]
    for dusun in tree:
        choices.append((f"dusun-{dusun.pk}", dusun.nama))
        for rw in dusun.rw_set.all():
            choices.append((f"rw-{rw.pk}", f"\u00a0\u00a0{dusun.nama} · RW {rw.nomor}"))
            for rt in rw.rt_set.all():
                choices.append((f"rt-{rt.pk}", f"\u00a0\u00a0\u00a0\u00a0RW {rw.nomor} · RT {rt.nomor}"))
    return choices


class RtChoiceField(forms.TypedChoiceField):
    """An RT picked from the territory tree; cleans to the Rt object (or None)."""

    def __init__(self, *, tree: Sequence[Dusun], **kwargs: Any) -> None:
        self._rts = {rt.pk: rt for dusun in tree for rw in dusun.rw_set.all() for rt in rw.rt_set.all()}
        kwargs.setdefault("label", "RT")
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Dusun, RW dan RT diatur di halaman Wilayah.")
        super().__init__(choices=rt_choices(tree), coerce=int, empty_value=None, **kwargs)

    def clean(self, value: Any) -> Rt | None:
        pk = super().clean(value)
        return self._rts.get(pk) if pk is not None else None


# --- residents -------------------------------------------------------------------------


class PendudukForm(BalaiForm):
    """Create (with No. KK) or edit (without: family changes go through the family pages)."""

    def __init__(
        self,
        *args: Any,
        tree: Sequence[Dusun],
        editable: Iterable[str] | None = None,
        create: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        names = [n for n in MODEL_FIELDS if editable is None or n in editable]
        if create:
            names = [n for n in names if n not in {"perlu_diperiksa", "catatan_periksa"}]
        self.fields.update(_model_fields(names))
        if "nik" in self.fields:
            self.fields["nik"].required = False
            self.fields["nik"].help_text = (
                "16 digit. Kosongkan bila belum punya NIK: desa memberi NIK sementara yang bisa diganti nanti."
                if create
                else "16 digit. NIK sementara diganti lewat tombol \u201cGanti NIK sementara\u201d."
            )
        for name in ("jenis_kelamin", "tanggal_lahir"):
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text = "Boleh dikosongkan bila NIK diisi: diambil dari NIK."
        if create:
            self.fields["no_kk"] = forms.CharField(
                label="No. KK",
                required=False,
                max_length=20,
                help_text="No. KK yang sudah terdaftar: penduduk masuk keluarga itu. No. KK baru: keluarga baru "
                "dibuat dengan penduduk ini sebagai kepala keluarga. Kosongkan bila belum ber-KK.",
            )
        if create or editable is None or "rt" in editable:
            self.fields["rt"] = RtChoiceField(tree=tree)
        order = [n for _, _, section in SECTIONS for n in section]
        self.order_fields(order)
        self.style_fields()

    def sections(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        out = []
        for key, title, names in SECTIONS:
            bound = self.section_fields(names)
            if bound:
                out.append((key, title, bound))
        return out

    def clean_tanggal_lahir(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("tanggal_lahir")
        if value and value > timezone.localdate():
            raise ValidationError("Tanggal lahir tidak boleh di masa depan. Periksa kembali tanggal lahir.")
        return value

    def model_data(self) -> dict[str, Any]:
        """Cleaned values of the resident's own fields (no No. KK), blanks as the model stores them."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "no_kk"}
        if data.get("nik") is None and "nik" in data:
            data["nik"] = ""
        return data


class PendudukFilterForm(BalaiForm):
    q = forms.CharField(label="Cari", required=False, max_length=100)
    wilayah = forms.ChoiceField(label="Wilayah", required=False)
    jenis_kelamin = forms.TypedChoiceField(
        label="Jenis kelamin",
        choices=[("", "Semua"), *ref.JenisKelamin.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    umur_min = forms.IntegerField(label="Umur dari", required=False, min_value=0, max_value=150)
    umur_max = forms.IntegerField(label="sampai", required=False, min_value=0, max_value=150)
    status_dasar = forms.TypedChoiceField(
        label="Status",
        choices=[("", "Semua"), *ref.StatusDasar.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    pendidikan_kk = forms.TypedChoiceField(
        label="Pendidikan",
        choices=[("", "Semua"), *ref.PendidikanKK.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    pekerjaan = forms.TypedChoiceField(
        label="Pekerjaan",
        choices=[("", "Semua"), *ref.Pekerjaan.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    agama = forms.TypedChoiceField(
        label="Agama", choices=[("", "Semua"), *ref.Agama.choices], coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, tree: Sequence[Dusun], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["wilayah"]).choices = wilayah_filter_choices(tree)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": "Cari nama, NIK, atau No. KK", "autocomplete": "off"}
        )
        for name in ("umur_min", "umur_max"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def selector_kwargs(self) -> dict[str, Any]:
        """penduduk_list() arguments from the valid filters (an invalid one is ignored, the rest apply)."""
        self.is_valid()
        data = dict(getattr(self, "cleaned_data", {}))
        kwargs = {k: v for k, v in data.items() if k not in {"wilayah"} and v not in (None, "")}
        wilayah = data.get("wilayah") or ""
        level, _, pk = wilayah.partition("-")
        if level in {"dusun", "rw", "rt"} and pk.isdigit():
            kwargs[level] = int(pk)
        return kwargs

    SELECTS = ("wilayah", "jenis_kelamin", "status_dasar", "agama", "pendidikan_kk", "pekerjaan")

    def selects(self) -> dict[str, SafeString]:
        """The filter <select>s as HTML, built directly: Django's per-option widget templates cost tens of
        milliseconds for ~200 options, more than the list query itself."""
        out = {}
        for name in self.SELECTS:
            bound = self[name]
            field = cast(forms.ChoiceField, self.fields[name])
            selected = str(bound.value() or "")
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (value, " selected" if str(value) == selected else "", label)
                    for value, label in cast("list[tuple[Any, Any]]", field.choices)
                ),
            )
            out[name] = format_html(
                '<select name="{}" id="{}" class="form-select">{}</select>', bound.html_name, bound.auto_id, options
            )
        return out

    def active_filters(self) -> int:
        kwargs = self.selector_kwargs()
        kwargs.pop("q", None)
        return len(kwargs)


class PeristiwaForm(BalaiForm):
    """Mati, pindah keluar, hilang or pergi of one resident."""

    JENIS = [
        ref.JenisPeristiwa.MATI,
        ref.JenisPeristiwa.PINDAH_KELUAR,
        ref.JenisPeristiwa.HILANG,
        ref.JenisPeristiwa.PERGI,
    ]

    jenis = forms.TypedChoiceField(
        label="Jenis peristiwa", choices=[(j.value, j.label) for j in JENIS], coerce=int, widget=forms.RadioSelect
    )
    tanggal_peristiwa = forms.DateField(label="Tanggal peristiwa")
    tanggal_lapor = forms.DateField(label="Tanggal lapor")
    tingkat_pindah = forms.TypedChoiceField(
        label="Tujuan pindah",
        choices=[("", "— pilih —"), *ref.TingkatPindah.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Hanya untuk pindah keluar.",
    )
    alamat_tujuan = forms.CharField(label="Alamat tujuan", required=False, max_length=200)
    keterangan = forms.CharField(label="Keterangan", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, calon_kepala: Sequence[Penduduk] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _date_field(self.fields["tanggal_peristiwa"])
        _date_field(self.fields["tanggal_lapor"])
        self.style_fields()
        self.calon_kepala = {p.pk: p for p in calon_kepala}
        if calon_kepala:
            self.fields["kepala_baru"] = forms.TypedChoiceField(
                label="Kepala keluarga baru",
                choices=[("", "— pilih —"), *[(p.pk, f"{p.nama} ({p.get_hubungan_display()})") for p in calon_kepala]],
                coerce=int,
                empty_value=None,
                required=False,
                help_text="Penduduk ini kepala keluarga: pilih anggota yang menjadi kepala keluarga baru.",
            )
            self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        peristiwa, lapor = data.get("tanggal_peristiwa"), data.get("tanggal_lapor")
        if peristiwa and lapor and lapor < peristiwa:
            self.add_error("tanggal_lapor", "Tanggal lapor tidak boleh sebelum tanggal peristiwa.")
        if data.get("jenis") == ref.JenisPeristiwa.PINDAH_KELUAR and not data.get("tingkat_pindah"):
            self.add_error("tingkat_pindah", "Pilih tujuan pindah (antar desa, kecamatan, kabupaten, provinsi).")
        return data

    def kepala_baru_terpilih(self) -> Penduduk | None:
        pk = self.cleaned_data.get("kepala_baru")
        return self.calon_kepala.get(pk) if pk else None


class LahirForm(BalaiForm):
    """A baby born into a family: the resident's fields a birth needs, plus the report date."""

    nama = forms.CharField(label="Nama bayi", max_length=100)
    nik = forms.CharField(
        label="NIK", required=False, max_length=20, help_text="Kosongkan bila belum ada: desa memberi NIK sementara."
    )
    jenis_kelamin = forms.TypedChoiceField(
        label="Jenis kelamin", choices=[("", "— pilih —"), *ref.JenisKelamin.choices], coerce=int
    )
    tanggal_lahir = forms.DateField(label="Tanggal lahir")
    tempat_lahir = forms.CharField(label="Tempat lahir", required=False, max_length=100)
    agama = forms.TypedChoiceField(label="Agama", choices=[("", "— pilih —"), *ref.Agama.choices], coerce=int)
    hubungan = forms.TypedChoiceField(
        label="Hubungan dalam keluarga",
        choices=[c for c in ref.Hubungan.choices if c[0] != ref.Hubungan.KEPALA_KELUARGA],
        coerce=int,
        initial=ref.Hubungan.ANAK,
    )
    nama_ayah = forms.CharField(label="Nama ayah", required=False, max_length=100)
    nama_ibu = forms.CharField(label="Nama ibu", required=False, max_length=100)
    akta_lahir = forms.CharField(label="No. akta kelahiran", required=False, max_length=50)
    tanggal_lapor = forms.DateField(label="Tanggal lapor")
    keterangan = forms.CharField(label="Keterangan", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _date_field(self.fields["tanggal_lahir"])
        _date_field(self.fields["tanggal_lapor"])
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lahir, lapor = data.get("tanggal_lahir"), data.get("tanggal_lapor")
        if lahir and lahir > timezone.localdate():
            self.add_error("tanggal_lahir", "Tanggal lahir tidak boleh di masa depan.")
        if lahir and lapor and lapor < lahir:
            self.add_error("tanggal_lapor", "Tanggal lapor tidak boleh sebelum tanggal lahir.")
        return data

    def penduduk_data(self) -> dict[str, Any]:
        keys = ("nama", "nik", "jenis_kelamin", "tanggal_lahir", "tempat_lahir", "agama", "hubungan")
        data = {k: self.cleaned_data[k] for k in keys}
        data.update({k: self.cleaned_data[k] for k in ("nama_ayah", "nama_ibu", "akta_lahir")})
        return data


class DatangForm(PendudukForm):
    """A resident moving in: into a registered KK, or a new KK with them as head."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, create=True, **kwargs)
        self.fields["no_kk"].help_text = (
            "No. KK yang sudah terdaftar di desa ini: penduduk masuk keluarga itu. No. KK lain: keluarga baru "
            "dibuat dengan penduduk ini sebagai kepala keluarga."
        )
        self.fields["no_kk"].required = True
        self.fields["no_kk"].error_messages["required"] = "No. KK wajib diisi: penduduk datang masuk ke sebuah KK."
        self.fields["alamat_asal"] = forms.CharField(label="Alamat asal", max_length=200, required=False)
        self.fields["tanggal_peristiwa"] = forms.DateField(label="Tanggal datang")
        self.fields["tanggal_lapor"] = forms.DateField(label="Tanggal lapor")
        self.fields["keterangan"] = forms.CharField(
            label="Keterangan", required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        _date_field(self.fields["tanggal_peristiwa"])
        _date_field(self.fields["tanggal_lapor"])
        self.style_fields()

    def peristiwa_fields(self) -> list[forms.BoundField]:
        return self.section_fields(["tanggal_peristiwa", "tanggal_lapor", "alamat_asal", "keterangan"])

    def model_data(self) -> dict[str, Any]:
        data = super().model_data()
        for name in ("alamat_asal", "tanggal_peristiwa", "tanggal_lapor", "keterangan"):
            data.pop(name, None)
        return data


class NikGantiForm(BalaiForm):
    nik_baru = forms.CharField(label="NIK baru (Dukcapil)", max_length=20, help_text="16 digit NIK dari KTP-el/KK.")


class PindahKkForm(BalaiForm):
    no_kk = forms.CharField(label="No. KK tujuan", max_length=20, help_text="KK yang sudah terdaftar di desa ini.")
    hubungan = forms.TypedChoiceField(
        label="Hubungan dalam keluarga tujuan",
        choices=[c for c in ref.Hubungan.choices if c[0] != ref.Hubungan.KEPALA_KELUARGA],
        coerce=int,
    )


# --- families ----------------------------------------------------------------------------


def _member_choices(anggota: Sequence[Penduduk]) -> list[tuple[int, str]]:
    return [(p.pk, f"{p.nama} — {p.get_hubungan_display()}") for p in anggota]


class KepalaGantiForm(BalaiForm):
    kepala_baru = forms.TypedChoiceField(label="Kepala keluarga baru", coerce=int)
    hubungan_kepala_lama = forms.TypedChoiceField(
        label="Hubungan kepala keluarga lama",
        choices=[c for c in ref.Hubungan.choices if c[0] != ref.Hubungan.KEPALA_KELUARGA],
        coerce=int,
        help_text="Kepala keluarga lama tetap di KK ini dengan hubungan ini.",
    )

    def __init__(self, *args: Any, anggota: Sequence[Penduduk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_pk = {p.pk: p for p in anggota}
        cast(forms.ChoiceField, self.fields["kepala_baru"]).choices = [("", "— pilih —"), *_member_choices(anggota)]
        self.style_fields()


class PecahKkForm(BalaiForm):
    anggota = forms.TypedMultipleChoiceField(
        label="Anggota yang pindah ke KK baru", coerce=int, widget=forms.CheckboxSelectMultiple
    )
    kepala = forms.TypedChoiceField(label="Kepala keluarga KK baru", coerce=int)
    no_kk_baru = forms.CharField(label="No. KK baru", max_length=20)
    alamat = forms.CharField(label="Alamat KK baru", max_length=200, required=False)

    def __init__(self, *args: Any, anggota: Sequence[Penduduk], tree: Sequence[Dusun], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_pk = {p.pk: p for p in anggota}
        cast(forms.ChoiceField, self.fields["anggota"]).choices = _member_choices(anggota)
        cast(forms.ChoiceField, self.fields["kepala"]).choices = [("", "— pilih —"), *_member_choices(anggota)]
        self.fields["rt"] = RtChoiceField(tree=tree, help_text="Kosongkan bila sama dengan KK asal.")
        self.style_fields()
        self.fields["anggota"].error_messages["required"] = "Pilih minimal satu anggota yang pindah ke KK baru."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kepala") and data.get("anggota") and data["kepala"] not in data["anggota"]:
            self.add_error("kepala", "Kepala keluarga KK baru harus salah satu anggota yang pindah.")
        return data


class AnggotaTambahForm(BalaiForm):
    nik = forms.CharField(
        label="NIK penduduk", max_length=20, help_text="Penduduk desa ini yang belum masuk KK mana pun."
    )
    hubungan = forms.TypedChoiceField(
        label="Hubungan dalam keluarga",
        choices=[c for c in ref.Hubungan.choices if c[0] != ref.Hubungan.KEPALA_KELUARGA],
        coerce=int,
    )


class KeluargaTambahForm(BalaiForm):
    no_kk = forms.CharField(label="No. KK", max_length=20)
    nik_kepala = forms.CharField(
        label="NIK kepala keluarga", max_length=20, help_text="Penduduk desa ini yang belum masuk KK mana pun."
    )
    alamat = forms.CharField(label="Alamat", max_length=200, required=False)

    def __init__(self, *args: Any, tree: Sequence[Dusun], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rt"] = RtChoiceField(tree=tree)
        self.style_fields()


# --- households --------------------------------------------------------------------------


class RumahTanggaTambahForm(BalaiForm):
    no_rtm = forms.CharField(label="Nomor rumah tangga", max_length=30)
    nik_kepala = forms.CharField(label="NIK kepala rumah tangga", max_length=20)

    def __init__(self, *args: Any, tree: Sequence[Dusun], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rt"] = RtChoiceField(tree=tree)
        self.style_fields()


class RumahTanggaAnggotaForm(BalaiForm):
    nik = forms.CharField(label="NIK penduduk", max_length=20)


# --- territory ---------------------------------------------------------------------------


class WilayahForm(BalaiForm):
    """One form for every territory action; `aksi` says which, `target` which dusun/RW/RT."""

    AKSI = [
        ("dusun-tambah", "Tambah dusun"),
        ("dusun-ubah", "Ubah nama dusun"),
        ("rw-tambah", "Tambah RW"),
        ("rt-tambah", "Tambah RT"),
        ("hapus", "Hapus"),
    ]
    aksi = forms.ChoiceField(choices=AKSI, widget=forms.HiddenInput)
    target = forms.CharField(required=False, widget=forms.HiddenInput)
    nama = forms.CharField(label="Nama", max_length=60, required=False)
    nomor = forms.CharField(label="Nomor", max_length=3, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        aksi = data.get("aksi")
        if aksi in {"dusun-tambah", "dusun-ubah"} and not data.get("nama", "").strip():
            self.add_error("nama", "Nama dusun wajib diisi.")
        if aksi in {"rw-tambah", "rt-tambah"} and not data.get("nomor", "").strip():
            self.add_error("nomor", "Nomor wajib diisi, mis. 001.")
        return data
