from django.contrib import admin

from platform_core.tenancy.models import Domain, Village


class DomainInline(admin.TabularInline[Domain, Village]):
    model = Domain
    extra = 0


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin[Village]):
    list_display = ["kode", "nama", "jenis", "kecamatan", "slug", "status"]
    list_filter = ["jenis", "status", "kecamatan__kabupaten"]
    search_fields = ["kode", "nama", "slug"]
    readonly_fields = ["schema_name", "kode", "created_at"]
    inlines = [DomainInline]
