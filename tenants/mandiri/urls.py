"""Operator pages of layanan mandiri warga (village subdomain)."""

from django.urls import URLPattern

app_name = "mandiri"
urlpatterns: list[URLPattern] = []
