"""REST API of development projects, reports and complaints (village host, operators of that village).

One APIView per operation; writes through services (their Indonesian ValidationErrors become the API's 400
shape), reads through selectors. Scoping lives in VillageAPIView. The public, read-only figures are the
open-data files of the portal (transparansi/data/kegiatan.json and .csv).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from platform_core.accounts.models import User
from platform_core.api.base import VillageAPIView
from platform_core.api.errors import service_errors
from tenants.pembangunan import selectors, services
from tenants.pembangunan.models import Dokumen, JenisDokumen, Pengaduan, Progres, Proyek, StatusProyek

TAG = "pembangunan"


def _found(obj: Any) -> Any:
    if obj is None:
        raise exceptions.NotFound()
    return obj


class ProgresOutput(serializers.Serializer[Progres]):
    class Meta:
        ref_name = "ProgresKegiatan"

    id = serializers.IntegerField()
    tanggal = serializers.DateField()
    persen = serializers.IntegerField()
    keterangan = serializers.CharField()
    ada_foto = serializers.SerializerMethodField()

    def get_ada_foto(self, obj: Progres) -> bool:
        return bool(obj.foto)


class ProyekOutput(serializers.Serializer[Proyek]):
    class Meta:
        ref_name = "Kegiatan"

    id = serializers.IntegerField()
    nama = serializers.CharField()
    tahun = serializers.IntegerField()
    bidang = serializers.CharField()
    lokasi = serializers.CharField()
    dusun = serializers.CharField()
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    pendanaan = serializers.DictField(child=serializers.CharField(), help_text="{kode sumber dana: rupiah}")
    anggaran = serializers.DecimalField(max_digits=16, decimal_places=0)
    pelaksana = serializers.CharField()
    volume = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    satuan = serializers.CharField()
    manfaat = serializers.CharField()
    mulai_rencana = serializers.DateField()
    selesai_rencana = serializers.DateField()
    progres_persen = serializers.IntegerField()
    progres_tanggal = serializers.DateField(allow_null=True)
    status = serializers.SerializerMethodField()

    def get_status(self, obj: Proyek) -> str:
        return obj.status(timezone.localdate())


class ProyekInput(serializers.Serializer[Any]):
    class Meta:
        ref_name = "KegiatanInput"

    nama = serializers.CharField(max_length=200)
    tahun = serializers.IntegerField()
    bidang = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    lokasi = serializers.CharField(max_length=200)
    dusun = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)
    pendanaan = serializers.DictField(
        child=serializers.IntegerField(min_value=0), help_text='{"DDS": 150000000, "ADD": 20000000}'
    )
    pelaksana = serializers.CharField(max_length=200)
    volume = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True, default=None)
    satuan = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    manfaat = serializers.CharField(required=False, allow_blank=True, default="")
    mulai_rencana = serializers.DateField()
    selesai_rencana = serializers.DateField()


class ProyekListApi(VillageAPIView):
    class FilterSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "KegiatanFilter"

        tahun = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
        status = serializers.ChoiceField(choices=StatusProyek.choices, required=False)
        q = serializers.CharField(required=False, allow_blank=True, max_length=100)

    @extend_schema(
        operation_id="kegiatan_list",
        tags=[TAG],
        summary="Daftar kegiatan pembangunan",
        parameters=[FilterSerializer],
        responses=ProyekOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        f = self.FilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        return self.paginated(selectors.proyek_list(**f.validated_data), ProyekOutput)


class ProyekCreateApi(VillageAPIView):
    @extend_schema(
        operation_id="kegiatan_create",
        tags=[TAG],
        summary="Tambah kegiatan pembangunan",
        request=ProyekInput,
        responses={201: ProyekOutput},
    )
    def post(self, request: Request) -> Response:
        ser = ProyekInput(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        pendanaan = data.pop("pendanaan")
        with service_errors():
            proyek = services.proyek_create(data=data, pendanaan=pendanaan)
        return Response(ProyekOutput(proyek).data, status=status.HTTP_201_CREATED)


class ProyekDetailApi(VillageAPIView):
    class OutputSerializer(ProyekOutput):
        class Meta:
            ref_name = "KegiatanDetail"

        progres = serializers.SerializerMethodField()

        def get_progres(self, obj: Proyek) -> list[dict[str, Any]]:
            return list(ProgresOutput(selectors.progres_for(proyek=obj), many=True).data)  # type: ignore[arg-type]  # many=True

    @extend_schema(
        operation_id="kegiatan_detail",
        tags=[TAG],
        summary="Kegiatan dengan riwayat progres",
        responses=OutputSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.OutputSerializer(_found(selectors.proyek_get(pk=pk))).data)


class ProyekUpdateApi(VillageAPIView):
    @extend_schema(
        operation_id="kegiatan_update",
        tags=[TAG],
        summary="Ubah kegiatan (seluruh isian)",
        request=ProyekInput,
        responses=ProyekOutput,
    )
    def put(self, request: Request, pk: int) -> Response:
        proyek = _found(selectors.proyek_get(pk=pk))
        ser = ProyekInput(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        pendanaan = data.pop("pendanaan")
        with service_errors():
            proyek = services.proyek_update(proyek=proyek, data=data, pendanaan=pendanaan)
        return Response(ProyekOutput(proyek).data)


class ProyekDeleteApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "KegiatanHapus"

        konfirmasi = serializers.ChoiceField(
            choices=[("hapus", "hapus")],
            error_messages={
                "required": 'Kirim {{"konfirmasi": "hapus"}} untuk menghapus.',
                "invalid_choice": 'Kirim {{"konfirmasi": "hapus"}} untuk menghapus.',
            },
        )

    @extend_schema(
        operation_id="kegiatan_delete",
        tags=[TAG],
        summary="Hapus kegiatan beserta progresnya",
        request=InputSerializer,
        responses={204: None},
    )
    def post(self, request: Request, pk: int) -> Response:
        proyek = _found(selectors.proyek_get(pk=pk))
        self.InputSerializer(data=request.data).is_valid(raise_exception=True)
        services.proyek_delete(proyek=proyek)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProgresCreateApi(VillageAPIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "ProgresInput"

        tanggal = serializers.DateField()
        persen = serializers.IntegerField(min_value=0, max_value=100)
        keterangan = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
        foto = serializers.FileField(
            required=False,
            allow_null=True,
            default=None,
            help_text="JPEG/PNG/WebP, maks. 8 MB; disimpan ulang tanpa EXIF",
        )

    @extend_schema(
        operation_id="kegiatan_progres_create",
        tags=[TAG],
        summary="Catat progres (boleh dengan foto)",
        request={"multipart/form-data": InputSerializer},
        responses={201: ProgresOutput},
    )
    def post(self, request: Request, pk: int) -> Response:
        proyek = _found(selectors.proyek_get(pk=pk))
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            progres = services.progres_add(proyek=proyek, **ser.validated_data)
        return Response(ProgresOutput(progres).data, status=status.HTTP_201_CREATED)


class DokumenOutput(serializers.Serializer[Dokumen]):
    class Meta:
        ref_name = "DokumenDesa"

    id = serializers.IntegerField()
    jenis = serializers.CharField()
    judul = serializers.CharField()
    tahun = serializers.IntegerField()
    tanggal = serializers.DateField()
    nama_file = serializers.CharField()
    ukuran = serializers.IntegerField()
    sha256 = serializers.CharField()
    diunggah = serializers.DateTimeField()


class DokumenListApi(VillageAPIView):
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "DokumenInput"

        jenis = serializers.ChoiceField(choices=JenisDokumen.choices)
        judul = serializers.CharField(max_length=200)
        tahun = serializers.IntegerField()
        tanggal = serializers.DateField()
        berkas = serializers.FileField(help_text="PDF, maks. 15 MB, diperiksa isinya")

    @extend_schema(
        operation_id="dokumen_list", tags=[TAG], summary="Dokumen/laporan desa", responses=DokumenOutput(many=True)
    )
    def get(self, request: Request) -> Response:
        return self.paginated(selectors.dokumen_list(), DokumenOutput)

    @extend_schema(
        operation_id="dokumen_upload",
        tags=[TAG],
        summary="Unggah laporan (PDF)",
        request={"multipart/form-data": InputSerializer},
        responses={201: DokumenOutput},
    )
    def post(self, request: Request) -> Response:
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            dokumen = services.dokumen_upload(**ser.validated_data)
        return Response(DokumenOutput(dokumen).data, status=status.HTTP_201_CREATED)


class PengaduanOutput(serializers.Serializer[Pengaduan]):
    class Meta:
        ref_name = "Pengaduan"

    id = serializers.IntegerField()
    kode = serializers.CharField()
    nama = serializers.CharField(help_text="hanya untuk petugas")
    kontak = serializers.CharField(help_text="hanya untuk petugas")
    judul = serializers.CharField()
    isi = serializers.CharField()
    status = serializers.CharField()
    jawaban = serializers.CharField()
    tampil_publik = serializers.BooleanField()
    dibuat = serializers.DateTimeField()
    dijawab_pada = serializers.DateTimeField(allow_null=True)


class PengaduanListApi(VillageAPIView):
    @extend_schema(
        operation_id="pengaduan_list",
        tags=[TAG],
        summary="Pengaduan warga (dengan nama dan kontak)",
        responses=PengaduanOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        return self.paginated(selectors.pengaduan_list(status=request.query_params.get("status", "")), PengaduanOutput)


class PengaduanJawabApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "PengaduanJawab"

        jawaban = serializers.CharField()
        tampil_publik = serializers.BooleanField(default=True)

    @extend_schema(
        operation_id="pengaduan_jawab",
        tags=[TAG],
        summary="Jawab pengaduan",
        request=InputSerializer,
        responses=PengaduanOutput,
    )
    def post(self, request: Request, pk: int) -> Response:
        pengaduan = _found(selectors.pengaduan_get(pk=pk))
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)
        with service_errors():
            pengaduan = services.pengaduan_jawab(pengaduan=pengaduan, petugas=user, **ser.validated_data)
        return Response(PengaduanOutput(pengaduan).data)
