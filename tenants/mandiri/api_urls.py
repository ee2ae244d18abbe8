"""REST API of layanan mandiri warga (village subdomain), under /api/layanan/."""

from django.urls import path

from tenants.mandiri import api

urlpatterns = [
    path("masuk/", api.MasukApi.as_view(), name="layanan-masuk"),
    path("keluar/", api.KeluarApi.as_view(), name="layanan-keluar"),
    path("saya/", api.SayaApi.as_view(), name="layanan-saya"),
    path("pin/", api.GantiPinApi.as_view(), name="layanan-pin"),
    path("lupa-pin/", api.ResetMintaApi.as_view(), name="layanan-reset-minta"),
    path("lupa-pin/kode/", api.ResetSelesaiApi.as_view(), name="layanan-reset-selesai"),
    path("templat/", api.TemplatListApi.as_view(), name="layanan-templat"),
    path("permohonan/", api.PermohonanListApi.as_view(), name="layanan-permohonan-list"),
    path("permohonan/<int:pk>/", api.PermohonanDetailApi.as_view(), name="layanan-permohonan-detail"),
    path("permohonan/<int:pk>/dokumen/", api.DokumenApi.as_view(), name="layanan-permohonan-dokumen"),
    path("permohonan/<int:pk>/pdf/", api.PdfApi.as_view(), name="layanan-permohonan-pdf"),
]
