from django.apps import AppConfig


class MandiriConfig(AppConfig):
    name = "tenants.mandiri"
    label = "mandiri"
    verbose_name = "Layanan mandiri warga"
