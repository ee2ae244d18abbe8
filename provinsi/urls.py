from django.urls import path

from provinsi import views

app_name = "konsol"
urlpatterns = [
    path("", views.ConsoleHomeView.as_view(), name="home"),
    path("provinsi/", views.ProvinsiView.as_view(), name="provinsi"),
    path("kabupaten/<str:kode>/", views.KabupatenView.as_view(), name="kabupaten"),
    path("kecamatan/<str:kode>/", views.KecamatanView.as_view(), name="kecamatan"),
    path("desa/<str:kode>/", views.DesaView.as_view(), name="desa"),
    path("feed/<str:kode>/", views.FeedView.as_view(), name="feed"),
    path("indikator/<str:kunci>/", views.IndikatorView.as_view(), name="indikator"),
    path("idm/impor/", views.IdmImporView.as_view(), name="idm-impor"),
]
