"""REST API of pembangunan dan transparansi (village subdomain)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
