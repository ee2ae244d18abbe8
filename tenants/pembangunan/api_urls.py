"""REST API of pembangunan dan transparansi (mounted at /api/pembangunan/ on a village host)."""

from django.urls import path

from tenants.pembangunan import api

urlpatterns = [
    path("kegiatan/", api.ProyekListApi.as_view(), name="pembangunan-kegiatan-list"),
    path("kegiatan/create/", api.ProyekCreateApi.as_view(), name="pembangunan-kegiatan-create"),
    path("kegiatan/<int:pk>/", api.ProyekDetailApi.as_view(), name="pembangunan-kegiatan-detail"),
    path("kegiatan/<int:pk>/update/", api.ProyekUpdateApi.as_view(), name="pembangunan-kegiatan-update"),
    path("kegiatan/<int:pk>/progres/", api.ProgresCreateApi.as_view(), name="pembangunan-kegiatan-progres"),
    path("kegiatan/<int:pk>/delete/", api.ProyekDeleteApi.as_view(), name="pembangunan-kegiatan-delete"),
    path("dokumen/", api.DokumenListApi.as_view(), name="pembangunan-dokumen-list"),
    path("pengaduan/", api.PengaduanListApi.as_view(), name="pembangunan-pengaduan-list"),
    path("pengaduan/<int:pk>/jawab/", api.PengaduanJawabApi.as_view(), name="pembangunan-pengaduan-jawab"),
]
