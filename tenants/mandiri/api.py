"""REST API of layanan mandiri for residents (an Android app), under /api/layanan/ on a village subdomain.

Residents are not operators, so these views are not VillageAPIView. WargaAPIView fixes its own scoping
the same way (subclasses may not override it): the only authentication is a resident token
(`Authorization: Bearer …` from POST masuk/, see tenants.mandiri.akses) — no operator session, no
Basic auth, no cookie — and the permission requires a resident of the village of the request host.
Every request lookup goes through permohonan_warga(<the token's resident>): another resident's id is 404.
The public endpoints (sign-in, PIN reset) authenticate nobody and give the same answer for every NIK.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpResponse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from platform_core.api.errors import service_errors
from tenants.mandiri import akses, services, throttle
from tenants.mandiri.akses import IsWarga, SiapaSaja, Warga, WargaTokenAuthentication
from tenants.surat.models import Permohonan, Status
from tenants.surat.selectors import pdf_untuk_warga, permohonan_warga, template_layanan

TAG = "layanan mandiri"
PROTECTED = (
    "initial",
    "get_permissions",
    "check_permissions",
    "check_object_permissions",
    "get_authenticators",
    "perform_authentication",
    "permission_classes",
    "authentication_classes",
)


class GantiPinWajib(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "PIN sekali pakai harus diganti dulu (POST /api/layanan/pin/)."
    default_code = "ganti_pin_wajib"


class Terkunci(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = throttle.PESAN_TERKUNCI
    default_code = "terkunci"


class _IsWarga(IsWarga):
    def has_permission(self, request: Request, view: Any) -> bool:
        try:
            return super().has_permission(request, view)
        except exceptions.PermissionDenied as exc:
            raise GantiPinWajib() from exc


class _Base(generics.GenericAPIView):  # type: ignore[type-arg]  # generic over each subclass's model
    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__ == __name__ and cls.__name__ in {"WargaAPIView", "PublikAPIView"}:
            return
        for name in PROTECTED:
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} may not override {name}; resident scoping lives in the base class")


class WargaAPIView(_Base):
    """A signed-in resident of this village (token), reaching only their own data."""

    authentication_classes: ClassVar[list[type[BaseAuthentication]]] = [WargaTokenAuthentication]  # type: ignore[misc]
    permission_classes: ClassVar[list[type[BasePermission]]] = [_IsWarga]  # type: ignore[misc]
    boleh_saat_wajib_ganti_pin = False

    @property
    def warga(self) -> Warga:
        user = self.request.user
        assert isinstance(user, Warga)  # guaranteed by IsWarga
        return user

    def paginated(self, queryset: Any, output: type[serializers.BaseSerializer[Any]]) -> Response:
        page = self.paginate_queryset(queryset)
        assert page is not None
        return self.get_paginated_response(output(page, many=True).data)


class PublikAPIView(_Base):
    """Sign-in and reset: nobody is authenticated (no session, so no CSRF), village host only."""

    authentication_classes: ClassVar[list[type[BaseAuthentication]]] = []  # type: ignore[misc]
    permission_classes: ClassVar[list[type[BasePermission]]] = [SiapaSaja]  # type: ignore[misc]


class WargaTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "tenants.mandiri.akses.WargaTokenAuthentication"
    name = "tokenWarga"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token warga dari POST /api/layanan/masuk/ (NIK + PIN). Berlaku 30 hari; "
            "batal saat PIN diganti/direset/dicabut atau POST /api/layanan/keluar/.",
        }


def _addr(request: Request) -> str:
    return throttle.alamat(request._request)


# --- sign-in, PIN -------------------------------------------------------------------------------


class MasukApi(PublikAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "LayananMasukInput"

        nik = serializers.RegexField(r"^\d{16}$", error_messages={"invalid": "NIK adalah 16 angka."})
        pin = serializers.RegexField(r"^\d{6}$", error_messages={"invalid": "PIN adalah 6 angka."})

    class OutputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "LayananMasuk"

        token = serializers.CharField()
        berlaku_detik = serializers.IntegerField()
        wajib_ganti_pin = serializers.BooleanField()

    @extend_schema(
        tags=[TAG],
        auth=[],
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(description="NIK atau PIN tidak cocok (jawaban sama untuk setiap NIK)."),
            429: OpenApiResponse(description="Terlalu banyak percobaan untuk NIK ini atau dari alamat ini."),
        },
        summary="Masuk dengan NIK + PIN: token untuk aplikasi",
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            row = services.masuk(nik=data.validated_data["nik"], pin=data.validated_data["pin"], addr=_addr(request))
        except services.WargaTerkunci as exc:
            raise Terkunci() from exc
        if row is None:
            raise exceptions.ValidationError({"non_field_errors": [services.PESAN_MASUK_GAGAL]})
        village = akses.village_of(request._request)
        assert village is not None
        token = akses.token_buat(pin_warga=row, village=village)
        out = {"token": token, "berlaku_detik": akses.TOKEN_BERLAKU_DETIK, "wajib_ganti_pin": row.sekali_pakai}
        return Response(self.OutputSerializer(out).data)


class KeluarApi(WargaAPIView):
    boleh_saat_wajib_ganti_pin = True

    @extend_schema(
        tags=[TAG], request=None, responses={204: None}, summary="Keluar di semua perangkat (semua token batal)"
    )
    def post(self, request: Request) -> Response:
        services.sesi_cabut(pin_warga=self.warga.pin_warga)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SayaApi(WargaAPIView):
    boleh_saat_wajib_ganti_pin = True

    class OutputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "LayananSaya"

        nama = serializers.CharField()
        nik_samaran = serializers.CharField()
        wajib_ganti_pin = serializers.BooleanField()
        desa = serializers.CharField()

    @extend_schema(tags=[TAG], responses=OutputSerializer, summary="Warga yang sedang masuk")
    def get(self, request: Request) -> Response:
        p = self.warga.penduduk
        village = akses.village_of(request._request)
        out = {
            "nama": p.nama,
            "nik_samaran": p.nik[:6] + "******" + p.nik[-4:],
            "wajib_ganti_pin": self.warga.wajib_ganti_pin,
            "desa": f"{village.sebutan} {village.nama}" if village else "",
        }
        return Response(self.OutputSerializer(out).data)


class GantiPinApi(WargaAPIView):
    boleh_saat_wajib_ganti_pin = True

    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "LayananGantiPinInput"

        pin_lama = serializers.CharField(max_length=6)
        pin_baru = serializers.CharField(max_length=6)
        pin_ulang = serializers.CharField(max_length=6)

    class OutputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "LayananGantiPin"

        token = serializers.CharField()

    @extend_schema(
        tags=[TAG],
        request=InputSerializer,
        responses={200: OutputSerializer},
        summary="Ganti PIN (wajib setelah PIN sekali pakai); token lama batal, ini token baru",
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            row = services.pin_ganti(pin_warga=self.warga.pin_warga, **data.validated_data)
        village = akses.village_of(request._request)
        assert village is not None
        return Response(self.OutputSerializer({"token": akses.token_buat(pin_warga=row, village=village)}).data)


class ResetMintaApi(PublikAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "LayananResetMintaInput"

        nik = serializers.RegexField(r"^\d{16}$", error_messages={"invalid": "NIK adalah 16 angka."})

    @extend_schema(
        tags=[TAG],
        auth=[],
        request=InputSerializer,
        responses={
            202: inline_serializer("ResetDiterima", {"detail": serializers.CharField()}),
            429: OpenApiResponse(description="Kode terlalu sering diminta."),
        },
        summary="Lupa PIN: kirim kode ke HP terverifikasi (jawaban sama untuk setiap NIK)",
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.reset_minta(nik=data.validated_data["nik"], addr=_addr(request))
        except services.WargaTerkunci as exc:
            raise Terkunci(throttle.PESAN_RESET_TERLALU_SERING) from exc
        detail = (
            "Permintaan diterima. Bila NIK ini punya nomor HP terverifikasi, kode 6 angka dikirim ke nomor itu "
            "dan berlaku 15 menit."
        )
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class ResetSelesaiApi(PublikAPIView):
    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "LayananResetSelesaiInput"

        nik = serializers.RegexField(r"^\d{16}$", error_messages={"invalid": "NIK adalah 16 angka."})
        kode = serializers.RegexField(r"^\d{6}$", error_messages={"invalid": "Kode adalah 6 angka."})
        pin_baru = serializers.CharField(max_length=6)
        pin_ulang = serializers.CharField(max_length=6)

    @extend_schema(
        tags=[TAG],
        auth=[],
        request=InputSerializer,
        responses={204: None, 400: OpenApiResponse(description="Kode tidak cocok/kedaluwarsa atau PIN ditolak.")},
        summary="Lupa PIN: kode + PIN baru",
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            with service_errors():
                services.reset_selesaikan(**data.validated_data, addr=_addr(request))
        except services.WargaTerkunci as exc:
            raise Terkunci() from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- letters ----------------------------------------------------------------------------------------


class IsianSerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "LayananIsian"

    nama = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the field is called label
    wajib = serializers.BooleanField()


class DokumenSerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "LayananDokumen"

    kode = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the field is called label


class TemplatListApi(WargaAPIView):
    class OutputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "LayananTemplatList"

        kode = serializers.CharField()
        nama = serializers.CharField()
        isian = IsianSerializer(many=True)
        dokumen = DokumenSerializer(many=True)

    @extend_schema(tags=[TAG], responses=OutputSerializer(many=True), summary="Jenis surat yang bisa diajukan")
    def get(self, request: Request) -> Response:
        return self.paginated(template_layanan(), self.OutputSerializer)


class RiwayatSerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "LayananRiwayat"

    status = serializers.CharField(source="ke")
    label = serializers.CharField(source="get_ke_display")  # type: ignore[assignment]  # the field is called label
    waktu = serializers.DateTimeField(source="created_at")


class PermohonanSerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "LayananPermohonan"

    id = serializers.IntegerField()
    templat = serializers.CharField(source="templat.kode")
    nama_surat = serializers.CharField(source="templat.nama")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    kanal = serializers.CharField()
    keperluan = serializers.CharField()
    nomor = serializers.CharField()
    diajukan_pada = serializers.DateTimeField()
    berlaku_sampai = serializers.DateField(allow_null=True)
    dicabut = serializers.BooleanField()
    pdf_tersedia = serializers.SerializerMethodField()

    def get_pdf_tersedia(self, p: Permohonan) -> bool:
        return p.status in (Status.SIAP_DIAMBIL, Status.SUDAH_DIAMBIL) and not p.dicabut


class PermohonanDetailSerializer(PermohonanSerializer):
    class Meta:
        ref_name = "LayananPermohonanDetail"

    isian = serializers.DictField(child=serializers.CharField())
    alasan_batal = serializers.CharField()
    riwayat = RiwayatSerializer(many=True, source="riwayat.all")
    lampiran = serializers.SerializerMethodField()

    def get_lampiran(self, p: Permohonan) -> list[str]:
        return [lamp.kode_dokumen for lamp in p.lampiran.all()]


class PermohonanListApi(WargaAPIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "LayananPermohonanListInput"

        templat = serializers.CharField(max_length=40)
        keperluan = serializers.CharField(max_length=300)
        isian = serializers.DictField(child=serializers.CharField(max_length=200, allow_blank=True), required=False)

    @extend_schema(tags=[TAG], responses=PermohonanSerializer(many=True), summary="Permohonan saya")
    def get(self, request: Request) -> Response:
        return self.paginated(permohonan_warga(self.warga.penduduk_id), PermohonanSerializer)

    @extend_schema(
        tags=[TAG],
        request=InputSerializer,
        responses={201: PermohonanDetailSerializer},
        summary="Ajukan surat (dokumen menyusul lewat …/dokumen/)",
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        with service_errors():
            p = services.permohonan_ajukan(
                penduduk_id=self.warga.penduduk_id,
                template_kode=v["templat"],
                isian=v.get("isian") or {},
                keperluan=v["keperluan"],
                kanal=self.warga.kanal,
                berkas={},
                dokumen_wajib=False,
            )
        p = permohonan_warga(self.warga.penduduk_id).get(pk=p.pk)
        return Response(PermohonanDetailSerializer(p).data, status=status.HTTP_201_CREATED)


class _Milik(WargaAPIView):
    def permohonan(self, pk: int) -> Permohonan:
        found = permohonan_warga(self.warga.penduduk_id).filter(pk=pk).first()
        if found is None:
            raise exceptions.NotFound()
        return found


class PermohonanDetailApi(_Milik):
    @extend_schema(tags=[TAG], responses=PermohonanDetailSerializer, summary="Status dan riwayat satu permohonan")
    def get(self, request: Request, pk: int) -> Response:
        return Response(PermohonanDetailSerializer(self.permohonan(pk)).data)


class DokumenApi(_Milik):
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "LayananDokumenInput"

        kode_dokumen = serializers.CharField(max_length=40)
        berkas = serializers.FileField(help_text="JPG, PNG atau PDF, paling besar 5 MB (diperiksa dari isinya).")

    @extend_schema(
        tags=[TAG],
        request={"multipart/form-data": InputSerializer},
        responses={201: PermohonanDetailSerializer},
        summary="Unggah dokumen persyaratan",
    )
    def post(self, request: Request, pk: int) -> Response:
        p = self.permohonan(pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.dokumen_susulan(
                penduduk_id=self.warga.penduduk_id,
                permohonan_id=p.pk,
                kode_dokumen=data.validated_data["kode_dokumen"],
                berkas=data.validated_data["berkas"],
            )
        return Response(PermohonanDetailSerializer(self.permohonan(pk)).data, status=status.HTTP_201_CREATED)


class PdfApi(_Milik):
    @extend_schema(
        tags=[TAG],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: OpenApiResponse(description="Belum siap.")},
        summary="Unduh surat yang sudah jadi (PDF)",
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        p = self.permohonan(pk)
        pdf = pdf_untuk_warga(permohonan_id=p.pk, penduduk_id=self.warga.penduduk_id)
        if pdf is None:
            raise exceptions.NotFound("Surat belum siap.")
        response = HttpResponse(pdf, content_type="application/pdf")
        response.headers["Content-Disposition"] = f'attachment; filename="surat-{p.templat.kode}-{p.pk}.pdf"'
        return response
