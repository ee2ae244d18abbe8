from django.urls import path

from provinsi import api

urlpatterns = [
    path("desa/", api.VillageListApi.as_view(), name="provinsi-desa-list"),
]
