"""REST API of the population register, scoped to the village of the request host."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from platform_core.api.base import VillageAPIView
from tenants.penduduk.models import Keluarga, Penduduk
from tenants.penduduk.selectors import keluarga_list, penduduk_list


class PendudukSerializer(serializers.ModelSerializer[Penduduk]):
    class Meta:
        model = Penduduk
        exclude = ["created_at", "updated_at"]


class KeluargaSerializer(serializers.ModelSerializer[Keluarga]):
    class Meta:
        model = Keluarga
        exclude = ["created_at", "updated_at"]


class PendudukListCreateApi(VillageAPIView):
    serializer_class = PendudukSerializer

    def get_queryset(self) -> QuerySet[Penduduk]:
        return penduduk_list(q=self.request.query_params.get("q", ""))

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PendudukSerializer(page, many=True).data)

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = PendudukSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        ser.save()
        return Response(ser.data, status=status.HTTP_201_CREATED)


class PendudukDetailApi(VillageAPIView):
    serializer_class = PendudukSerializer

    def get_queryset(self) -> QuerySet[Penduduk]:
        return penduduk_list()

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(PendudukSerializer(self.get_object()).data)


class KeluargaListCreateApi(VillageAPIView):
    serializer_class = KeluargaSerializer

    def get_queryset(self) -> QuerySet[Keluarga]:
        return keluarga_list()

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(KeluargaSerializer(page, many=True).data)
