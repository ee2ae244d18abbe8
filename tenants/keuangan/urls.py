"""Operator pages of village finance (village subdomain, /operator/keuangan/)."""

from django.urls import path

from tenants.keuangan import views

app_name = "keuangan"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<int:tahun>/", views.TahunView.as_view(), name="tahun"),
    path("<int:tahun>/perubahan/", views.PerubahanView.as_view(), name="perubahan"),
    path("<int:tahun>/transaksi/", views.TransaksiView.as_view(), name="transaksi"),
    path("<int:tahun>/laporan/", views.LaporanView.as_view(), name="laporan"),
    path("apbdes/<int:pk>/", views.ApbdesView.as_view(), name="apbdes"),
    path("apbdes/<int:pk>/tetapkan/", views.TetapkanView.as_view(), name="tetapkan"),
    path("apbdes/<int:pk>/hapus/", views.ApbdesHapusView.as_view(), name="apbdes-hapus"),
    path("baris/<int:pk>/", views.BarisUbahView.as_view(), name="baris"),
    path("baris/<int:pk>/hapus/", views.BarisHapusView.as_view(), name="baris-hapus"),
    path("transaksi/<int:pk>/", views.TransaksiUbahView.as_view(), name="transaksi-ubah"),
    path("transaksi/<int:pk>/hapus/", views.TransaksiHapusView.as_view(), name="transaksi-hapus"),
    path("impor/", views.ImporView.as_view(), name="impor"),
    path("impor/<int:pk>/", views.ImporJobView.as_view(), name="impor-job"),
    path("impor/<int:pk>/status/", views.ImporStatusView.as_view(), name="impor-status"),
    path("impor/<int:pk>/laporan/", views.ImporLaporanView.as_view(), name="impor-laporan"),
]
