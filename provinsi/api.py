"""Province API (apex): reference data about villages, scoped to the caller's region."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from platform_core.api.base import ProvinceAPIView
from platform_core.tenancy.models import Village


class VillageListApi(ProvinceAPIView):
    class OutputSerializer(serializers.ModelSerializer[Village]):
        class Meta:
            model = Village
            fields = ["kode", "nama", "jenis", "slug", "status"]

    serializer_class = OutputSerializer

    def get_queryset(self) -> QuerySet[Village]:
        return self.scope_villages(Village.objects.order_by("kode"))

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.paginated(self.get_queryset(), self.OutputSerializer)
