"""Operator pages of pembangunan dan transparansi (village subdomain, operator/pembangunan/)."""

from django.urls import path

from tenants.pembangunan import views

app_name = "pembangunan"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("kegiatan/", views.ProyekListView.as_view(), name="proyek-list"),
    path("kegiatan/baru/", views.ProyekCreateView.as_view(), name="proyek-create"),
    path("kegiatan/<int:pk>/", views.ProyekDetailView.as_view(), name="proyek-detail"),
    path("kegiatan/<int:pk>/ubah/", views.ProyekUpdateView.as_view(), name="proyek-update"),
    # Before proyek-delete: deleting a project takes its progress entries with it.
    path("progres/<int:pk>/hapus/", views.ProgresDeleteView.as_view(), name="progres-delete"),
    path("kegiatan/<int:pk>/hapus/", views.ProyekDeleteView.as_view(), name="proyek-delete"),
    path("dokumen/", views.DokumenListView.as_view(), name="dokumen-list"),
    path("dokumen/<int:pk>/hapus/", views.DokumenDeleteView.as_view(), name="dokumen-delete"),
    path("pengaduan/", views.PengaduanListView.as_view(), name="pengaduan-list"),
    path("pengaduan/<int:pk>/", views.PengaduanDetailView.as_view(), name="pengaduan-detail"),
    path("pengaduan/<int:pk>/hapus/", views.PengaduanDeleteView.as_view(), name="pengaduan-delete"),
]
