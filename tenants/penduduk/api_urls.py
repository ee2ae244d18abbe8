from django.urls import path

from tenants.penduduk import api

urlpatterns = [
    path("", api.PendudukListCreateApi.as_view(), name="penduduk-list"),
    path("<int:pk>/", api.PendudukDetailApi.as_view(), name="penduduk-detail"),
    path("keluarga/", api.KeluargaListCreateApi.as_view(), name="keluarga-list"),
]
