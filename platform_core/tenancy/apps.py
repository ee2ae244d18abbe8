from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "platform_core.tenancy"
    label = "tenancy"
    verbose_name = "Desa (tenant)"

    def ready(self) -> None:
        from platform_core.tenancy import routing

        routing.connect_invalidation()
        # Every process that sends tasks (web too, not only workers) must use the configured,
        # tenant-aware Celery app; shared_task binds to the current app.
        import workers.celery  # noqa: F401
