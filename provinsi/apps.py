from django.apps import AppConfig


class ProvinsiConfig(AppConfig):
    name = "provinsi"
    label = "provinsi"
    verbose_name = "Lapisan provinsi"
