from django.contrib import admin

from platform_core.wilayah.models import Kabupaten, Kecamatan, Provinsi

admin.site.register(Provinsi)


@admin.register(Kabupaten)
class KabupatenAdmin(admin.ModelAdmin[Kabupaten]):
    list_display = ["kode", "nama", "jenis", "sebutan_desa"]
    list_editable = ["sebutan_desa"]


@admin.register(Kecamatan)
class KecamatanAdmin(admin.ModelAdmin[Kecamatan]):
    list_display = ["kode", "nama", "kabupaten"]
    list_filter = ["kabupaten"]
    search_fields = ["nama", "kode"]
