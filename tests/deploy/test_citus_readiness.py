"""Citus schema-based sharding forbids foreign keys between a distributed (village) schema and
the coordinator's local tables (public). docs/scale-out.md lists the village tables' references
into public; this keeps the list honest: today there is no such foreign key at all."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings

# (model, field) -> public model: a foreign key Citus would refuse. Keep empty: store the id
# instead (e.g. penduduk.Peristiwa.petugas_id) and say so in docs/scale-out.md.
ALLOWED: set[tuple[str, str]] = set()


def tenant_labels() -> set[str]:
    return {c.label for c in apps.get_app_configs() if c.name in settings.TENANT_APPS}


def test_no_foreign_key_from_a_village_table_into_public() -> None:
    village = tenant_labels()
    crossing = {
        (model._meta.label, field.name): field.related_model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in village
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and field.related_model is not None
        and field.related_model._meta.app_label not in village
    }
    unexpected = {key: target for key, target in crossing.items() if key not in ALLOWED}
    assert not unexpected, (
        f"village tables with a foreign key into public: {unexpected}. Citus schema-based sharding refuses "
        "them (docs/scale-out.md): store the id instead, or make the target a reference table and document it."
    )


def test_no_foreign_key_from_public_into_a_village_table() -> None:
    village = tenant_labels()
    for model in apps.get_models():
        if model._meta.app_label in village:
            continue
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is not None:
                assert field.related_model._meta.app_label not in village, (model._meta.label, field.name)
