from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "platform_core.tenancy"
    label = "tenancy"
    verbose_name = "Desa (tenant)"

    def ready(self) -> None:
        from platform_core.tenancy import routing

        routing.connect_invalidation()
