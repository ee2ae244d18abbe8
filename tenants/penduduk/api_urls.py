"""API URLs of the population register (mounted at /api/penduduk/ on a village host). Names are stable."""

from django.urls import path

from tenants.penduduk import api

urlpatterns = [
    # penduduk
    path("", api.PendudukListApi.as_view(), name="penduduk-list"),
    path("create/", api.PendudukCreateApi.as_view(), name="penduduk-create"),
    path("referensi/", api.PendudukReferensiApi.as_view(), name="penduduk-referensi"),
    path("<int:pk>/", api.PendudukDetailApi.as_view(), name="penduduk-detail"),
    path("<int:pk>/update/", api.PendudukUpdateApi.as_view(), name="penduduk-update"),
    path("<int:pk>/nik/", api.PendudukNikGantiApi.as_view(), name="penduduk-nik-ganti"),
    path("<int:pk>/pindah-kk/", api.PendudukPindahKkApi.as_view(), name="penduduk-pindah-kk"),
    path("<int:pk>/akses/", api.PendudukAksesListApi.as_view(), name="penduduk-akses"),
    path("<int:pk>/mutasi/", api.PendudukMutasiListApi.as_view(), name="penduduk-mutasi"),
    # peristiwa
    path("<int:pk>/peristiwa/", api.PeristiwaListApi.as_view(), name="penduduk-peristiwa"),
    path("<int:pk>/peristiwa/mati/", api.PeristiwaMatiApi.as_view(), name="peristiwa-mati"),
    path("<int:pk>/peristiwa/pindah-keluar/", api.PeristiwaPindahKeluarApi.as_view(), name="peristiwa-pindah-keluar"),
    path("<int:pk>/peristiwa/hilang/", api.PeristiwaHilangApi.as_view(), name="peristiwa-hilang"),
    path("<int:pk>/peristiwa/pergi/", api.PeristiwaPergiApi.as_view(), name="peristiwa-pergi"),
    path("peristiwa/lahir/", api.PeristiwaLahirApi.as_view(), name="peristiwa-lahir"),
    path("peristiwa/datang/", api.PeristiwaDatangApi.as_view(), name="peristiwa-datang"),
    # keluarga
    path("keluarga/", api.KeluargaListApi.as_view(), name="keluarga-list"),
    path("keluarga/create/", api.KeluargaCreateApi.as_view(), name="keluarga-create"),
    path("keluarga/<int:pk>/", api.KeluargaDetailApi.as_view(), name="keluarga-detail"),
    path("keluarga/<int:pk>/anggota/", api.KeluargaAnggotaTambahApi.as_view(), name="keluarga-anggota-tambah"),
    path("keluarga/<int:pk>/kepala/", api.KeluargaKepalaGantiApi.as_view(), name="keluarga-kepala-ganti"),
    path("keluarga/<int:pk>/pecah/", api.KeluargaPecahApi.as_view(), name="keluarga-pecah"),
    path("keluarga/<int:pk>/mutasi/", api.KeluargaMutasiListApi.as_view(), name="keluarga-mutasi"),
    # rumah tangga
    path("rumah-tangga/", api.RumahTanggaListApi.as_view(), name="rumah-tangga-list"),
    path("rumah-tangga/create/", api.RumahTanggaCreateApi.as_view(), name="rumah-tangga-create"),
    path("rumah-tangga/<int:pk>/", api.RumahTanggaDetailApi.as_view(), name="rumah-tangga-detail"),
    path(
        "rumah-tangga/<int:pk>/anggota/", api.RumahTanggaAnggotaTambahApi.as_view(), name="rumah-tangga-anggota-tambah"
    ),
    path(
        "rumah-tangga/<int:pk>/keluar/", api.RumahTanggaAnggotaKeluarApi.as_view(), name="rumah-tangga-anggota-keluar"
    ),
    # wilayah
    path("wilayah/", api.WilayahTreeApi.as_view(), name="wilayah-tree"),
    path("wilayah/dusun/create/", api.DusunCreateApi.as_view(), name="dusun-create"),
    path("wilayah/dusun/<int:pk>/update/", api.DusunUpdateApi.as_view(), name="dusun-update"),
    path("wilayah/dusun/<int:pk>/delete/", api.DusunDeleteApi.as_view(), name="dusun-delete"),
    path("wilayah/rw/create/", api.RwCreateApi.as_view(), name="rw-create"),
    path("wilayah/rw/<int:pk>/update/", api.RwUpdateApi.as_view(), name="rw-update"),
    path("wilayah/rw/<int:pk>/delete/", api.RwDeleteApi.as_view(), name="rw-delete"),
    path("wilayah/rt/create/", api.RtCreateApi.as_view(), name="rt-create"),
    path("wilayah/rt/<int:pk>/update/", api.RtUpdateApi.as_view(), name="rt-update"),
    path("wilayah/rt/<int:pk>/delete/", api.RtDeleteApi.as_view(), name="rt-delete"),
]
