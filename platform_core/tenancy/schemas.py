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


def activate(village: Village | None, *, writable: bool = False) -> None:
    """Point the connection at a village (or public) for the rest of a request/task.

    A suspended or retired village's session runs read-only (docs/lifecycle.md) unless
    `writable` (sign-in and sign-out, which write only the public session tables). Commands and
    migrations use `village_context` / `set_schema_raw`, which leave the session mode alone.
    """
    if village is None:
        connection.set_schema_to_public()
    else:
        connection.set_tenant(village)
    apply_session_mode(read_only=needs_read_only(village) and not writable)


# --- Read-only sessions for suspended villages ------------------------------------
#
# `SET default_transaction_read_only` makes every later transaction of the session
# read-only, so a write that the middleware did not refuse (a GET with side effects,
# a Celery task) fails in PostgreSQL with SQLSTATE 25006. The setting is session state
# on a reused connection: it is sent only when it must change, and the state we sent
# is remembered on the raw psycopg connection (a new connection starts read-write).
# Sent inside a transaction it could be rolled back, so then the state is "unknown"
# and the next activation sends it again.

READ_ONLY_SQLSTATE = "25006"  # read_only_sql_transaction
_UNKNOWN = object()


def needs_read_only(village: object) -> bool:
    from platform_core.tenancy.models import Village

    status = getattr(village, "status", None)
    return status in (Village.Status.SUSPENDED, Village.Status.RETIRED)


def _session_state(raw: object) -> object:
    return getattr(raw, "_balai_read_only", False)


def apply_session_mode(*, read_only: bool) -> None:
    """Make this connection's later transactions read-only (or not). No query when unchanged."""
    raw = connection.connection
    if raw is None:
        if not read_only:
            return  # a new connection starts read-write
        connection.ensure_connection()
        raw = connection.connection
    if _session_state(raw) is read_only:
        return
    with connection.cursor() as cur:
        cur.execute(f"SET default_transaction_read_only = {'on' if read_only else 'off'}")
    raw._balai_read_only = _UNKNOWN if connection.in_atomic_block else read_only


@contextmanager
def audit_write() -> Iterator[None]:
    """Let an append-only audit row (the residents' access log) be written in a read-only session.

    UU PDP: a read of a resident's full record is logged, also in a suspended village, so the
    read can be served. Opens its own transaction and switches only that one to read-write
    (`SET TRANSACTION READ WRITE`, allowed before its first query). Inside a transaction that
    is already open it changes nothing: that transaction's mode decides.
    """
    raw = connection.connection
    if connection.in_atomic_block or raw is None or _session_state(raw) is False:
        yield  # already read-write (or the open transaction decides): no extra statement
        return
    from django.db import transaction

    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SET TRANSACTION READ WRITE")
        yield


def session_read_only() -> bool:
    """What PostgreSQL says (tests, diagnostics): one query."""
    with connection.cursor() as cur:
        cur.execute("SHOW default_transaction_read_only")
        row = cur.fetchone()
    return bool(row and row[0] == "on")


def is_read_only_error(exc: BaseException | None) -> bool:
    """True for PostgreSQL's "cannot execute ... in a read-only transaction" (also when wrapped)."""
    seen = 0
    while exc is not None and seen < 5:
        if getattr(exc, "sqlstate", None) == READ_ONLY_SQLSTATE:
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


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
