"""Operator pages of pembangunan dan transparansi (village subdomain)."""

from django.urls import URLPattern

app_name = "pembangunan"
urlpatterns: list[URLPattern] = []
