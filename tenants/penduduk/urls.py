from django.urls import path

from tenants.penduduk import views

app_name = "penduduk"
urlpatterns = [
    path("", views.PendudukListView.as_view(), name="list"),
]
