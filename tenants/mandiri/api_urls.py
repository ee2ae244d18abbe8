"""REST API of layanan mandiri warga (village subdomain)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
