from django.apps import AppConfig


class PendudukConfig(AppConfig):
    name = "tenants.penduduk"
    label = "penduduk"
    verbose_name = "Kependudukan"

    def ready(self) -> None:
        from tenants.penduduk import indicators  # noqa: F401  # registers the smart-people indicators
