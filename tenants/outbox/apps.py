from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "tenants.outbox"
    label = "outbox"
    verbose_name = "Outbox peristiwa desa"
