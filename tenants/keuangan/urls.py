"""Operator pages of keuangan desa (apbdes) (village subdomain)."""

from django.urls import URLPattern

app_name = "keuangan"
urlpatterns: list[URLPattern] = []
