"""A throw-away migration for rehearsals (the migrate benchmark and its tests).

`write_package(dest, app, extra)` copies an app's migrations into a package of its own
under `dest` and adds the given migration files; pointing MIGRATION_MODULES at it (in
process with override_settings, or in a subprocess with DJANGO_SETTINGS_MODULE =
platform_core.tenancy.migrasi.rehearsal_settings and BALAI_REHEARSAL_MIGRATIONS=app=package)
makes Django see the extra migration without a file ever landing in the app.
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

from django.apps import apps
from django.db.migrations.loader import MigrationLoader

# Add a column with a default and an index to the resident table: the yardstick.
ADD_COLUMN = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("penduduk", "{previous}")]
    operations = [
        migrations.AddField(
            model_name="penduduk",
            name="{column}",
            field=models.CharField(max_length=16, default="uji", db_default="uji", db_index=True),
        ),
    ]
"""

# A data migration Django cannot write as SQL: the stock path, loudly.
RUN_PYTHON = """from django.db import migrations


def forwards(apps, schema_editor):
    Penduduk = apps.get_model("penduduk", "Penduduk")
    Penduduk.objects.filter({column}="uji").update({column}="python")


class Migration(migrations.Migration):
    dependencies = [("penduduk", "{previous}")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
"""


def latest(app_label: str) -> str:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves = loader.graph.leaf_nodes(app_label)
    assert len(leaves) == 1, leaves
    return str(leaves[0][1])


def write_package(dest: Path, app_label: str, package: str, extra: dict[str, str]) -> Path:
    """dest/package/ = the app's migrations + `extra` {filename stem: source}. Returns the folder."""
    source = Path(importlib.import_module(apps.get_app_config(app_label).name + ".migrations").__path__[0])
    folder = dest / package
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for path in source.glob("*.py"):
        shutil.copy(path, folder / path.name)
    (folder / "__init__.py").touch()
    for stem, text in extra.items():
        (folder / f"{stem}.py").write_text(text)
    importlib.invalidate_caches()
    return folder
