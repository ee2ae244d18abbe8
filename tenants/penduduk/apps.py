from django.apps import AppConfig


class PendudukConfig(AppConfig):
    name = "tenants.penduduk"
    label = "penduduk"
    verbose_name = "Kependudukan"
