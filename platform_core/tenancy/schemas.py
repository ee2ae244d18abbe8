"""The only module that switches PostgreSQL schemas (ruff bans schema_context elsewhere).

Everything else asks it: `village_context(village)` for code that must run inside a
village schema (tasks, commands, tests), `public_context()` to step back out.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection as _connection
from django_tenants.postgresql_backend.base import DatabaseWrapper
from django_tenants.utils import schema_context, tenant_context

if TYPE_CHECKING:
    from platform_core.tenancy.models import Village

# The default connection, typed as what it is: django-tenants' schema-aware wrapper.
connection: DatabaseWrapper = _connection  # type: ignore[assignment]  # the ENGINE in settings guarantees it

SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def schema_name_for(kode: str) -> str:
    """'18.01.17.2011' -> 'v_1801172011'. Stable under a rename of slug or domain."""
    return "v_" + kode.replace(".", "")


@contextmanager
def village_context(village: Village) -> Iterator[None]:
    with tenant_context(village):
        yield


@contextmanager
def schema(name: str) -> Iterator[None]:
    if not SCHEMA_RE.match(name):
        raise ValueError(f"invalid schema name {name!r}")
    with schema_context(name):
        yield


@contextmanager
def public_context() -> Iterator[None]:
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        yield


def activate(village: Village | None) -> None:
    """Point the connection at a village (or public) for the rest of a request/task."""
    if village is None:
        connection.set_schema_to_public()
    else:
        connection.set_tenant(village)


def activate_public() -> None:
    connection.set_schema_to_public()


def current_schema() -> str:
    return str(connection.schema_name)


def set_schema_raw(name: str, *, include_public: bool = False) -> None:
    """For provisioning and migration machinery only."""
    connection.set_schema(name, include_public=include_public)


# --- Template schema DDL ----------------------------------------------------


def pg_dump_binary() -> str:
    from platform_core.runtime.servers import _find_pg_bindir

    found = shutil.which("pg_dump")
    candidate = str(_find_pg_bindir() / "pg_dump")
    # Prefer the dump tool of the embedded server (same major version).
    return candidate if shutil.which(candidate) else (found or candidate)


def dump_schema_ddl(schema_name: str) -> str:
    """DDL of one schema, schema-qualified, as `pg_dump --schema-only` writes it."""
    db = settings.DATABASES["default"]
    env = {"PGPASSWORD": str(db.get("PASSWORD") or "")}
    cmd = [
        pg_dump_binary(),
        "--schema-only",
        "--no-owner",
        "--no-privileges",
        "--no-comments",
        f"--schema={schema_name}",
        "-h",
        str(db.get("HOST") or "127.0.0.1"),
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        str(db.get("USER") or "postgres"),
        str(db["NAME"]),
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    statements: list[str] = []
    for line in out.splitlines():
        if line.startswith("--") or not line.strip():
            continue
        if line.startswith(("SET ", "SELECT pg_catalog.set_config")):
            continue
        if line.startswith("CREATE SCHEMA ") or line.startswith("\\"):
            continue
        statements.append(line)
    return "\n".join(statements) + "\n"


def retarget_ddl(ddl: str, source: str, target: str) -> str:
    """Rewrite schema-qualified names from the template to a village schema."""
    if not SCHEMA_RE.match(target):
        raise ValueError(f"invalid schema name {target!r}")
    return re.sub(rf'(?<![\w"]){re.escape(source)}\.', f"{target}.", ddl).replace(f'"{source}".', f'"{target}".')


def ddl_fingerprint(ddl: str) -> str:
    return hashlib.sha256(ddl.encode()).hexdigest()[:16]
