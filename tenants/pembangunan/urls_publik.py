"""Public transparency portal of a village (transparansi/, no sign-in) and its command-center screen.

Names are global (no namespace) and listed in tests/test_isolation.py VILLAGE_PUBLIC.
"""

from django.urls import path

from tenants.pembangunan import views_publik as v

urlpatterns = [
    path("", v.TransparansiView.as_view(), name="transparansi"),
    path("apbdes/", v.ApbdesView.as_view(), name="transparansi-apbdes"),
    path("pembangunan/", v.ProyekListPublikView.as_view(), name="transparansi-proyek"),
    path("pembangunan/<int:pk>/", v.ProyekDetailPublikView.as_view(), name="transparansi-proyek-detail"),
    path("foto/<int:pk>/", v.FotoView.as_view(), name="transparansi-foto"),
    path("foto/<int:pk>/kecil/", v.FotoView.as_view(kecil=True), name="transparansi-foto-kecil"),
    path("dokumen/", v.DokumenPublikView.as_view(), name="transparansi-dokumen"),
    path("dokumen/<int:pk>/", v.DokumenUnduhView.as_view(), name="transparansi-dokumen-unduh"),
    path("penduduk/", v.PendudukPublikView.as_view(), name="transparansi-penduduk"),
    path("pengaduan/", v.PengaduanPublikView.as_view(), name="transparansi-pengaduan"),
    path("pengaduan/cek/", v.PengaduanCekView.as_view(), name="transparansi-pengaduan-cek"),
    path("data/kegiatan.json", v.OpenDataJsonView.as_view(), name="transparansi-data-json"),
    path("data/kegiatan.csv", v.OpenDataCsvView.as_view(), name="transparansi-data-csv"),
]
