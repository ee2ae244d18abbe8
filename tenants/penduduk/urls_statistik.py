"""Operator pages of population statistics and the administration books (under /operator/statistik/)."""

from django.urls import path

from tenants.penduduk import views_statistik as views

app_name = "statistik"
urlpatterns = [
    path("", views.StatistikIndexView.as_view(), name="index"),
    path("unduh/", views.StatistikDownloadView.as_view(), name="download"),
    path("rincian/<slug:kunci>/", views.StatistikBreakdownView.as_view(), name="breakdown"),
    path("buku/", views.BukuIndexView.as_view(), name="buku-index"),
    path("buku/<slug:kode>/", views.BukuView.as_view(), name="buku"),
]
