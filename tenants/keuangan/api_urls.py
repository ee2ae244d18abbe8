"""REST API of keuangan desa (apbdes) (village subdomain)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
