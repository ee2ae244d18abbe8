from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "platform_core.web"
    label = "web"
    verbose_name = "Antarmuka web"
