"""Operator pages of layanan surat (village subdomain)."""

from django.urls import URLPattern

app_name = "surat"
urlpatterns: list[URLPattern] = []
