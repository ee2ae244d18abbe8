"""Province staff manage villages and their domains here (apex domain only).

Villages are created by `balai provision` (template clone), never by the admin's
add form: a Village row without its schema would be a broken village.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from platform_core.tenancy.models import Domain, Village


class DomainInline(admin.TabularInline[Domain, Village]):
    model = Domain
    extra = 0


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin[Village]):
    list_display = ["kode", "nama", "jenis", "kecamatan", "slug", "status"]
    list_filter = ["jenis", "status", "kecamatan__kabupaten"]
    search_fields = ["kode", "nama", "slug"]
    list_select_related = ["kecamatan"]
    readonly_fields = ["schema_name", "kode", "nama", "jenis", "kecamatan", "slug", "created_at"]
    inlines = [DomainInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Village | None = None) -> bool:
        return False
