"""REST API of layanan surat (village subdomain)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
