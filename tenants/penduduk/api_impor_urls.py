"""API URLs of register imports (mounted at /api/penduduk/impor/ on a village host). Names are stable."""

from django.urls import path

from tenants.penduduk import api_impor

urlpatterns = [
    path("", api_impor.ImportJobCreateApi.as_view(), name="penduduk-impor-create"),
    path("<int:pk>/", api_impor.ImportJobDetailApi.as_view(), name="penduduk-impor-detail"),
]
