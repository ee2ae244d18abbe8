"""Public pages of layanan surat on the village subdomain (no sign-in; no personal data)."""

from django.urls import path

from tenants.surat.views_publik import VerifikasiView

urlpatterns = [
    path("verifikasi/<str:token>/", VerifikasiView.as_view(), name="surat-verifikasi"),
]
