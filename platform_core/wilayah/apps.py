from django.apps import AppConfig


class WilayahConfig(AppConfig):
    name = "platform_core.wilayah"
    label = "wilayah"
    verbose_name = "Wilayah"
