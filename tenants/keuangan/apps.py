from django.apps import AppConfig


class KeuanganConfig(AppConfig):
    name = "tenants.keuangan"
    label = "keuangan"
    verbose_name = "Keuangan desa (APBDes)"
