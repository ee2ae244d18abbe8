from django.apps import AppConfig


class OperasiConfig(AppConfig):
    name = "platform_core.operasi"
    label = "operasi"
    verbose_name = "Operasi platform (migrasi skema desa)"
