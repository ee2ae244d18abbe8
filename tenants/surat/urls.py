"""Operator pages of layanan surat (village subdomain)."""

from django.urls import path

from tenants.surat import views

app_name = "surat"
urlpatterns = [
    path("", views.AntreanView.as_view(), name="antrean"),
    path("baru/", views.BaruView.as_view(), name="baru"),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/status/", views.StatusView.as_view(), name="status"),
    path("<int:pk>/pdf/", views.PdfView.as_view(), name="pdf"),
    path("<int:pk>/unggah/", views.UnggahView.as_view(), name="unggah"),
    path("<int:pk>/lampiran/<int:lampiran>/", views.LampiranView.as_view(), name="lampiran"),
    path("agenda/", views.AgendaView.as_view(), name="agenda"),
    path("agenda/xlsx/", views.AgendaXlsxView.as_view(), name="agenda-xlsx"),
    path("templat/", views.TemplatListView.as_view(), name="templat-list"),
    path("templat/baru/", views.TemplatBaruView.as_view(), name="templat-baru"),
    path("templat/<int:pk>/", views.TemplatUbahView.as_view(), name="templat-ubah"),
    path("pengaturan/", views.PengaturanView.as_view(), name="pengaturan"),
]
