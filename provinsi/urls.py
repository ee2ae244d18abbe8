from django.urls import path

from provinsi import views

app_name = "konsol"
urlpatterns = [
    path("", views.ConsoleHomeView.as_view(), name="home"),
]
