"""REST API of village finance (mounted at /api/keuangan/ on a village host). Names are stable."""

from django.urls import path

from tenants.keuangan import api, terbuka

urlpatterns = [
    path("tahun/", api.TahunListApi.as_view(), name="keuangan-tahun-list"),
    path("apbdes/", api.ApbdesListApi.as_view(), name="keuangan-apbdes-list"),
    path("apbdes/<int:pk>/", api.ApbdesDetailApi.as_view(), name="keuangan-apbdes-detail"),
    path("apbdes/<int:pk>/tetapkan/", api.ApbdesTetapkanApi.as_view(), name="keuangan-apbdes-tetapkan"),
    path("apbdes/<int:pk>/baris/", api.BarisListApi.as_view(), name="keuangan-baris-list"),
    path("baris/<int:pk>/", api.BarisDetailApi.as_view(), name="keuangan-baris-detail"),
    path("transaksi/", api.TransaksiListApi.as_view(), name="keuangan-transaksi-list"),
    path("transaksi/<int:pk>/", api.TransaksiDetailApi.as_view(), name="keuangan-transaksi-detail"),
    path("laporan/<int:tahun>/", api.LaporanApi.as_view(), name="keuangan-laporan"),
    path("impor/", api.ImporCreateApi.as_view(), name="keuangan-impor-create"),
    path("impor/<int:pk>/", api.ImporDetailApi.as_view(), name="keuangan-impor-detail"),
    # Public open data: aggregates only, no sign-in (tests/test_isolation.py VILLAGE_PUBLIC).
    path("terbuka/", terbuka.TerbukaIndexView.as_view(), name="keuangan-terbuka"),
    path("terbuka/<int:tahun>/", terbuka.TerbukaTahunView.as_view(), name="keuangan-terbuka-tahun"),
    path("terbuka/<int:tahun>/csv/", terbuka.TerbukaCsvView.as_view(), name="keuangan-terbuka-csv"),
]
