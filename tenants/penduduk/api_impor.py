"""REST API for register imports (mounted at /api/penduduk/impor/): upload a file, follow its job.

One APIView per operation; the upload goes through the import service, the status through its selectors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from platform_core.accounts.models import User
from platform_core.api.base import VillageAPIView
from tenants.penduduk.impor.selectors import import_job_finished, import_job_get, import_job_progress
from tenants.penduduk.impor.services import import_job_create
from tenants.penduduk.models import ImportJob

TAG_IMPOR = "impor penduduk"


class IssueSerializer(serializers.Serializer[dict[str, Any]]):
    class Meta:
        ref_name = "ImporMasalah"

    baris = serializers.IntegerField(
        allow_null=True, help_text="Nomor baris di Excel (judul = baris 1); null = seluruh file."
    )
    kolom = serializers.CharField()
    pesan = serializers.CharField()


class ImportJobOutput(serializers.Serializer[ImportJob]):
    class Meta:
        ref_name = "ImporJob"

    id = serializers.IntegerField()
    nama_file = serializers.CharField()
    status = serializers.ChoiceField(choices=ImportJob.Status.choices)
    selesai = serializers.SerializerMethodField()
    persen = serializers.SerializerMethodField()
    total_baris = serializers.IntegerField()
    baris_diproses = serializers.IntegerField()
    penduduk_dibuat = serializers.IntegerField()
    keluarga_dibuat = serializers.IntegerField()
    pesan = serializers.CharField()
    galat = IssueSerializer(many=True, help_text="Galat yang menghentikan impor (tidak ada data yang disimpan).")
    peringatan = IssueSerializer(
        many=True, help_text="Peringatan: baris tetap diimpor, sebagian ditandai perlu diperiksa."
    )
    petugas_nama = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    def get_selesai(self, job: ImportJob) -> bool:
        return import_job_finished(job)

    def get_persen(self, job: ImportJob) -> int:
        return import_job_progress(job)


class ImportJobCreateApi(VillageAPIView):
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "ImporUnggah"

        file = serializers.FileField(
            help_text="Template OpenSID (.xlsm/.xlsx), template Balai (.xlsx) atau CSV dengan kolom yang sama.",
            error_messages={"required": "Pilih file yang akan diimpor.", "empty": "File kosong."},
        )

    @extend_schema(
        operation_id="penduduk_impor_create",
        tags=[TAG_IMPOR],
        summary="Unggah file penduduk untuk diimpor (diproses di latar belakang)",
        request={"multipart/form-data": InputSerializer},
        responses={
            202: inline_serializer(
                "ImporDiterima",
                {"id": serializers.IntegerField(), "status": serializers.CharField(), "url": serializers.CharField()},
            )
        },
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        try:
            job = import_job_create(
                upload=data.validated_data["file"], petugas=user if isinstance(user, User) else None
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc
        url = request.build_absolute_uri(f"{request.path.rstrip('/')}/{job.pk}/")
        return Response({"id": job.pk, "status": job.status, "url": url}, status=status.HTTP_202_ACCEPTED)


class ImportJobDetailApi(VillageAPIView):
    OutputSerializer = ImportJobOutput

    @extend_schema(
        operation_id="penduduk_impor_detail",
        tags=[TAG_IMPOR],
        summary="Status, kemajuan dan laporan satu impor",
        responses=OutputSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        job = import_job_get(pk=pk)
        if job is None:
            raise exceptions.NotFound()
        return Response(self.OutputSerializer(job).data)
