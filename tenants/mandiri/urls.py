"""Resident pages of layanan mandiri, under /layanan/ on a village subdomain (and the kiosk)."""

from django.urls import path

from tenants.mandiri import views, views_surat

app_name = "mandiri"
urlpatterns = [
    path("", views_surat.BerandaView.as_view(), name="beranda"),
    path("masuk/", views.MasukView.as_view(), name="masuk"),
    path("anjungan/", views.AnjunganView.as_view(), name="anjungan"),
    path("keluar/", views.KeluarView.as_view(), name="keluar"),
    path("pin/", views.GantiPinView.as_view(), name="ganti-pin"),
    path("lupa-pin/", views.ResetMintaView.as_view(), name="reset-minta"),
    path("lupa-pin/kode/", views.ResetSelesaiView.as_view(), name="reset-selesai"),
    path("surat/", views_surat.PilihSuratView.as_view(), name="pilih-surat"),
    path("surat/<slug:kode>/", views_surat.AjukanView.as_view(), name="ajukan"),
    path("permohonan/", views_surat.DaftarPermohonanView.as_view(), name="daftar"),
    path("permohonan/<int:pk>/", views_surat.PermohonanView.as_view(), name="permohonan"),
    path("permohonan/<int:pk>/pdf/", views_surat.PdfView.as_view(), name="pdf"),
    path("permohonan/<int:pk>/cetak/", views_surat.CetakView.as_view(), name="cetak"),
]
