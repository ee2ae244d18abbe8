from django.apps import AppConfig


class KeuanganConfig(AppConfig):
    name = "tenants.keuangan"
    label = "keuangan"
    verbose_name = "Keuangan desa (APBDes)"

    def ready(self) -> None:
        from tenants.keuangan import indicators  # noqa: F401  # registers the finance indicators
