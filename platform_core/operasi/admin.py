"""Read-only views of the migration state (written by `balai migrate` and provisioning only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from platform_core.operasi.models import MigrasiDesa, MigrasiUnit


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MigrasiDesa)
class MigrasiDesaAdmin(ReadOnly):
    list_display = ["schema_name", "status", "terakhir", "jumlah", "selesai", "galat"]
    list_filter = ["status"]
    search_fields = ["schema_name", "galat"]


@admin.register(MigrasiUnit)
class MigrasiUnitAdmin(ReadOnly):
    list_display = ["urutan", "app", "nama", "cara", "alasan", "dibuat"]
    list_filter = ["cara", "app"]
