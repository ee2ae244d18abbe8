from django.apps import AppConfig


class PembangunanConfig(AppConfig):
    name = "tenants.pembangunan"
    label = "pembangunan"
    verbose_name = "Pembangunan dan transparansi"
