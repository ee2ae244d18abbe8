"""API URLs of the population register (mounted at /api/penduduk/ on a village host). Names are stable."""

from django.urls import path

from tenants.penduduk import api

urlpatterns = [
    path("", api.PendudukListApi.as_view(), name="penduduk-list"),
    path("create/", api.PendudukCreateApi.as_view(), name="penduduk-create"),
    path("referensi/", api.PendudukReferensiApi.as_view(), name="penduduk-referensi"),
    path("<int:pk>/", api.PendudukDetailApi.as_view(), name="penduduk-detail"),
    path("<int:pk>/update/", api.PendudukUpdateApi.as_view(), name="penduduk-update"),
    path("keluarga/", api.KeluargaListApi.as_view(), name="keluarga-list"),
    path("keluarga/create/", api.KeluargaCreateApi.as_view(), name="keluarga-create"),
    path("keluarga/<int:pk>/", api.KeluargaDetailApi.as_view(), name="keluarga-detail"),
]
