"""The village's command-center screen (layar/): public, full screen, refreshes itself."""

from django.urls import path

from tenants.pembangunan import views_publik as v

urlpatterns = [
    path("", v.LayarView.as_view(), name="layar"),
    path("isi/", v.LayarIsiView.as_view(), name="layar-isi"),
]
