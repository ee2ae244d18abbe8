from django.apps import AppConfig


class FactsConfig(AppConfig):
    name = "platform_core.facts"
    label = "facts"
    verbose_name = "Fakta indikator desa"
