"""API URLs of population statistics (mounted at /api/penduduk/statistik/ on a village host). Names are stable."""

from django.urls import path

from tenants.penduduk import api_statistik as api

urlpatterns = [
    path("", api.StatistikListApi.as_view(), name="penduduk-statistik-list"),
    path("rekap/", api.StatistikRekapApi.as_view(), name="penduduk-statistik-rekap"),
    path("<slug:kunci>/", api.StatistikDetailApi.as_view(), name="penduduk-statistik-detail"),
]
