"""REST API of the population register, scoped to the village of the request host.

One APIView per operation (HackSoft): input and output serializers are nested in the view; writes go
through services, reads through selectors. Scoping (village host + operator of that village) is done
by VillageAPIView; a resident of another village is simply not in this schema.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import IntegerChoices
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from platform_core.accounts.models import User
from platform_core.api.base import VillageAPIView
from platform_core.api.errors import service_errors
from tenants.penduduk import reference as ref
from tenants.penduduk.models import AksesLog, Dusun, Keluarga, Mutasi, Penduduk, Peristiwa, Rt, RumahTangga, Rw
from tenants.penduduk.nik import check_nik
from tenants.penduduk.selectors import (
    akses_log_for_penduduk,
    dusun_get,
    keluarga_get,
    keluarga_list,
    mutasi_for_keluarga,
    mutasi_for_penduduk,
    penduduk_get,
    penduduk_list,
    peristiwa_for_penduduk,
    rt_get,
    rumah_tangga_get,
    rumah_tangga_list,
    rw_get,
    wilayah_tree,
)
from tenants.penduduk.services import (
    akses_log_catat,
    dusun_create,
    dusun_update,
    keluarga_add_member,
    keluarga_create,
    keluarga_kepala_change,
    keluarga_pecah,
    penduduk_create,
    penduduk_nik_ganti,
    penduduk_pindah_kk,
    penduduk_update,
    peristiwa_catat,
    peristiwa_datang,
    peristiwa_lahir,
    rt_create,
    rt_update,
    rumah_tangga_add_member,
    rumah_tangga_create,
    rumah_tangga_remove_member,
    rw_create,
    rw_update,
    wilayah_delete,
)

T = TypeVar("T")

TAG_PENDUDUK = "penduduk"
TAG_KELUARGA = "keluarga"
TAG_PERISTIWA = "peristiwa"
TAG_RUMAH_TANGGA = "rumah tangga"
TAG_WILAYAH = "wilayah"
REFERENSI_HINT = "Pilih kode dari /api/penduduk/referensi/."


# --- shared fields ------------------------------------------------------------


class KodeLabelSerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "KodeLabel"

    kode = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, popped from the class by DRF


@extend_schema_field(KodeLabelSerializer)
class KodeField(serializers.Field):  # type: ignore[type-arg]  # read-only, representation only
    """A SIAK code as {"kode": 1, "label": "Islam"}."""

    def __init__(self, table: type[IntegerChoices], **kwargs: Any) -> None:
        self.table = table
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: int) -> dict[str, Any]:
        return {"kode": int(value), "label": self.table(value).label}


def kode_input(table: type[IntegerChoices], label: str, **kwargs: Any) -> serializers.ChoiceField:
    """A SIAK code as input, with an Indonesian message naming the list to pick from."""
    return serializers.ChoiceField(
        choices=table.choices,
        error_messages={
            "invalid_choice": f'Kode {label} "{{input}}" tidak dikenal. {REFERENSI_HINT}',
            "required": f"Kode {label} wajib diisi. {REFERENSI_HINT}",
            "null": f"Kode {label} wajib diisi. {REFERENSI_HINT}",
        },
        **kwargs,
    )


class KeluargaRingkasSerializer(serializers.Serializer[Keluarga]):
    class Meta:
        ref_name = "KeluargaRujukan"

    id = serializers.IntegerField()
    no_kk = serializers.CharField()


class WilayahRingkasSerializer(serializers.Serializer[Rt]):
    """Where a resident, family or household lives: the RT with its RW and dusun."""

    class Meta:
        ref_name = "WilayahRingkas"

    rt_id = serializers.IntegerField(source="id")
    rt = serializers.CharField(source="nomor")
    rw_id = serializers.IntegerField(source="rw.id")
    rw = serializers.CharField(source="rw.nomor")
    dusun_id = serializers.IntegerField(source="rw.dusun.id")
    dusun = serializers.CharField(source="rw.dusun.nama")


class RumahTanggaRujukanSerializer(serializers.Serializer[RumahTangga]):
    class Meta:
        ref_name = "RumahTanggaRujukan"

    id = serializers.IntegerField()
    no_rtm = serializers.CharField()


def _text(max_length: int, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


class PendudukInputFields(serializers.Serializer[Any]):
    """Fields an operator may send for a resident (create and update)."""

    class Meta:
        ref_name = "PendudukInput"

    nik = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="16 digit. Kosongkan untuk memberi NIK sementara desa (0 + kode desa + nomor urut).",
    )
    nama = serializers.CharField(max_length=100)
    hubungan = kode_input(ref.Hubungan, "hubungan dalam keluarga")
    jenis_kelamin = kode_input(
        ref.JenisKelamin, "jenis kelamin", required=False, help_text="Boleh kosong bila NIK asli: diambil dari NIK."
    )
    tempat_lahir = _text(100)
    tanggal_lahir = serializers.DateField(required=False, help_text="Boleh kosong bila NIK asli: diambil dari NIK.")
    agama = kode_input(ref.Agama, "agama")
    pendidikan_kk = kode_input(ref.PendidikanKK, "pendidikan")
    pendidikan_sedang = kode_input(ref.PendidikanSedang, "pendidikan sedang ditempuh", required=False, allow_null=True)
    pekerjaan = kode_input(ref.Pekerjaan, "pekerjaan")
    status_kawin = kode_input(ref.StatusKawin, "status perkawinan")
    warganegara = kode_input(ref.Warganegara, "kewarganegaraan", required=False)
    golongan_darah = kode_input(ref.GolonganDarah, "golongan darah", required=False)
    cacat = kode_input(ref.Cacat, "disabilitas", required=False)
    ktp_el = kode_input(ref.KtpEl, "KTP-el", required=False)
    status_rekam = kode_input(ref.StatusRekam, "status rekam KTP-el", required=False, allow_null=True)
    asuransi = kode_input(ref.Asuransi, "asuransi", required=False)
    status_dasar = kode_input(
        ref.StatusDasar,
        "status dasar",
        required=False,
        help_text="Berubah lewat peristiwa; di sini hanya penandaan Tidak Valid.",
    )
    status_penduduk = kode_input(ref.StatusPenduduk, "status penduduk", required=False)
    nama_ayah = _text(100)
    nama_ibu = _text(100)
    nik_ayah = _text(16)
    nik_ibu = _text(16)
    rt_id = serializers.IntegerField(required=False, allow_null=True, help_text="RT tempat tinggal (id wilayah).")
    alamat_sebelumnya = _text(200)
    alamat_sekarang = _text(200)
    suku = _text(50)
    akta_lahir = _text(50)
    no_paspor = _text(30)
    tanggal_akhir_paspor = serializers.DateField(required=False, allow_null=True)
    no_kitas = _text(30)
    akta_perkawinan = _text(50)
    tanggal_perkawinan = serializers.DateField(required=False, allow_null=True)
    akta_perceraian = _text(50)
    tanggal_perceraian = serializers.DateField(required=False, allow_null=True)
    cara_kb = kode_input(ref.CaraKB, "akseptor KB", required=False, allow_null=True)
    hamil = kode_input(ref.Hamil, "status kehamilan", required=False, allow_null=True)
    sakit_menahun = kode_input(ref.SakitMenahun, "sakit menahun", required=False, allow_null=True)
    no_asuransi = _text(30)
    tag_id_card = _text(30)
    telepon = _text(20)
    perlu_diperiksa = serializers.BooleanField(required=False)
    catatan_periksa = serializers.CharField(required=False, allow_blank=True)


class PendudukOutput(serializers.Serializer[Penduduk]):
    """The full record of a resident (detail, create and update answer with it)."""

    class Meta:
        ref_name = "Penduduk"

    id = serializers.IntegerField()
    nik = serializers.CharField()
    nik_sementara = serializers.BooleanField()
    nama = serializers.CharField()
    keluarga = KeluargaRingkasSerializer(allow_null=True)
    hubungan = KodeField(ref.Hubungan)
    jenis_kelamin = KodeField(ref.JenisKelamin)
    tempat_lahir = serializers.CharField()
    tanggal_lahir = serializers.DateField()
    agama = KodeField(ref.Agama)
    pendidikan_kk = KodeField(ref.PendidikanKK)
    pendidikan_sedang = KodeField(ref.PendidikanSedang, allow_null=True)
    pekerjaan = KodeField(ref.Pekerjaan)
    status_kawin = KodeField(ref.StatusKawin)
    warganegara = KodeField(ref.Warganegara)
    golongan_darah = KodeField(ref.GolonganDarah)
    cacat = KodeField(ref.Cacat)
    ktp_el = KodeField(ref.KtpEl)
    status_rekam = KodeField(ref.StatusRekam, allow_null=True)
    asuransi = KodeField(ref.Asuransi)
    status_dasar = KodeField(ref.StatusDasar)
    status_penduduk = KodeField(ref.StatusPenduduk)
    nama_ayah = serializers.CharField()
    nama_ibu = serializers.CharField()
    nik_ayah = serializers.CharField()
    nik_ibu = serializers.CharField()
    wilayah = WilayahRingkasSerializer(source="rt", allow_null=True)
    rumah_tangga = RumahTanggaRujukanSerializer(allow_null=True)
    hubungan_rtm = KodeField(ref.HubunganRumahTangga, allow_null=True)
    alamat_sebelumnya = serializers.CharField()
    alamat_sekarang = serializers.CharField()
    suku = serializers.CharField()
    akta_lahir = serializers.CharField()
    no_paspor = serializers.CharField()
    tanggal_akhir_paspor = serializers.DateField(allow_null=True)
    no_kitas = serializers.CharField()
    akta_perkawinan = serializers.CharField()
    tanggal_perkawinan = serializers.DateField(allow_null=True)
    akta_perceraian = serializers.CharField()
    tanggal_perceraian = serializers.DateField(allow_null=True)
    cara_kb = KodeField(ref.CaraKB, allow_null=True)
    hamil = KodeField(ref.Hamil, allow_null=True)
    sakit_menahun = KodeField(ref.SakitMenahun, allow_null=True)
    no_asuransi = serializers.CharField()
    tag_id_card = serializers.CharField()
    telepon = serializers.CharField()
    perlu_diperiksa = serializers.BooleanField()
    catatan_periksa = serializers.CharField()
    peringatan = serializers.SerializerMethodField(
        help_text="Hal yang perlu diperiksa tetapi tidak menghalangi penyimpanan (mis. kode kecamatan lama)."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_peringatan(self, obj: Penduduk) -> list[str]:
        return check_nik(obj.nik).warnings


class PeristiwaOutput(serializers.Serializer[Peristiwa]):
    class Meta:
        ref_name = "Peristiwa"

    id = serializers.IntegerField()
    penduduk_id = serializers.IntegerField()
    jenis = KodeField(ref.JenisPeristiwa)
    tanggal_peristiwa = serializers.DateField()
    tanggal_lapor = serializers.DateField()
    tingkat_pindah = KodeField(ref.TingkatPindah, allow_null=True)
    alamat_tujuan = serializers.CharField()
    alamat_asal = serializers.CharField()
    keterangan = serializers.CharField()
    status_sebelumnya = KodeField(ref.StatusDasar)
    status_sesudahnya = KodeField(ref.StatusDasar)
    petugas_nama = serializers.CharField()
    created_at = serializers.DateTimeField()


class MutasiOutput(serializers.Serializer[Mutasi]):
    class Meta:
        ref_name = "Mutasi"

    id = serializers.IntegerField()
    aksi = serializers.CharField()
    aksi_label = serializers.CharField(source="get_aksi_display")
    perubahan = serializers.DictField(
        child=serializers.ListField(), help_text='{"kolom": [nilai lama, nilai baru]}; kode, tanggal ISO, id.'
    )
    keterangan = serializers.CharField()
    penduduk_id = serializers.IntegerField(allow_null=True)
    keluarga_id = serializers.IntegerField(allow_null=True)
    rumah_tangga_id = serializers.IntegerField(allow_null=True)
    peristiwa_id = serializers.IntegerField(allow_null=True)
    petugas_nama = serializers.CharField()
    waktu = serializers.DateTimeField()


def _not_found() -> exceptions.NotFound:
    return exceptions.NotFound()


def _found(obj: T | None) -> T:
    """The object a URL points at, or the same 404 as for another village's object."""
    if obj is None:
        raise _not_found()
    return obj


def _refer(obj: T | None, field: str, what: str) -> T:
    """An object named by id in a request body, or a 400 on that field."""
    if obj is None:
        raise serializers.ValidationError({field: [f"{what} itu tidak ada di desa ini. Periksa pilihannya."]})
    return obj


def _petugas(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by IsVillageOperator
    return user


def _with_rt(data: dict[str, Any]) -> dict[str, Any]:
    """rt_id from the body -> the Rt object the services take."""
    if "rt_id" in data:
        rt_id = data.pop("rt_id")
        data["rt"] = None if rt_id is None else _refer(rt_get(pk=rt_id), "rt_id", "RT")
    return data


def _nested_errors(prefix: str, top: set[str]) -> Iterator[None]:
    """Service errors on resident fields come back under `prefix` (e.g. penduduk.nama)."""
    try:
        yield
    except DjangoValidationError as exc:
        raise DjangoValidationError(
            {
                (name if name in top or name.startswith(f"{prefix}.") else f"{prefix}.{name}"): messages
                for name, messages in exc.message_dict.items()
            }
        ) from exc


nested_errors = contextmanager(_nested_errors)


# --- penduduk -------------------------------------------------------------------------------------


class PendudukListApi(VillageAPIView):
    class FilterSerializer(serializers.Serializer[Any]):
        q = serializers.CharField(
            required=False,
            allow_blank=True,
            help_text="Sebagian nama (toleran salah ketik), atau awal NIK / No. KK.",
        )
        jenis_kelamin = kode_input(ref.JenisKelamin, "jenis kelamin", required=False)
        status_dasar = kode_input(ref.StatusDasar, "status dasar", required=False)
        agama = kode_input(ref.Agama, "agama", required=False)
        pendidikan_kk = kode_input(ref.PendidikanKK, "pendidikan", required=False)
        pekerjaan = kode_input(ref.Pekerjaan, "pekerjaan", required=False)
        dusun = serializers.IntegerField(required=False, help_text="id dusun")
        rw = serializers.IntegerField(required=False, help_text="id RW")
        rt = serializers.IntegerField(required=False, help_text="id RT")
        umur_min = serializers.IntegerField(required=False, min_value=0, max_value=150, help_text="umur (tahun)")
        umur_max = serializers.IntegerField(required=False, min_value=0, max_value=150, help_text="umur (tahun)")

        class Meta:
            ref_name = "PendudukListFilter"

    class OutputSerializer(serializers.Serializer[Penduduk]):
        class Meta:
            ref_name = "PendudukRingkas"

        id = serializers.IntegerField()
        nik = serializers.CharField()
        nik_sementara = serializers.BooleanField()
        nama = serializers.CharField()
        keluarga = KeluargaRingkasSerializer(allow_null=True)
        hubungan = KodeField(ref.Hubungan)
        jenis_kelamin = KodeField(ref.JenisKelamin)
        tanggal_lahir = serializers.DateField()
        agama = KodeField(ref.Agama)
        pendidikan_kk = KodeField(ref.PendidikanKK)
        pekerjaan = KodeField(ref.Pekerjaan)
        status_dasar = KodeField(ref.StatusDasar)
        status_penduduk = KodeField(ref.StatusPenduduk)
        wilayah = WilayahRingkasSerializer(source="rt", allow_null=True)
        perlu_diperiksa = serializers.BooleanField()

    @extend_schema(
        operation_id="penduduk_list",
        tags=[TAG_PENDUDUK],
        summary="Daftar dan pencarian penduduk desa",
        parameters=[FilterSerializer],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return self.paginated(penduduk_list(**filters.validated_data), self.OutputSerializer)


class PendudukDetailApi(VillageAPIView):
    OutputSerializer = PendudukOutput

    @extend_schema(
        operation_id="penduduk_detail",
        tags=[TAG_PENDUDUK],
        summary="Data lengkap penduduk (dicatat di log akses)",
        responses=OutputSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        penduduk = _found(penduduk_get(pk=pk))
        akses_log_catat(penduduk=penduduk, petugas=_petugas(request), jalur="api")
        return Response(self.OutputSerializer(penduduk).data)


class PendudukCreateApi(VillageAPIView):
    class InputSerializer(PendudukInputFields):
        class Meta:
            ref_name = "PendudukCreate"

        keluarga_id = serializers.IntegerField(
            required=False, allow_null=True, help_text="Keluarga (id) tempat penduduk ini menjadi anggota."
        )

    OutputSerializer = PendudukOutput

    @extend_schema(
        operation_id="penduduk_create",
        tags=[TAG_PENDUDUK],
        summary="Tambah penduduk",
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = _with_rt(dict(ser.validated_data))
        keluarga_id = data.pop("keluarga_id", None)
        keluarga = None
        if keluarga_id is not None:
            keluarga = keluarga_get(pk=keluarga_id)
            if keluarga is None:
                raise serializers.ValidationError(
                    {
                        "keluarga_id": [
                            f"Keluarga dengan id {keluarga_id} tidak ada di desa ini. Periksa pilihan keluarga."
                        ]
                    }
                )
        with service_errors():
            penduduk = penduduk_create(
                **data, keluarga=keluarga, kode_desa=self.village.kode, petugas=_petugas(request)
            )
        return Response(self.OutputSerializer(penduduk_get(pk=penduduk.pk)).data, status=status.HTTP_201_CREATED)


class PendudukUpdateApi(VillageAPIView):
    class InputSerializer(PendudukInputFields):
        class Meta:
            ref_name = "PendudukUpdate"

        nik = serializers.CharField(max_length=32, required=False)

    OutputSerializer = PendudukOutput

    @extend_schema(
        operation_id="penduduk_update",
        tags=[TAG_PENDUDUK],
        summary="Ubah data penduduk (hanya isian yang dikirim; tercatat di mutasi)",
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        penduduk = _found(penduduk_get(pk=pk))
        ser = self.InputSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data = _with_rt(dict(ser.validated_data))
        with service_errors():
            penduduk = penduduk_update(penduduk=penduduk, data=data, petugas=_petugas(request))
        return Response(self.OutputSerializer(penduduk_get(pk=penduduk.pk)).data)


class PendudukNikGantiApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "PendudukNikGanti"

        nik_baru = serializers.CharField(max_length=32, help_text="NIK dari Dukcapil (16 digit).")

    OutputSerializer = PendudukOutput

    @extend_schema(
        operation_id="penduduk_nik_ganti",
        tags=[TAG_PENDUDUK],
        summary="Ganti NIK sementara dengan NIK Dukcapil",
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        penduduk = _found(penduduk_get(pk=pk))
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            penduduk_nik_ganti(penduduk=penduduk, petugas=_petugas(request), **ser.validated_data)
        return Response(self.OutputSerializer(penduduk_get(pk=pk)).data)


class PendudukPindahKkApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "PendudukPindahKk"

        keluarga_tujuan_id = serializers.IntegerField()
        hubungan = kode_input(ref.Hubungan, "hubungan dalam keluarga")

    OutputSerializer = PendudukOutput

    @extend_schema(
        operation_id="penduduk_pindah_kk",
        tags=[TAG_KELUARGA],
        summary="Pindahkan penduduk ke keluarga (KK) lain di desa ini",
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        penduduk = _found(penduduk_get(pk=pk))
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        tujuan = _refer(keluarga_get(pk=ser.validated_data["keluarga_tujuan_id"]), "keluarga_tujuan_id", "Keluarga")
        with service_errors():
            penduduk_pindah_kk(
                penduduk=penduduk,
                keluarga_tujuan=tujuan,
                hubungan=ser.validated_data["hubungan"],
                petugas=_petugas(request),
            )
        return Response(self.OutputSerializer(penduduk_get(pk=pk)).data)


class PendudukAksesListApi(VillageAPIView):
    class OutputSerializer(serializers.Serializer[AksesLog]):
        class Meta:
            ref_name = "AksesLog"

        id = serializers.IntegerField()
        petugas_id = serializers.IntegerField(allow_null=True)
        petugas_nama = serializers.CharField()
        jalur = serializers.CharField()
        alasan = serializers.CharField()
        waktu = serializers.DateTimeField()

    @extend_schema(
        operation_id="penduduk_akses_list",
        tags=[TAG_PENDUDUK],
        summary="Log akses data lengkap penduduk (hanya baca)",
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        penduduk = _found(penduduk_get(pk=pk))
        return self.paginated(akses_log_for_penduduk(penduduk=penduduk), self.OutputSerializer)


class PendudukMutasiListApi(VillageAPIView):
    OutputSerializer = MutasiOutput

    @extend_schema(
        operation_id="penduduk_mutasi_list",
        tags=[TAG_PENDUDUK],
        summary="Riwayat perubahan (mutasi) penduduk",
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        penduduk = _found(penduduk_get(pk=pk))
        return self.paginated(mutasi_for_penduduk(penduduk=penduduk), self.OutputSerializer)


class PendudukReferensiApi(VillageAPIView):
    @extend_schema(
        operation_id="penduduk_referensi",
        tags=[TAG_PENDUDUK],
        summary="Daftar kode SIAK (agama, pendidikan, pekerjaan, ...)",
        responses=inline_serializer(
            "ReferensiPenduduk",
            {name: KodeLabelSerializer(many=True) for name in ref.TABLES},
        ),
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                name: [{"kode": int(value), "label": str(label)} for value, label in table.choices]
                for name, table in ref.TABLES.items()
            }
        )


# --- peristiwa -------------------------------------------------------------------------------------


class PeristiwaListApi(VillageAPIView):
    OutputSerializer = PeristiwaOutput

    @extend_schema(
        operation_id="penduduk_peristiwa_list",
        tags=[TAG_PERISTIWA],
        summary="Riwayat peristiwa seorang penduduk",
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        penduduk = _found(penduduk_get(pk=pk))
        return self.paginated(peristiwa_for_penduduk(penduduk=penduduk), self.OutputSerializer)


class PeristiwaInputFields(serializers.Serializer[Any]):
    class Meta:
        ref_name = "PeristiwaInput"

    tanggal_peristiwa = serializers.DateField()
    tanggal_lapor = serializers.DateField(help_text="Tidak sebelum tanggal peristiwa; tidak di masa depan.")
    keterangan = serializers.CharField(required=False, allow_blank=True)
    kepala_baru_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Wajib bila yang dicatat kepala keluarga dan masih ada anggota: anggota yang menjadi kepala baru.",
    )


def _catat(request: Request, pk: int, jenis: int, ser_class: type[Any]) -> Response:
    penduduk = _found(penduduk_get(pk=pk))
    ser = ser_class(data=request.data)
    ser.is_valid(raise_exception=True)
    data = dict(ser.validated_data)
    kepala_baru_id = data.pop("kepala_baru_id", None)
    kepala_baru = None
    if kepala_baru_id is not None:
        kepala_baru = _refer(penduduk_get(pk=kepala_baru_id), "kepala_baru_id", "Penduduk")
    with service_errors():
        peristiwa = peristiwa_catat(
            penduduk=penduduk, jenis=jenis, kepala_baru=kepala_baru, petugas=_petugas(request), **data
        )
    return Response(PeristiwaOutput(peristiwa).data, status=status.HTTP_201_CREATED)


class PeristiwaMatiApi(VillageAPIView):
    class InputSerializer(PeristiwaInputFields):
        class Meta:
            ref_name = "PeristiwaMati"

    @extend_schema(
        operation_id="peristiwa_mati",
        tags=[TAG_PERISTIWA],
        summary="Catat kematian",
        request=InputSerializer,
        responses={201: PeristiwaOutput},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _catat(request, pk, ref.JenisPeristiwa.MATI, self.InputSerializer)


class PeristiwaPindahKeluarApi(VillageAPIView):
    class InputSerializer(PeristiwaInputFields):
        class Meta:
            ref_name = "PeristiwaPindahKeluar"

        tingkat_pindah = kode_input(ref.TingkatPindah, "tujuan pindah")
        alamat_tujuan = _text(200)

    @extend_schema(
        operation_id="peristiwa_pindah_keluar",
        tags=[TAG_PERISTIWA],
        summary="Catat pindah keluar (dengan tingkat tujuan)",
        request=InputSerializer,
        responses={201: PeristiwaOutput},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _catat(request, pk, ref.JenisPeristiwa.PINDAH_KELUAR, self.InputSerializer)


class PeristiwaHilangApi(VillageAPIView):
    class InputSerializer(PeristiwaInputFields):
        class Meta:
            ref_name = "PeristiwaHilang"

    @extend_schema(
        operation_id="peristiwa_hilang",
        tags=[TAG_PERISTIWA],
        summary="Catat penduduk hilang",
        request=InputSerializer,
        responses={201: PeristiwaOutput},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _catat(request, pk, ref.JenisPeristiwa.HILANG, self.InputSerializer)


class PeristiwaPergiApi(VillageAPIView):
    class InputSerializer(PeristiwaInputFields):
        class Meta:
            ref_name = "PeristiwaPergi"

        alamat_tujuan = _text(200)

    @extend_schema(
        operation_id="peristiwa_pergi",
        tags=[TAG_PERISTIWA],
        summary="Catat penduduk tidak tetap yang pergi",
        request=InputSerializer,
        responses={201: PeristiwaOutput},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _catat(request, pk, ref.JenisPeristiwa.PERGI, self.InputSerializer)


class BayiInput(PendudukInputFields):
    """A newborn: most of the record is known from the family; only name and sex are required."""

    class Meta:
        ref_name = "BayiInput"

    hubungan = kode_input(ref.Hubungan, "hubungan dalam keluarga", required=False, help_text="Bawaan: Anak.")
    jenis_kelamin = kode_input(ref.JenisKelamin, "jenis kelamin")
    agama = kode_input(ref.Agama, "agama", required=False, help_text="Bawaan: agama kepala keluarga.")
    pendidikan_kk = kode_input(ref.PendidikanKK, "pendidikan", required=False)
    pekerjaan = kode_input(ref.Pekerjaan, "pekerjaan", required=False)
    status_kawin = kode_input(ref.StatusKawin, "status perkawinan", required=False)
    status_dasar = None  # type: ignore[assignment]  # always Hidup (DRF idiom to drop a field)
    rt_id = None  # type: ignore[assignment]  # the family's RT


PERISTIWA_TOP = {"tanggal_peristiwa", "tanggal_lapor", "keterangan", "keluarga", "no_kk_baru", "alamat_asal"}


class PeristiwaLahirApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "PeristiwaLahir"

        keluarga_id = serializers.IntegerField(help_text="Keluarga (KK) tempat bayi dicatat.")
        bayi = BayiInput()
        tanggal_peristiwa = serializers.DateField(help_text="Tanggal lahir.")
        tanggal_lapor = serializers.DateField()
        keterangan = serializers.CharField(required=False, allow_blank=True)

    OutputSerializer = PendudukOutput

    @extend_schema(
        operation_id="peristiwa_lahir",
        tags=[TAG_PERISTIWA],
        summary="Catat kelahiran (penduduk baru dalam KK yang ada)",
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        keluarga = _refer(keluarga_get(pk=data.pop("keluarga_id")), "keluarga_id", "Keluarga")
        with service_errors(), nested_errors("bayi", PERISTIWA_TOP):
            bayi = peristiwa_lahir(keluarga=keluarga, data=dict(data.pop("bayi")), petugas=_petugas(request), **data)
        return Response(self.OutputSerializer(penduduk_get(pk=bayi.pk)).data, status=status.HTTP_201_CREATED)


class PendatangInput(PendudukInputFields):
    class Meta:
        ref_name = "PendatangInput"

    hubungan = kode_input(
        ref.Hubungan, "hubungan dalam keluarga", required=False, help_text="Wajib bila masuk KK yang sudah ada."
    )
    status_dasar = None  # type: ignore[assignment]  # always Hidup (DRF idiom to drop a field)


class PeristiwaDatangApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "PeristiwaDatang"

        keluarga_id = serializers.IntegerField(required=False, allow_null=True, help_text="KK yang sudah ada, atau:")
        no_kk_baru = serializers.CharField(
            max_length=32, required=False, allow_blank=True, help_text="No. KK baru; pendatang menjadi kepalanya."
        )
        alamat_asal = _text(200)
        pendatang = PendatangInput()
        tanggal_peristiwa = serializers.DateField(help_text="Tanggal datang.")
        tanggal_lapor = serializers.DateField()
        keterangan = serializers.CharField(required=False, allow_blank=True)

    OutputSerializer = PendudukOutput

    @extend_schema(
        operation_id="peristiwa_datang",
        tags=[TAG_PERISTIWA],
        summary="Catat pendatang (pindah masuk) ke KK yang ada atau KK baru",
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        keluarga_id = data.pop("keluarga_id", None)
        keluarga = None
        if keluarga_id is not None:
            keluarga = _refer(keluarga_get(pk=keluarga_id), "keluarga_id", "Keluarga")
        pendatang = _with_rt(dict(data.pop("pendatang")))
        with service_errors(), nested_errors("pendatang", PERISTIWA_TOP):
            penduduk = peristiwa_datang(data=pendatang, keluarga=keluarga, petugas=_petugas(request), **data)
        return Response(self.OutputSerializer(penduduk_get(pk=penduduk.pk)).data, status=status.HTTP_201_CREATED)


# --- keluarga ---------------------------------------------------------------------------------------


class KeluargaOutputFields(serializers.Serializer[Keluarga]):
    class Meta:
        ref_name = "KeluargaRingkas"

    id = serializers.IntegerField()
    no_kk = serializers.CharField()
    alamat = serializers.CharField()
    wilayah = WilayahRingkasSerializer(source="rt", allow_null=True)
    kepala = serializers.SerializerMethodField()
    jumlah_anggota = serializers.SerializerMethodField(help_text="Anggota yang masih tercatat hidup di desa.")

    @extend_schema_field(
        inline_serializer("KepalaKeluarga", {"id": serializers.IntegerField(), "nama": serializers.CharField()})
    )
    def get_kepala(self, obj: Keluarga) -> dict[str, Any] | None:
        for anggota in obj.anggota.all():  # prefetched, head first
            if anggota.hubungan == ref.Hubungan.KEPALA_KELUARGA:
                return {"id": anggota.pk, "nama": anggota.nama}
        return None

    def get_jumlah_anggota(self, obj: Keluarga) -> int:
        return sum(1 for a in obj.anggota.all() if a.status_dasar == ref.StatusDasar.HIDUP)


class AnggotaSerializer(serializers.Serializer[Penduduk]):
    class Meta:
        ref_name = "AnggotaKeluarga"

    id = serializers.IntegerField()
    nik = serializers.CharField()
    nama = serializers.CharField()
    hubungan = KodeField(ref.Hubungan)
    jenis_kelamin = KodeField(ref.JenisKelamin)
    tanggal_lahir = serializers.DateField()
    status_dasar = KodeField(ref.StatusDasar)


class KeluargaListApi(VillageAPIView):
    class FilterSerializer(serializers.Serializer[Any]):
        q = serializers.CharField(
            required=False, allow_blank=True, help_text="Awal No. KK, atau sebagian nama kepala keluarga."
        )

        class Meta:
            ref_name = "KeluargaListFilter"

    OutputSerializer = KeluargaOutputFields

    @extend_schema(
        operation_id="keluarga_list",
        tags=[TAG_KELUARGA],
        summary="Daftar keluarga (Kartu Keluarga)",
        parameters=[FilterSerializer],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return self.paginated(keluarga_list(**filters.validated_data), self.OutputSerializer)


class KeluargaOutput(KeluargaOutputFields):
    """A family with its members, head first."""

    class Meta:
        ref_name = "Keluarga"

    anggota = AnggotaSerializer(many=True)


class KeluargaDetailApi(VillageAPIView):
    OutputSerializer = KeluargaOutput

    @extend_schema(
        operation_id="keluarga_detail",
        tags=[TAG_KELUARGA],
        summary="Keluarga dengan anggotanya",
        responses=OutputSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.OutputSerializer(_found(keluarga_get(pk=pk))).data)


class KepalaBaruInput(PendudukInputFields):
    """A new resident who heads the new family: the relationship is always Kepala Keluarga, so it is not asked."""

    class Meta:
        ref_name = "KepalaKeluargaBaru"

    hubungan = None  # type: ignore[assignment]  # removes the inherited field (DRF idiom)


class KeluargaCreateApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "KeluargaCreate"

        no_kk = serializers.CharField(max_length=32)
        alamat = serializers.CharField(max_length=200, required=False, allow_blank=True)
        rt_id = serializers.IntegerField(required=False, allow_null=True, help_text="RT (id wilayah) keluarga.")
        kepala_id = serializers.IntegerField(
            required=False, help_text="Penduduk (id) yang belum berkeluarga, dijadikan kepala keluarga."
        )
        kepala = KepalaBaruInput(required=False, help_text="Atau: data penduduk baru yang menjadi kepala keluarga.")

        def validate(self, attrs: Mapping[str, Any]) -> Mapping[str, Any]:
            if ("kepala_id" in attrs) == ("kepala" in attrs):
                raise serializers.ValidationError(
                    {"kepala": ["Isi salah satu: kepala_id (penduduk yang sudah ada) atau kepala (penduduk baru)."]}
                )
            return attrs

    OutputSerializer = KeluargaOutput

    @extend_schema(
        operation_id="keluarga_create",
        tags=[TAG_KELUARGA],
        summary="Tambah keluarga beserta kepala keluarganya",
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = _with_rt(dict(ser.validated_data))
        kepala: Penduduk | dict[str, Any]
        if "kepala_id" in data:
            kepala = _refer(penduduk_get(pk=data.pop("kepala_id")), "kepala_id", "Penduduk")
        else:
            kepala = _with_rt(dict(data.pop("kepala")))
        with service_errors():
            keluarga = keluarga_create(**data, kepala=kepala, kode_desa=self.village.kode, petugas=_petugas(request))
        created = keluarga_get(pk=keluarga.pk)
        return Response(self.OutputSerializer(created).data, status=status.HTTP_201_CREATED)


class KeluargaAnggotaTambahApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "KeluargaAnggotaTambah"

        penduduk_id = serializers.IntegerField(help_text="Penduduk yang belum masuk KK mana pun.")
        hubungan = kode_input(ref.Hubungan, "hubungan dalam keluarga")

    OutputSerializer = KeluargaOutput

    @extend_schema(
        operation_id="keluarga_anggota_tambah",
        tags=[TAG_KELUARGA],
        summary="Masukkan penduduk ke keluarga",
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        keluarga = _found(keluarga_get(pk=pk))
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        penduduk = _refer(penduduk_get(pk=ser.validated_data["penduduk_id"]), "penduduk_id", "Penduduk")
        with service_errors():
            keluarga_add_member(
                keluarga=keluarga, penduduk=penduduk, hubungan=ser.validated_data["hubungan"], petugas=_petugas(request)
            )
        return Response(self.OutputSerializer(keluarga_get(pk=pk)).data)


class KeluargaKepalaGantiApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "KeluargaKepalaGanti"

        kepala_baru_id = serializers.IntegerField(help_text="Anggota keluarga ini yang menjadi kepala.")
        # A plain integer: the same code list under a second field name would be a second enum in the schema.
        hubungan_kepala_lama = serializers.IntegerField(
            help_text="Kode hubungan (selain 1 Kepala Keluarga) kepala lama terhadap kepala baru; lihat /referensi/."
        )

    OutputSerializer = KeluargaOutput

    @extend_schema(
        operation_id="keluarga_kepala_ganti",
        tags=[TAG_KELUARGA],
        summary="Ganti kepala keluarga",
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        keluarga = _found(keluarga_get(pk=pk))
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        baru = _refer(penduduk_get(pk=ser.validated_data["kepala_baru_id"]), "kepala_baru_id", "Penduduk")
        with service_errors():
            keluarga_kepala_change(
                keluarga=keluarga,
                kepala_baru=baru,
                hubungan_kepala_lama=ser.validated_data["hubungan_kepala_lama"],
                petugas=_petugas(request),
            )
        return Response(self.OutputSerializer(keluarga_get(pk=pk)).data)


class KeluargaPecahApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "KeluargaPecah"

        anggota_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
        kepala_id = serializers.IntegerField(help_text="Salah satu anggota_ids: kepala KK baru.")
        no_kk_baru = serializers.CharField(max_length=32)
        alamat = _text(200, help_text="Bawaan: alamat KK lama.")
        rt_id = serializers.IntegerField(required=False, allow_null=True, help_text="Bawaan: RT KK lama.")

    OutputSerializer = KeluargaOutput

    @extend_schema(
        operation_id="keluarga_pecah",
        tags=[TAG_KELUARGA],
        summary="Pecah KK: anggota pindah ke KK baru dengan kepala sendiri",
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        keluarga = _found(keluarga_get(pk=pk))
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = _with_rt(dict(ser.validated_data))
        ids = data.pop("anggota_ids")
        anggota = list(Penduduk.objects.filter(pk__in=ids))
        if len(anggota) != len(set(ids)):
            raise serializers.ValidationError({"anggota_ids": ["Ada anggota yang tidak ada di desa ini."]})
        kepala = _refer(next((p for p in anggota if p.pk == data.pop("kepala_id")), None), "kepala_id", "Kepala")
        with service_errors():
            baru = keluarga_pecah(keluarga=keluarga, anggota=anggota, kepala=kepala, petugas=_petugas(request), **data)
        return Response(self.OutputSerializer(keluarga_get(pk=baru.pk)).data, status=status.HTTP_201_CREATED)


class KeluargaMutasiListApi(VillageAPIView):
    OutputSerializer = MutasiOutput

    @extend_schema(
        operation_id="keluarga_mutasi_list",
        tags=[TAG_KELUARGA],
        summary="Riwayat perubahan (mutasi) keluarga",
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        keluarga = _found(keluarga_get(pk=pk))
        return self.paginated(mutasi_for_keluarga(keluarga=keluarga), self.OutputSerializer)


# --- rumah tangga ---------------------------------------------------------------------------------------


class AnggotaRumahTanggaSerializer(serializers.Serializer[Penduduk]):
    class Meta:
        ref_name = "AnggotaRumahTangga"

    id = serializers.IntegerField()
    nama = serializers.CharField()
    hubungan_rtm = KodeField(ref.HubunganRumahTangga, allow_null=True)
    status_dasar = KodeField(ref.StatusDasar)


class RumahTanggaOutput(serializers.Serializer[RumahTangga]):
    class Meta:
        ref_name = "RumahTangga"

    id = serializers.IntegerField()
    no_rtm = serializers.CharField()
    wilayah = WilayahRingkasSerializer(source="rt", allow_null=True)
    anggota = AnggotaRumahTanggaSerializer(many=True)


class RumahTanggaListApi(VillageAPIView):
    class FilterSerializer(serializers.Serializer[Any]):
        q = serializers.CharField(required=False, allow_blank=True, help_text="Awal nomor rumah tangga.")

        class Meta:
            ref_name = "RumahTanggaListFilter"

    OutputSerializer = RumahTanggaOutput

    @extend_schema(
        operation_id="rumah_tangga_list",
        tags=[TAG_RUMAH_TANGGA],
        summary="Daftar rumah tangga",
        parameters=[FilterSerializer],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return self.paginated(rumah_tangga_list(**filters.validated_data), self.OutputSerializer)


class RumahTanggaDetailApi(VillageAPIView):
    OutputSerializer = RumahTanggaOutput

    @extend_schema(
        operation_id="rumah_tangga_detail",
        tags=[TAG_RUMAH_TANGGA],
        summary="Rumah tangga dengan anggotanya",
        responses=OutputSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.OutputSerializer(_found(rumah_tangga_get(pk=pk))).data)


class RumahTanggaCreateApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "RumahTanggaCreate"

        no_rtm = serializers.CharField(max_length=30)
        kepala_id = serializers.IntegerField()
        rt_id = serializers.IntegerField(required=False, allow_null=True, help_text="Bawaan: RT kepala.")

    OutputSerializer = RumahTanggaOutput

    @extend_schema(
        operation_id="rumah_tangga_create",
        tags=[TAG_RUMAH_TANGGA],
        summary="Tambah rumah tangga dengan kepalanya",
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = _with_rt(dict(ser.validated_data))
        kepala = _refer(penduduk_get(pk=data.pop("kepala_id")), "kepala_id", "Penduduk")
        with service_errors():
            rtm = rumah_tangga_create(kepala=kepala, petugas=_petugas(request), **data)
        return Response(self.OutputSerializer(rumah_tangga_get(pk=rtm.pk)).data, status=status.HTTP_201_CREATED)


class RumahTanggaAnggotaInput(serializers.Serializer[Any]):
    class Meta:
        ref_name = "RumahTanggaAnggota"

    penduduk_id = serializers.IntegerField()


class RumahTanggaAnggotaTambahApi(VillageAPIView):
    InputSerializer = RumahTanggaAnggotaInput
    OutputSerializer = RumahTanggaOutput

    @extend_schema(
        operation_id="rumah_tangga_anggota_tambah",
        tags=[TAG_RUMAH_TANGGA],
        summary="Masukkan penduduk ke rumah tangga",
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        rtm = _found(rumah_tangga_get(pk=pk))
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        penduduk = _refer(penduduk_get(pk=ser.validated_data["penduduk_id"]), "penduduk_id", "Penduduk")
        with service_errors():
            rumah_tangga_add_member(rumah_tangga=rtm, penduduk=penduduk, petugas=_petugas(request))
        return Response(self.OutputSerializer(rumah_tangga_get(pk=pk)).data)


class RumahTanggaAnggotaKeluarApi(VillageAPIView):
    InputSerializer = RumahTanggaAnggotaInput
    OutputSerializer = RumahTanggaOutput

    @extend_schema(
        operation_id="rumah_tangga_anggota_keluar",
        tags=[TAG_RUMAH_TANGGA],
        summary="Keluarkan penduduk dari rumah tangga",
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        rtm = _found(rumah_tangga_get(pk=pk))
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        penduduk = penduduk_get(pk=ser.validated_data["penduduk_id"])
        if penduduk is None or penduduk.rumah_tangga_id != rtm.pk:
            raise serializers.ValidationError({"penduduk_id": ["Penduduk itu bukan anggota rumah tangga ini."]})
        with service_errors():
            rumah_tangga_remove_member(penduduk=penduduk, petugas=_petugas(request))
        return Response(self.OutputSerializer(rumah_tangga_get(pk=pk)).data)


# --- wilayah ----------------------------------------------------------------------------------------------


class RtOutput(serializers.Serializer[Rt]):
    class Meta:
        ref_name = "Rt"

    id = serializers.IntegerField()
    rw_id = serializers.IntegerField()
    nomor = serializers.CharField()


class RwOutput(serializers.Serializer[Rw]):
    class Meta:
        ref_name = "Rw"

    id = serializers.IntegerField()
    dusun_id = serializers.IntegerField()
    nomor = serializers.CharField()


class DusunOutput(serializers.Serializer[Dusun]):
    class Meta:
        ref_name = "Dusun"

    id = serializers.IntegerField()
    nama = serializers.CharField()


class WilayahTreeApi(VillageAPIView):
    class OutputSerializer(DusunOutput):
        class Meta:
            ref_name = "DusunPohon"

        class RwPohon(RwOutput):
            class Meta:
                ref_name = "RwPohon"

            rt = RtOutput(source="rt_set", many=True)

        rw = RwPohon(source="rw_set", many=True)

    @extend_schema(
        operation_id="wilayah_tree",
        tags=[TAG_WILAYAH],
        summary="Wilayah desa: dusun, RW, RT",
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(wilayah_tree(), many=True).data)  # type: ignore[arg-type]  # many=True


class DusunCreateApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "DusunCreate"

        nama = serializers.CharField(max_length=60)

    OutputSerializer = DusunOutput

    @extend_schema(
        operation_id="dusun_create",
        tags=[TAG_WILAYAH],
        summary="Tambah dusun",
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            dusun = dusun_create(petugas=_petugas(request), **ser.validated_data)
        return Response(self.OutputSerializer(dusun).data, status=status.HTTP_201_CREATED)


class DusunUpdateApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "DusunUpdate"

        nama = serializers.CharField(max_length=60)

    OutputSerializer = DusunOutput

    @extend_schema(
        operation_id="dusun_update",
        tags=[TAG_WILAYAH],
        summary="Ganti nama dusun",
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        dusun = _found(dusun_get(pk=pk))
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            dusun = dusun_update(dusun=dusun, petugas=_petugas(request), **ser.validated_data)
        return Response(self.OutputSerializer(dusun).data)


class RwCreateApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "RwCreate"

        dusun_id = serializers.IntegerField()
        nomor = serializers.CharField(max_length=10, help_text="mis. 001, atau '-'")

    OutputSerializer = RwOutput

    @extend_schema(
        operation_id="rw_create",
        tags=[TAG_WILAYAH],
        summary="Tambah RW di dusun",
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        dusun = _refer(dusun_get(pk=ser.validated_data["dusun_id"]), "dusun_id", "Dusun")
        with service_errors():
            rw = rw_create(dusun=dusun, nomor=ser.validated_data["nomor"], petugas=_petugas(request))
        return Response(self.OutputSerializer(rw).data, status=status.HTTP_201_CREATED)


class RwUpdateApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "RwUpdate"

        nomor = serializers.CharField(max_length=10)

    OutputSerializer = RwOutput

    @extend_schema(
        operation_id="rw_update",
        tags=[TAG_WILAYAH],
        summary="Ganti nomor RW",
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        rw = _found(rw_get(pk=pk))
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            rw = rw_update(rw=rw, petugas=_petugas(request), **ser.validated_data)
        return Response(self.OutputSerializer(rw).data)


class RtCreateApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "RtCreate"

        rw_id = serializers.IntegerField()
        nomor = serializers.CharField(max_length=10, help_text="mis. 001")

    OutputSerializer = RtOutput

    @extend_schema(
        operation_id="rt_create",
        tags=[TAG_WILAYAH],
        summary="Tambah RT di RW",
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        rw = _refer(rw_get(pk=ser.validated_data["rw_id"]), "rw_id", "RW")
        with service_errors():
            rt = rt_create(rw=rw, nomor=ser.validated_data["nomor"], petugas=_petugas(request))
        return Response(self.OutputSerializer(rt).data, status=status.HTTP_201_CREATED)


class RtUpdateApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "RtUpdate"

        nomor = serializers.CharField(max_length=10)

    OutputSerializer = RtOutput

    @extend_schema(
        operation_id="rt_update",
        tags=[TAG_WILAYAH],
        summary="Ganti nomor RT",
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        rt = _found(rt_get(pk=pk))
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            rt = rt_update(rt=rt, petugas=_petugas(request), **ser.validated_data)
        return Response(self.OutputSerializer(rt).data)


def _delete(request: Request, obj: Dusun | Rw | Rt | None) -> Response:
    if obj is None:
        raise _not_found()
    with service_errors():
        wilayah_delete(obj=obj, petugas=_petugas(request))
    return Response(status=status.HTTP_204_NO_CONTENT)


class DusunDeleteApi(VillageAPIView):
    @extend_schema(
        operation_id="dusun_delete", tags=[TAG_WILAYAH], summary="Hapus dusun yang tidak dipakai", responses={204: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        return _delete(request, dusun_get(pk=pk))

    @extend_schema(
        operation_id="dusun_delete_post",
        tags=[TAG_WILAYAH],
        summary="Hapus dusun yang tidak dipakai (POST, untuk formulir)",
        request=None,
        responses={204: None},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _delete(request, dusun_get(pk=pk))


class RwDeleteApi(VillageAPIView):
    @extend_schema(
        operation_id="rw_delete", tags=[TAG_WILAYAH], summary="Hapus RW yang tidak dipakai", responses={204: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        return _delete(request, rw_get(pk=pk))

    @extend_schema(
        operation_id="rw_delete_post",
        tags=[TAG_WILAYAH],
        summary="Hapus RW yang tidak dipakai (POST, untuk formulir)",
        request=None,
        responses={204: None},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _delete(request, rw_get(pk=pk))


class RtDeleteApi(VillageAPIView):
    @extend_schema(
        operation_id="rt_delete", tags=[TAG_WILAYAH], summary="Hapus RT yang tidak dipakai", responses={204: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        return _delete(request, rt_get(pk=pk))

    @extend_schema(
        operation_id="rt_delete_post",
        tags=[TAG_WILAYAH],
        summary="Hapus RT yang tidak dipakai (POST, untuk formulir)",
        request=None,
        responses={204: None},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _delete(request, rt_get(pk=pk))
