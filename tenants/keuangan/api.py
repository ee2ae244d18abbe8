"""REST API of village finance (mounted at /api/keuangan/ on a village host), for the village's operators.

One APIView per resource; writes go through services (Indonesian ValidationErrors become 400), reads
through selectors. Every handler starts with `self.desa()`: kelurahan have no APBDes (404 with the reason).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from platform_core.accounts.models import User
from platform_core.api.base import VillageAPIView
from platform_core.api.errors import validasi_api
from tenants.keuangan import selectors, services
from tenants.keuangan.models import Apbdes, BarisAnggaran, ImporSiskeudes, Transaksi
from tenants.keuangan.siskeudes import impor

TAG = "keuangan desa"


def _uang(**kw: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=15, decimal_places=2, **kw)


class TotalSerializer(serializers.Serializer[dict[str, Any]]):
    class Meta:
        ref_name = "KeuanganTotal"

    pendapatan = _uang()
    belanja = _uang()
    surplus_defisit = _uang()
    pembiayaan_penerimaan = _uang()
    pembiayaan_pengeluaran = _uang()
    pembiayaan_netto = _uang()
    silpa = _uang()


class ApbdesOutput(serializers.Serializer[Apbdes]):
    class Meta:
        ref_name = "Apbdes"

    id = serializers.IntegerField()
    tahun = serializers.IntegerField()
    versi = serializers.IntegerField()
    versi_label = serializers.CharField(source="label")
    status = serializers.CharField()
    nomor_perdes = serializers.CharField()
    tanggal_penetapan = serializers.DateField(allow_null=True)
    asal = serializers.CharField()
    catatan = serializers.CharField()
    updated_at = serializers.DateTimeField()


class BarisOutput(serializers.Serializer[BarisAnggaran]):
    class Meta:
        ref_name = "BarisAnggaran"

    id = serializers.IntegerField()
    apbdes = serializers.IntegerField(source="apbdes_id")
    kode_rekening = serializers.CharField()
    kode_kegiatan = serializers.CharField()
    sumber_dana = serializers.CharField()
    uraian = serializers.CharField()
    jumlah = _uang()


class BarisInput(serializers.Serializer[Any]):
    class Meta:
        ref_name = "BarisAnggaranInput"

    kode_rekening = serializers.CharField(help_text="Kode obyek Permendagri 20/2018, mis. 5.2.1.01")
    kode_kegiatan = serializers.CharField(required=False, allow_blank=True, default="", help_text="BB.SS.KK (belanja)")
    sumber_dana = serializers.CharField(help_text="DDS, ADD, PBH, PAD, BKP, BKK, PLL, SILPA")
    uraian = serializers.CharField(required=False, allow_blank=True, default="")
    jumlah = serializers.CharField(help_text="Rupiah, mis. 1250000 atau 1.250.000")


class TransaksiOutput(serializers.Serializer[Transaksi]):
    class Meta:
        ref_name = "TransaksiKeuangan"

    id = serializers.IntegerField()
    tahun = serializers.IntegerField()
    tanggal = serializers.DateField()
    kode_rekening = serializers.CharField()
    kode_kegiatan = serializers.CharField()
    sumber_dana = serializers.CharField()
    jumlah = _uang()
    uraian = serializers.CharField()
    no_bukti = serializers.CharField()
    asal = serializers.CharField()


class TransaksiInput(BarisInput):
    class Meta:
        ref_name = "TransaksiKeuanganInput"

    tanggal = serializers.DateField()
    no_bukti = serializers.CharField(required=False, allow_blank=True, default="")


class ImporOutput(serializers.Serializer[ImporSiskeudes]):
    class Meta:
        ref_name = "ImporSiskeudes"

    id = serializers.IntegerField()
    tahun = serializers.IntegerField()
    nama_file = serializers.CharField()
    status = serializers.CharField()
    tahap = serializers.CharField()
    persen = serializers.IntegerField()
    pesan = serializers.CharField()
    laporan = serializers.JSONField(help_text="{galat: [{tabel, baris, pesan}], peringatan: [...], ringkasan}")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class KelurahanTanpaApbdes(exceptions.APIException):
    """404 that keeps its reason (the API's error handler rewrites NotFound to a bare "Tidak ditemukan.")."""

    status_code = status.HTTP_404_NOT_FOUND
    default_detail = services.PESAN_KELURAHAN
    default_code = "kelurahan_tanpa_apbdes"


class KeuanganAPIView(VillageAPIView):
    def desa(self) -> None:
        if not self.village.is_desa:
            raise KelurahanTanpaApbdes()

    def petugas(self) -> User | None:
        user = self.request.user
        return user if isinstance(user, User) else None


def _apbdes(pk: int) -> Apbdes:
    apbdes = selectors.apbdes_get(pk)
    if apbdes is None:
        raise exceptions.NotFound()
    return apbdes


class TahunListApi(KeuanganAPIView):
    @extend_schema(
        operation_id="keuangan_tahun_list",
        tags=[TAG],
        summary="Tahun anggaran: versi berlaku, total dan realisasi",
        responses=inline_serializer(
            "KeuanganTahun",
            {
                "tahun": serializers.IntegerField(),
                "apbdes_berlaku": ApbdesOutput(allow_null=True),
                "anggaran": TotalSerializer(allow_null=True),
                "realisasi": TotalSerializer(),
            },
            many=True,
        ),
    )
    def get(self, request: Request) -> Response:
        self.desa()
        out = []
        for tahun in selectors.tahun_semua():
            berlaku = selectors.apbdes_berlaku(tahun)
            out.append(
                {
                    "tahun": tahun,
                    "apbdes_berlaku": ApbdesOutput(berlaku).data if berlaku else None,
                    "anggaran": TotalSerializer(selectors.total_apbdes(berlaku)).data if berlaku else None,
                    "realisasi": TotalSerializer(selectors.total_realisasi(tahun)).data,
                }
            )
        return Response(out)


class ApbdesListApi(KeuanganAPIView):
    @extend_schema(
        operation_id="keuangan_apbdes_list",
        tags=[TAG],
        summary="Versi APBDes (awal dan perubahan)",
        parameters=[OpenApiParameter("tahun", int, required=False)],
        responses=ApbdesOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        self.desa()
        tahun = request.query_params.get("tahun")
        qs = selectors.apbdes_list(int(tahun) if tahun and tahun.isdigit() else None)
        return self.paginated(qs, ApbdesOutput)

    @extend_schema(
        operation_id="keuangan_apbdes_create",
        tags=[TAG],
        summary="Buat APBDes awal (draf) untuk tahun baru, atau perubahan bila {perubahan: true}",
        request=inline_serializer(
            "ApbdesBaru", {"tahun": serializers.IntegerField(), "perubahan": serializers.BooleanField(default=False)}
        ),
        responses={201: ApbdesOutput},
    )
    def post(self, request: Request) -> Response:
        self.desa()
        try:
            tahun = int(str(request.data.get("tahun", "")))
        except (TypeError, ValueError):
            raise exceptions.ValidationError({"tahun": ["Isi tahun anggaran."]}) from None
        try:
            if str(request.data.get("perubahan", "")).lower() in ("1", "true"):
                apbdes = services.apbdes_perubahan(tahun=tahun)
            else:
                apbdes = services.apbdes_buat(tahun=tahun)
        except DjangoValidationError as exc:
            raise validasi_api(exc) from exc
        return Response(ApbdesOutput(apbdes).data, status=status.HTTP_201_CREATED)


class ApbdesDetailApi(KeuanganAPIView):
    @extend_schema(
        operation_id="keuangan_apbdes_detail",
        tags=[TAG],
        summary="Satu versi APBDes dengan totalnya (dihitung)",
        responses=inline_serializer("ApbdesDetail", {"apbdes": ApbdesOutput(), "total": TotalSerializer()}),
    )
    def get(self, request: Request, pk: int) -> Response:
        self.desa()
        apbdes = _apbdes(pk)
        return Response(
            {"apbdes": ApbdesOutput(apbdes).data, "total": TotalSerializer(selectors.total_apbdes(apbdes)).data}
        )

    @extend_schema(operation_id="keuangan_apbdes_delete", tags=[TAG], summary="Hapus draf", responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        self.desa()
        try:
            services.apbdes_hapus(apbdes=_apbdes(pk))
        except DjangoValidationError as exc:
            raise validasi_api(exc) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApbdesTetapkanApi(KeuanganAPIView):
    @extend_schema(
        operation_id="keuangan_apbdes_tetapkan",
        tags=[TAG],
        summary="Tetapkan draf APBDes (menjadi anggaran berlaku; tidak dapat diubah lagi)",
        request=inline_serializer(
            "ApbdesTetapkan", {"nomor_perdes": serializers.CharField(), "tanggal_penetapan": serializers.DateField()}
        ),
        responses=ApbdesOutput,
    )
    def post(self, request: Request, pk: int) -> Response:
        self.desa()

        class Input(serializers.Serializer[Any]):
            nomor_perdes = serializers.CharField()
            tanggal_penetapan = serializers.DateField()

        data = Input(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            apbdes = services.apbdes_tetapkan(apbdes=_apbdes(pk), **data.validated_data)
        except DjangoValidationError as exc:
            raise validasi_api(exc) from exc
        return Response(ApbdesOutput(apbdes).data)


class BarisListApi(KeuanganAPIView):
    @extend_schema(
        operation_id="keuangan_baris_list",
        tags=[TAG],
        summary="Baris anggaran satu versi",
        responses=BarisOutput(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        self.desa()
        return self.paginated(selectors.baris_list(_apbdes(pk)), BarisOutput)

    @extend_schema(
        operation_id="keuangan_baris_create",
        tags=[TAG],
        summary="Tambah baris anggaran (hanya draf)",
        request=BarisInput,
        responses={201: BarisOutput},
    )
    def post(self, request: Request, pk: int) -> Response:
        self.desa()
        data = BarisInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            baris = services.baris_simpan(apbdes=_apbdes(pk), **data.validated_data)
        except DjangoValidationError as exc:
            raise validasi_api(exc) from exc
        return Response(BarisOutput(baris).data, status=status.HTTP_201_CREATED)


def _baris(pk: int) -> BarisAnggaran:
    baris = BarisAnggaran.objects.select_related("apbdes").filter(pk=pk).first()
    if baris is None:
        raise exceptions.NotFound()
    return baris


class BarisDetailApi(KeuanganAPIView):
    @extend_schema(
        operation_id="keuangan_baris_detail", tags=[TAG], summary="Satu baris anggaran", responses=BarisOutput
    )
    def get(self, request: Request, pk: int) -> Response:
        self.desa()
        return Response(BarisOutput(_baris(pk)).data)

    @extend_schema(
        operation_id="keuangan_baris_update",
        tags=[TAG],
        summary="Ubah baris anggaran (hanya draf)",
        request=BarisInput,
        responses=BarisOutput,
    )
    def put(self, request: Request, pk: int) -> Response:
        self.desa()
        baris = _baris(pk)
        data = BarisInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            baris = services.baris_simpan(apbdes=baris.apbdes, baris=baris, **data.validated_data)
        except DjangoValidationError as exc:
            raise validasi_api(exc) from exc
        return Response(BarisOutput(baris).data)

    @extend_schema(
        operation_id="keuangan_baris_delete", tags=[TAG], summary="Hapus baris (hanya draf)", responses={204: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        self.desa()
        try:
            services.baris_hapus(baris=_baris(pk))
        except DjangoValidationError as exc:
            raise validasi_api(exc) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class TransaksiListApi(KeuanganAPIView):
    @extend_schema(
        operation_id="keuangan_transaksi_list",
        tags=[TAG],
        summary="Transaksi realisasi satu tahun",
        parameters=[
            OpenApiParameter("tahun", int, required=True),
            OpenApiParameter("jenis", str, required=False, description="4 pendapatan, 5 belanja, 6 pembiayaan"),
        ],
        responses=TransaksiOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        self.desa()
        tahun = request.query_params.get("tahun", "")
        if not tahun.isdigit():
            raise exceptions.ValidationError({"tahun": ["Isi parameter tahun, mis. ?tahun=2025."]})
        qs = selectors.transaksi_list(int(tahun), jenis=request.query_params.get("jenis", ""))
        return self.paginated(qs, TransaksiOutput)

    @extend_schema(
        operation_id="keuangan_transaksi_create",
        tags=[TAG],
        summary="Catat realisasi pada baris anggaran yang berlaku",
        request=TransaksiInput,
        responses={201: TransaksiOutput},
    )
    def post(self, request: Request) -> Response:
        self.desa()
        data = TransaksiInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            trx = services.transaksi_simpan(tahun=v["tanggal"].year, **v)
        except DjangoValidationError as exc:
            raise validasi_api(exc) from exc
        return Response(TransaksiOutput(trx).data, status=status.HTTP_201_CREATED)


def _transaksi(pk: int) -> Transaksi:
    trx = Transaksi.objects.filter(pk=pk).first()
    if trx is None:
        raise exceptions.NotFound()
    return trx


class TransaksiDetailApi(KeuanganAPIView):
    @extend_schema(
        operation_id="keuangan_transaksi_detail", tags=[TAG], summary="Satu transaksi", responses=TransaksiOutput
    )
    def get(self, request: Request, pk: int) -> Response:
        self.desa()
        return Response(TransaksiOutput(_transaksi(pk)).data)

    @extend_schema(
        operation_id="keuangan_transaksi_update", tags=[TAG], summary="Ubah transaksi", request=TransaksiInput,
        responses=TransaksiOutput,
    )  # fmt: skip
    def put(self, request: Request, pk: int) -> Response:
        self.desa()
        trx = _transaksi(pk)
        data = TransaksiInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            trx = services.transaksi_simpan(tahun=trx.tahun, transaksi=trx, **data.validated_data)
        except DjangoValidationError as exc:
            raise validasi_api(exc) from exc
        return Response(TransaksiOutput(trx).data)

    @extend_schema(
        operation_id="keuangan_transaksi_delete", tags=[TAG], summary="Hapus transaksi", responses={204: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        self.desa()
        try:
            services.transaksi_hapus(transaksi=_transaksi(pk))
        except DjangoValidationError as exc:
            raise validasi_api(exc) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


def laporan_data(lap: selectors.Laporan) -> dict[str, Any]:
    return {
        "tahun": lap.tahun,
        "periode": lap.periode,
        "per": lap.per,
        "judul": lap.judul,
        "versi": lap.apbdes.label if lap.apbdes else None,
        "sampai": lap.sampai.isoformat(),
        "baris": [
            {
                "kode": r.kode,
                "uraian": r.uraian,
                "tingkat": r.tingkat,
                "anggaran": str(r.anggaran),
                "realisasi": str(r.realisasi),
                "lebih_kurang": str(r.selisih),
                "persen": str(r.persen) if r.persen is not None else None,
            }
            for r in lap.baris
        ],
    }


class LaporanApi(KeuanganAPIView):
    @extend_schema(
        operation_id="keuangan_laporan",
        tags=[TAG],
        summary="Laporan realisasi (uraian, anggaran, realisasi, lebih/(kurang), %)",
        parameters=[
            OpenApiParameter("periode", str, enum=["semester1", "tahun"], required=False),
            OpenApiParameter("per", str, enum=["rekening", "bidang"], required=False),
        ],
        responses=inline_serializer(
            "LaporanRealisasi", {"judul": serializers.CharField(), "baris": serializers.JSONField()}
        ),
    )
    def get(self, request: Request, tahun: int) -> Response:
        self.desa()
        lap = selectors.laporan_realisasi(
            tahun, periode=request.query_params.get("periode", "tahun"), per=request.query_params.get("per", "rekening")
        )
        return Response(laporan_data(lap))


class ImporCreateApi(KeuanganAPIView):
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "ImporSiskeudesUnggah"

        tahun = serializers.IntegerField(min_value=2015, max_value=2100)
        file = serializers.FileField(help_text="Arsip .zip ekspor Siskeudes (CSV per tabel)")

    @extend_schema(
        operation_id="keuangan_impor_create",
        tags=[TAG],
        summary="Unggah ekspor Siskeudes untuk diimpor (diproses di latar belakang, semua atau tidak sama sekali)",
        request={"multipart/form-data": InputSerializer},
        responses={202: ImporOutput},
    )
    def post(self, request: Request) -> Response:
        self.desa()
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            job = impor.impor_buat(
                upload=data.validated_data["file"], tahun=data.validated_data["tahun"], petugas=self.petugas()
            )
        except DjangoValidationError as exc:
            raise validasi_api(exc) from exc
        return Response(ImporOutput(job).data, status=status.HTTP_202_ACCEPTED)


class ImporDetailApi(KeuanganAPIView):
    @extend_schema(
        operation_id="keuangan_impor_detail", tags=[TAG], summary="Status dan laporan impor", responses=ImporOutput
    )
    def get(self, request: Request, pk: int) -> Response:
        self.desa()
        job = ImporSiskeudes.objects.filter(pk=pk).first()
        if job is None:
            raise exceptions.NotFound()
        return Response(ImporOutput(job).data)
