"""REST API of population statistics (mounted at /api/penduduk/statistik/ on a village host). Reads only."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from platform_core.api.base import VillageAPIView
from tenants.penduduk import reference as ref
from tenants.penduduk.buku import GOLONGAN, KATEGORI, Periode, RekapBaris, rekap_bulanan
from tenants.penduduk.statistik import DEFINISI, SaringanStatus, statistik_rincian

TAG = "statistik"

STATUS_PARAM = OpenApiParameter(
    "status",
    str,
    description=(
        "Penduduk yang dihitung: `hidup` (bawaan), `semua`, atau kode status dasar "
        f"({', '.join(f'{v} {label}' for v, label in ref.StatusDasar.choices)})."
    ),
    required=False,
)


class StatistikListApi(VillageAPIView):
    class OutputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "StatistikRincianRingkas"

        kunci = serializers.CharField()
        judul = serializers.CharField()
        satuan = serializers.CharField(help_text="penduduk, keluarga, atau rumah tangga")

    @extend_schema(
        operation_id="statistik_list",
        tags=[TAG],
        summary="Daftar rincian statistik penduduk",
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(list(DEFINISI.values()), many=True).data)


class StatistikBarisSerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "StatistikBaris"

    kode = serializers.CharField(help_text='Kode SIAK; "" = belum mengisi, "?" = kode tidak dikenal')
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, popped from the class by DRF
    laki_laki = serializers.IntegerField()
    perempuan = serializers.IntegerField()
    jumlah = serializers.IntegerField()
    persen = serializers.FloatField()


class StatistikDetailApi(VillageAPIView):
    class OutputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "StatistikRincian"

        kunci = serializers.CharField()
        judul = serializers.CharField()
        satuan = serializers.CharField(source="definisi.satuan")
        dihitung = serializers.CharField(source="status_label", help_text="Penduduk yang dihitung")
        baris = StatistikBarisSerializer(many=True)
        total = StatistikBarisSerializer()

    @extend_schema(
        operation_id="statistik_detail",
        tags=[TAG],
        summary="Satu rincian statistik: baris per kode, laki-laki/perempuan/jumlah/persen",
        parameters=[STATUS_PARAM],
        responses=OutputSerializer,
    )
    def get(self, request: Request, kunci: str) -> Response:
        if kunci not in DEFINISI:
            raise exceptions.NotFound("Rincian statistik tidak dikenal. Lihat daftarnya di /api/penduduk/statistik/.")
        status = SaringanStatus.dari(request.query_params.get("status"))
        return Response(self.OutputSerializer(statistik_rincian(kunci=kunci, status=status)).data)


def _angka_serializer(name: str) -> serializers.Serializer[Any]:
    fields: dict[str, serializers.Field[Any, Any, Any, Any]] = {k: serializers.IntegerField() for k in KATEGORI}
    fields["jumlah"] = serializers.IntegerField()
    return inline_serializer(name, fields)


class StatistikRekapApi(VillageAPIView):
    class FilterSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "StatistikRekapFilter"

        bulan = serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=12,
            help_text="1-12; bawaan bulan ini",
            error_messages={
                "invalid": "Bulan harus angka 1-12.",
                "min_value": "Bulan 1-12.",
                "max_value": "Bulan 1-12.",
            },
        )
        tahun = serializers.IntegerField(
            required=False,
            min_value=1900,
            max_value=2200,
            help_text="bawaan tahun ini",
            error_messages={"invalid": "Tahun harus angka, mis. 2025."},
        )

    class OutputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "StatistikRekap"

        tahun = serializers.IntegerField()
        bulan = serializers.IntegerField()
        periode = serializers.CharField()
        baris = serializers.ListField(
            child=inline_serializer(
                "RekapDusun",
                {
                    "dusun": serializers.CharField(),
                    **{g: _angka_serializer(f"RekapAngka_{g}") for g, _ in GOLONGAN},
                    "jumlah_kk": serializers.IntegerField(),
                },
            )
        )
        total = serializers.DictField()

    @extend_schema(
        operation_id="statistik_rekap",
        tags=[TAG],
        summary="Rekapitulasi jumlah penduduk bulanan (Buku B.3) per dusun",
        description=(
            "awal + lahir + datang - mati - pindah = akhir, per kategori WNI/WNA laki-laki/perempuan. "
            "pindah mencakup pindah keluar, hilang, dan pergi. Jumlah KK dihitung per hari ini."
        ),
        parameters=[FilterSerializer],
        responses=OutputSerializer,
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        today = timezone.localdate()
        periode = Periode(
            tahun=filters.validated_data.get("tahun", today.year),
            bulan=filters.validated_data.get("bulan", today.month),
        )
        rekap = rekap_bulanan(periode=periode)

        def dump(row: RekapBaris) -> dict[str, Any]:
            out: dict[str, Any] = {"dusun": row.dusun}
            for g, _ in GOLONGAN:
                out[g] = {**row.angka[g], "jumlah": row.jumlah(g)}
            out["jumlah_kk"] = row.kk
            return out

        data = {
            "tahun": periode.tahun,
            "bulan": periode.bulan,
            "periode": periode.label,
            "baris": [dump(r) for r in rekap.baris],
            "total": dump(rekap.total),
        }
        return Response(self.OutputSerializer(data).data)
