"""Open data on the apex (no sign-in): /data/, /data/indikator.csv, /data/indikator.json."""

from django.urls import path

from provinsi import opendata

urlpatterns = [
    path("", opendata.DataTerbukaView.as_view(), name="opendata"),
    path("indikator.csv", opendata.IndikatorCsvView.as_view(), name="opendata-csv"),
    path("indikator.json", opendata.IndikatorJsonView.as_view(), name="opendata-json"),
]
