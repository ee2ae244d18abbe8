"""Operator pages of layanan mandiri, under /operator/layanan-mandiri/ on a village subdomain."""

from django.urls import path

from tenants.mandiri import views_operator

app_name = "layanan_operator"
urlpatterns = [
    path("", views_operator.IndexView.as_view(), name="index"),
    path("<int:pk>/", views_operator.PendudukView.as_view(), name="penduduk"),
    path("<int:pk>/pin/", views_operator.PinTerbitkanView.as_view(), name="pin"),
    path("<int:pk>/cabut/", views_operator.PinCabutView.as_view(), name="cabut"),
    path("<int:pk>/telepon/", views_operator.TeleponView.as_view(), name="telepon"),
]
