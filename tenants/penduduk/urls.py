"""Operator pages of the population register, under /operator/penduduk/ on a village subdomain."""

from django.urls import path

from tenants.penduduk import views

app_name = "penduduk"
urlpatterns = [
    path("", views.PendudukListView.as_view(), name="list"),
    path("tambah/", views.PendudukCreateView.as_view(), name="create"),
    path("datang/", views.DatangView.as_view(), name="datang"),
    path("<int:pk>/", views.PendudukDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.PendudukUpdateView.as_view(), name="update"),
    path("<int:pk>/peristiwa/", views.PeristiwaView.as_view(), name="peristiwa"),
    path("<int:pk>/ganti-nik/", views.NikGantiView.as_view(), name="nik-ganti"),
    path("<int:pk>/pindah-kk/", views.PindahKkView.as_view(), name="pindah-kk"),
    path("keluarga/", views.KeluargaListView.as_view(), name="keluarga-list"),
    path("keluarga/tambah/", views.KeluargaCreateView.as_view(), name="keluarga-create"),
    path("keluarga/<int:pk>/", views.KeluargaDetailView.as_view(), name="keluarga-detail"),
    path("keluarga/<int:pk>/lahir/", views.LahirView.as_view(), name="lahir"),
    path("keluarga/<int:pk>/ganti-kepala/", views.KepalaGantiView.as_view(), name="keluarga-kepala"),
    path("keluarga/<int:pk>/pecah/", views.PecahKkView.as_view(), name="keluarga-pecah"),
    path("keluarga/<int:pk>/anggota/", views.AnggotaTambahView.as_view(), name="keluarga-anggota"),
    path("rumah-tangga/", views.RumahTanggaListView.as_view(), name="rumah-tangga-list"),
    path("rumah-tangga/tambah/", views.RumahTanggaCreateView.as_view(), name="rumah-tangga-create"),
    path("rumah-tangga/<int:pk>/", views.RumahTanggaDetailView.as_view(), name="rumah-tangga-detail"),
    path("wilayah/", views.WilayahView.as_view(), name="wilayah"),
]
