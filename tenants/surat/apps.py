from django.apps import AppConfig


class SuratConfig(AppConfig):
    name = "tenants.surat"
    label = "surat"
    verbose_name = "Layanan surat"
