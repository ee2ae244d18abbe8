"""REST API of the population register, scoped to the village of the request host.

One APIView per operation (HackSoft): input and output serializers are nested in the view; writes go
through services, reads through selectors. Scoping (village host + operator of that village) is done
by VillageAPIView; a resident of another village is simply not in this schema.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import IntegerChoices
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from platform_core.api.base import VillageAPIView
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Keluarga, Penduduk
from tenants.penduduk.nik import check_nik
from tenants.penduduk.selectors import keluarga_get, keluarga_list, penduduk_get, penduduk_list
from tenants.penduduk.services import keluarga_create, penduduk_create, penduduk_update

TAG_PENDUDUK = "penduduk"
TAG_KELUARGA = "keluarga"
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


@contextmanager
def service_errors() -> Iterator[None]:
    """Django ValidationErrors of services become the API's 400 shape; "kepala.nik" nests as {"kepala": {"nik"}}."""
    try:
        yield
    except DjangoValidationError as exc:
        nested: dict[str, Any] = {}
        for name, messages in exc.message_dict.items():
            target = nested
            *parents, leaf = name.split(".")
            for parent in parents:
                target = target.setdefault(parent, {})
            target[leaf] = messages
        raise serializers.ValidationError(nested) from exc


class KeluargaRingkasSerializer(serializers.Serializer[Keluarga]):
    class Meta:
        ref_name = "KeluargaRujukan"

    id = serializers.IntegerField()
    no_kk = serializers.CharField()


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
    tempat_lahir = serializers.CharField(max_length=100, required=False, allow_blank=True)
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
    status_dasar = kode_input(ref.StatusDasar, "status dasar", required=False)
    nama_ayah = serializers.CharField(max_length=100, required=False, allow_blank=True)
    nama_ibu = serializers.CharField(max_length=100, required=False, allow_blank=True)


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
    nama_ayah = serializers.CharField()
    nama_ibu = serializers.CharField()
    peringatan = serializers.SerializerMethodField(
        help_text="Hal yang perlu diperiksa tetapi tidak menghalangi penyimpanan (mis. kode kecamatan lama)."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_peringatan(self, obj: Penduduk) -> list[str]:
        return check_nik(obj.nik).warnings


def _not_found() -> exceptions.NotFound:
    return exceptions.NotFound()


# --- penduduk -------------------------------------------------------------------


class PendudukListApi(VillageAPIView):
    class FilterSerializer(serializers.Serializer[Any]):
        q = serializers.CharField(required=False, allow_blank=True, help_text="Sebagian nama, atau awal NIK / No. KK.")
        jenis_kelamin = kode_input(ref.JenisKelamin, "jenis kelamin", required=False)
        status_dasar = kode_input(ref.StatusDasar, "status dasar", required=False)
        agama = kode_input(ref.Agama, "agama", required=False)
        pendidikan_kk = kode_input(ref.PendidikanKK, "pendidikan", required=False)
        pekerjaan = kode_input(ref.Pekerjaan, "pekerjaan", required=False)

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

    @extend_schema(
        operation_id="penduduk_list",
        tags=[TAG_PENDUDUK],
        summary="Daftar penduduk desa",
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
        operation_id="penduduk_detail", tags=[TAG_PENDUDUK], summary="Data lengkap penduduk", responses=OutputSerializer
    )
    def get(self, request: Request, pk: int) -> Response:
        penduduk = penduduk_get(pk=pk)
        if penduduk is None:
            raise _not_found()
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
        data = dict(ser.validated_data)
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
            penduduk = penduduk_create(**data, keluarga=keluarga, kode_desa=self.village.kode)
        return Response(self.OutputSerializer(penduduk).data, status=status.HTTP_201_CREATED)


class PendudukUpdateApi(VillageAPIView):
    class InputSerializer(PendudukInputFields):
        class Meta:
            ref_name = "PendudukUpdate"

        nik = serializers.CharField(max_length=32, required=False)

    OutputSerializer = PendudukOutput

    @extend_schema(
        operation_id="penduduk_update",
        tags=[TAG_PENDUDUK],
        summary="Ubah data penduduk (hanya isian yang dikirim)",
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        penduduk = penduduk_get(pk=pk)
        if penduduk is None:
            raise _not_found()
        ser = self.InputSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        with service_errors():
            penduduk = penduduk_update(penduduk=penduduk, data=ser.validated_data)
        return Response(self.OutputSerializer(penduduk).data)


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


# --- keluarga ---------------------------------------------------------------------


class KeluargaOutputFields(serializers.Serializer[Keluarga]):
    class Meta:
        ref_name = "KeluargaRingkas"

    id = serializers.IntegerField()
    no_kk = serializers.CharField()
    alamat = serializers.CharField()
    rt_id = serializers.IntegerField(allow_null=True)
    kepala = serializers.SerializerMethodField()
    jumlah_anggota = serializers.SerializerMethodField()

    @extend_schema_field(
        inline_serializer("KepalaKeluarga", {"id": serializers.IntegerField(), "nama": serializers.CharField()})
    )
    def get_kepala(self, obj: Keluarga) -> dict[str, Any] | None:
        for anggota in obj.anggota.all():  # prefetched, head first
            if anggota.hubungan == ref.Hubungan.KEPALA_KELUARGA:
                return {"id": anggota.pk, "nama": anggota.nama}
        return None

    def get_jumlah_anggota(self, obj: Keluarga) -> int:
        return len(obj.anggota.all())


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
        q = serializers.CharField(required=False, allow_blank=True, help_text="Awal No. KK.")

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
        keluarga = keluarga_get(pk=pk)
        if keluarga is None:
            raise _not_found()
        return Response(self.OutputSerializer(keluarga).data)


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
        data = dict(ser.validated_data)
        kepala: Penduduk | dict[str, Any]
        if "kepala_id" in data:
            found = penduduk_get(pk=data.pop("kepala_id"))
            if found is None:
                raise serializers.ValidationError(
                    {"kepala_id": ["Penduduk itu tidak ada di desa ini. Periksa pilihan kepala keluarga."]}
                )
            kepala = found
        else:
            kepala = dict(data.pop("kepala"))
        with service_errors():
            keluarga = keluarga_create(**data, kepala=kepala, kode_desa=self.village.kode)
        created = keluarga_get(pk=keluarga.pk)
        return Response(self.OutputSerializer(created).data, status=status.HTTP_201_CREATED)


__all__ = [
    "KeluargaCreateApi",
    "KeluargaDetailApi",
    "KeluargaListApi",
    "PendudukCreateApi",
    "PendudukDetailApi",
    "PendudukListApi",
    "PendudukReferensiApi",
    "PendudukUpdateApi",
]
