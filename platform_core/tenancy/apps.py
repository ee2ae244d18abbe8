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
        # After tenant-schemas-celery's own task_prerun (it switches the schema), so ours sees the village.
        from celery.signals import task_prerun

        import workers.celery  # noqa: F401
        from platform_core.tenancy.tugas import apply_task_session_mode

        task_prerun.connect(apply_task_session_mode, dispatch_uid="balai-village-read-only")
