from django.apps import AppConfig


class SuratConfig(AppConfig):
    name = "tenants.surat"
    label = "surat"
    verbose_name = "Layanan surat"

    def ready(self) -> None:
        from tenants.surat import indicators  # noqa: F401  # registers the letter indicators
