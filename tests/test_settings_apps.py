"""Every local app is declared in exactly one of SHARED_APPS / TENANT_APPS (style.md habit 4)."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings

LOCAL_PREFIXES = ("platform_core.", "tenants.", "provinsi")


def test_every_local_app_in_exactly_one_list() -> None:
    local = [cfg.name for cfg in apps.get_app_configs() if cfg.name.startswith(LOCAL_PREFIXES)]
    assert local
    for name in local:
        in_shared = name in settings.SHARED_APPS
        in_tenant = name in settings.TENANT_APPS
        assert in_shared != in_tenant, f"{name}: shared={in_shared} tenant={in_tenant}"


def test_tenant_apps_are_under_tenants_package() -> None:
    for name in settings.TENANT_APPS:
        assert name.startswith("tenants."), name


def test_village_schemas_stay_lean() -> None:
    for app in (
        "django.contrib.auth",
        "django.contrib.sessions",
        "django.contrib.contenttypes",
        "django.contrib.admin",
    ):
        assert app not in settings.TENANT_APPS
