from django.apps import AppConfig


class PembangunanConfig(AppConfig):
    name = "tenants.pembangunan"
    label = "pembangunan"
    verbose_name = "Pembangunan dan transparansi"

    def ready(self) -> None:
        from tenants.pembangunan import indicators  # noqa: F401  # registers laporan_tepat_waktu, proyek_*
