from django.apps import AppConfig


class FactsConfig(AppConfig):
    name = "platform_core.facts"
    label = "facts"
    verbose_name = "Fakta indikator desa"

    def ready(self) -> None:
        from platform_core.facts import standard  # noqa: F401  # registers the public-side indicators
