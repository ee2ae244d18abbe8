"""REST API of layanan surat (village subdomain, operators of that village).

Templates, requests, workflow moves, attachments, the letter PDF and the register of letters issued.
Services do the work; their Indonesian ValidationErrors become 400 responses.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from platform_core.accounts.models import User
from platform_core.api.base import VillageAPIView
from platform_core.api.errors import service_errors
from tenants.penduduk.services import akses_log_catat
from tenants.surat import selectors, services, teks
from tenants.surat.models import Kanal, Penomoran, Permohonan, Status, TemplatSurat

TAG = "surat"


T = TypeVar("T")


def _found(obj: T | None) -> T:
    """The object a URL points at, or the same 404 as for another village's object."""
    if obj is None:
        raise exceptions.NotFound()
    return obj


def _petugas(request: Request) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


class IsianSerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "SuratIsian"

    nama = serializers.CharField(max_length=40)
    label = serializers.CharField(max_length=120)  # type: ignore[assignment]  # a field named like Field.label
    wajib = serializers.BooleanField(default=True)


class DokumenSerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "SuratDokumen"

    kode = serializers.CharField(max_length=40)
    label = serializers.CharField(max_length=120)  # type: ignore[assignment]  # a field named like Field.label


class TemplatOutput(serializers.Serializer[TemplatSurat]):
    class Meta:
        ref_name = "SuratTemplat"

    id = serializers.IntegerField()
    kode = serializers.CharField()
    nama = serializers.CharField()
    kode_klasifikasi = serializers.CharField()
    judul = serializers.CharField()
    isi = serializers.CharField()
    aturan_subjek = serializers.ListField(child=serializers.CharField())
    isian = IsianSerializer(many=True)
    dokumen = DokumenSerializer(many=True)
    masa_berlaku_hari = serializers.IntegerField(allow_null=True)
    format_nomor = serializers.CharField()
    penomoran = serializers.ChoiceField(choices=Penomoran.choices)
    aktif = serializers.BooleanField()
    bawaan = serializers.BooleanField()


class TemplatInput(serializers.Serializer[Any]):
    class Meta:
        ref_name = "SuratTemplatInput"

    kode = serializers.SlugField(max_length=40)
    nama = serializers.CharField(max_length=120)
    kode_klasifikasi = serializers.CharField(max_length=20)
    judul = serializers.CharField(max_length=160)
    isi = serializers.CharField(max_length=20000, help_text="Teks dengan penanda [nama] dst.; lihat /penanda/.")
    aturan_subjek = serializers.ListField(
        child=serializers.ChoiceField(choices=list(teks.ATURAN)), required=False, default=list
    )
    isian = IsianSerializer(many=True, required=False, default=list)
    dokumen = DokumenSerializer(many=True, required=False, default=list)
    masa_berlaku_hari = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=3650)
    format_nomor = serializers.CharField(max_length=120, required=False, default=teks.FORMAT_NOMOR_BAWAAN)
    penomoran = serializers.ChoiceField(choices=Penomoran.choices, required=False, default=Penomoran.DESA)
    aktif = serializers.BooleanField(required=False, default=True)


class TemplatListApi(VillageAPIView):
    @extend_schema(
        operation_id="surat_templat_list",
        tags=[TAG],
        summary="Templat surat desa (set bawaan dan buatan operator)",
        responses=TemplatOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        return self.paginated(selectors.templat_semua(), TemplatOutput)

    @extend_schema(
        operation_id="surat_templat_create",
        tags=[TAG],
        summary="Tambah templat surat (penanda diperiksa)",
        request=TemplatInput,
        responses={201: TemplatOutput},
    )
    def post(self, request: Request) -> Response:
        ser = TemplatInput(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            templat = services.templat_buat(data=dict(ser.validated_data))
        return Response(TemplatOutput(templat).data, status=status.HTTP_201_CREATED)


class TemplatDetailApi(VillageAPIView):
    @extend_schema(operation_id="surat_templat_detail", tags=[TAG], summary="Satu templat", responses=TemplatOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(TemplatOutput(_found(selectors.templat_get(pk=pk))).data)

    @extend_schema(
        operation_id="surat_templat_update",
        tags=[TAG],
        summary="Ubah templat (hanya isian yang dikirim; penanda diperiksa)",
        request=TemplatInput(partial=True),
        responses=TemplatOutput,
    )
    def patch(self, request: Request, pk: int) -> Response:
        templat = _found(selectors.templat_get(pk=pk))
        ser = TemplatInput(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        with service_errors():
            templat = services.templat_ubah(templat=templat, data=dict(ser.validated_data))
        return Response(TemplatOutput(templat).data)


class PenandaApi(VillageAPIView):
    class OutputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "SuratPenanda"

        penanda = serializers.DictField(child=serializers.CharField())
        aturan_subjek = serializers.DictField(child=serializers.CharField())
        token_nomor = serializers.ListField(child=serializers.CharField())

    @extend_schema(
        operation_id="surat_penanda",
        tags=[TAG],
        summary="Penanda teks, aturan subjek dan token nomor yang dikenal",
        responses=OutputSerializer,
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "penanda": teks.PENANDA,
                "aturan_subjek": {k: v[0] for k, v in teks.ATURAN.items()},
                "token_nomor": list(teks.TOKEN_NOMOR),
            }
        )


class RiwayatOutput(serializers.Serializer[Any]):
    class Meta:
        ref_name = "SuratRiwayat"

    dari = serializers.CharField()
    ke = serializers.CharField()
    keterangan = serializers.CharField()
    petugas_nama = serializers.CharField()
    created_at = serializers.DateTimeField()


class LampiranOutput(serializers.Serializer[Any]):
    class Meta:
        ref_name = "SuratLampiran"

    id = serializers.IntegerField()
    kode_dokumen = serializers.CharField()
    jenis = serializers.CharField()
    ukuran = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class PermohonanOutput(serializers.Serializer[Permohonan]):
    class Meta:
        ref_name = "SuratPermohonan"

    id = serializers.IntegerField()
    templat = serializers.CharField(source="templat.kode")
    nama_surat = serializers.CharField(source="templat.nama")
    penduduk_id = serializers.IntegerField()
    isian = serializers.DictField(child=serializers.CharField())
    keperluan = serializers.CharField()
    kanal = serializers.ChoiceField(choices=Kanal.choices)
    status = serializers.CharField(
        help_text="diajukan | diperiksa | menunggu_ttd | siap_diambil | sudah_diambil | dibatalkan"
    )
    status_label = serializers.CharField(source="get_status_display")
    nomor = serializers.CharField()
    tanggal_surat = serializers.DateField(allow_null=True)
    berlaku_sampai = serializers.DateField(allow_null=True)
    dicabut = serializers.BooleanField()
    alasan_batal = serializers.CharField()
    diajukan_pada = serializers.DateTimeField()
    selesai_pada = serializers.DateTimeField(allow_null=True)


class PermohonanDetailOutput(PermohonanOutput):
    class Meta:
        ref_name = "SuratPermohonanDetail"

    riwayat = RiwayatOutput(many=True)
    lampiran = LampiranOutput(many=True)


class PermohonanListApi(VillageAPIView):
    class FilterSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "SuratPermohonanFilter"

        status = serializers.ChoiceField(choices=Status.choices, required=False)
        kanal = serializers.ChoiceField(choices=Kanal.choices, required=False)
        templat = serializers.IntegerField(required=False, help_text="id templat")
        q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="nama, awal NIK, nomor")

    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "SuratPermohonanInput"

        templat = serializers.CharField(max_length=40, help_text="kode templat, mis. ket-domisili")
        penduduk_id = serializers.IntegerField()
        isian = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=300), required=False)
        keperluan = serializers.CharField(max_length=300, allow_blank=True)
        kanal = serializers.ChoiceField(choices=Kanal.choices, required=False, default=Kanal.OPERATOR)

    @extend_schema(
        operation_id="surat_permohonan_list",
        tags=[TAG],
        summary="Antrean permohonan surat",
        parameters=[FilterSerializer],
        responses=PermohonanOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return self.paginated(selectors.permohonan_list(**filters.validated_data), PermohonanOutput)

    @extend_schema(
        operation_id="surat_permohonan_create",
        tags=[TAG],
        summary="Ajukan permohonan surat untuk penduduk",
        request=InputSerializer,
        responses={201: PermohonanOutput},
    )
    def post(self, request: Request) -> Response:
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        with service_errors():
            p = services.ajukan_permohonan(
                template_kode=data["templat"],
                penduduk_id=data["penduduk_id"],
                isian=data.get("isian") or {},
                keperluan=data["keperluan"],
                kanal=data["kanal"],
                oleh_user=_petugas(request),
            )
        return Response(PermohonanOutput(p).data, status=status.HTTP_201_CREATED)


class JumlahStatusApi(VillageAPIView):
    @extend_schema(
        operation_id="surat_permohonan_jumlah",
        tags=[TAG],
        summary="Jumlah permohonan per status",
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        return Response(selectors.jumlah_per_status())


class PermohonanDetailApi(VillageAPIView):
    @extend_schema(
        operation_id="surat_permohonan_detail",
        tags=[TAG],
        summary="Satu permohonan dengan riwayat dan lampiran",
        responses=PermohonanDetailOutput,
    )
    def get(self, request: Request, pk: int) -> Response:
        p = _found(selectors.permohonan_get(pk=pk))
        data = PermohonanOutput(p).data
        data["riwayat"] = RiwayatOutput(selectors.riwayat_of(p), many=True).data
        data["lampiran"] = LampiranOutput(p.lampiran.all(), many=True).data
        return Response(data)


class StatusApi(VillageAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "SuratStatusInput"

        ke = serializers.ChoiceField(
            choices=[s for s in Status.choices if s[0] != Status.DIAJUKAN],
            help_text="diperiksa → menunggu_ttd (memberi nomor) → siap_diambil (tanda tangan) → sudah_diambil; "
            "dibatalkan dengan alasan (surat bernomor menjadi dicabut).",
        )
        alasan = serializers.CharField(required=False, allow_blank=True, max_length=300)
        passphrase = serializers.CharField(required=False, allow_blank=True, max_length=200, write_only=True)

    @extend_schema(
        operation_id="surat_permohonan_status",
        tags=[TAG],
        summary="Pindahkan permohonan ke langkah berikutnya",
        request=InputSerializer,
        responses=PermohonanOutput,
    )
    def post(self, request: Request, pk: int) -> Response:
        p = _found(selectors.permohonan_get(pk=pk))
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            p = services.pindahkan_status(
                permohonan=p,
                ke=ser.validated_data["ke"],
                oleh=_petugas(request),
                alasan=ser.validated_data.get("alasan", ""),
                passphrase=ser.validated_data.get("passphrase", ""),
            )
        return Response(PermohonanOutput(selectors.permohonan_get(pk=p.pk)).data)


class LampiranApi(VillageAPIView):
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "SuratLampiranInput"

        kode_dokumen = serializers.CharField(max_length=40)
        berkas = serializers.FileField(help_text="JPEG, PNG atau PDF, maks. 5 MB")

    @extend_schema(
        operation_id="surat_permohonan_lampiran",
        tags=[TAG],
        summary="Lampirkan dokumen persyaratan",
        request={"multipart/form-data": InputSerializer},
        responses={201: LampiranOutput},
    )
    def post(self, request: Request, pk: int) -> Response:
        p = _found(selectors.permohonan_get(pk=pk))
        ser = self.InputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            lampiran = services.lampirkan_dokumen(
                permohonan=p, kode_dokumen=ser.validated_data["kode_dokumen"], berkas=ser.validated_data["berkas"]
            )
        return Response(LampiranOutput(lampiran).data, status=status.HTTP_201_CREATED)


class PdfApi(VillageAPIView):
    @extend_schema(
        operation_id="surat_permohonan_pdf",
        tags=[TAG],
        summary="PDF surat (setelah bernomor)",
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), 404: None},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        from tenants.surat.pdf import pdf_surat
        from tenants.surat.views import nama_berkas

        p = _found(selectors.permohonan_get(pk=pk))
        if not p.nomor:
            raise exceptions.NotFound()
        pdf = pdf_surat(p)
        akses_log_catat(penduduk=p.penduduk, petugas=_petugas(request), jalur="api", alasan=f"Cetak surat {p.nomor}")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{nama_berkas(p.nomor, p.pk)}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class AgendaApi(VillageAPIView):
    class FilterSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "SuratAgendaFilter"

        tahun = serializers.IntegerField(min_value=2000, max_value=2100)
        bulan = serializers.IntegerField(min_value=1, max_value=12, required=False)

    @extend_schema(
        operation_id="surat_agenda",
        tags=[TAG],
        summary="Buku agenda surat keluar (surat bernomor) per tahun/bulan",
        parameters=[FilterSerializer],
        responses=PermohonanOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return self.paginated(selectors.buku_agenda(**filters.validated_data), PermohonanOutput)
