"""Test infrastructure: one test database, two villages provisioned once per session.

Tests run against the real PostgreSQL and Redis that `make test` starts. The
villages are created by the real provisioning path (template clone) at session
start and committed; per-test data lives in the `db` fixture's transaction and is
rolled back. Tests that need committed data (a Celery worker, a browser) use the
`committed` fixture and clean up after themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from platform_core.accounts.models import User
from platform_core.accounts.services import user_create_with_role
from platform_core.tenancy import routing
from platform_core.tenancy.models import Village
from platform_core.tenancy.provisioning import provision, village_specs
from platform_core.tenancy.schemas import village_context

# Two villages of different kecamatan and kabupaten: Bumi Jaya (Candipuro,
# Lampung Selatan) and Kedaton (Kedaton, Bandar Lampung, a kelurahan).
VILLAGE_A = "18.01.17.2011"
VILLAGE_B = "18.71.01.1003"
PASSWORD = "rahasia-Balai-2026"


@dataclass(frozen=True)
class Villages:
    a: Village
    b: Village


@pytest.fixture(scope="session", autouse=True)
def _sign_in_throttle_starts_clean() -> None:
    """Failed sign-ins of earlier runs live on in Redis; a session starts with none."""
    from platform_core.accounts import throttle

    throttle.clear_all()


@pytest.fixture(scope="session", autouse=True)
def _consoles_never_stale() -> None:
    """Tests change a region's facts many times a second: consoles serve no stale section here (the
    stale-while-revalidate window has its own test, tests/provinsi/test_views.py)."""
    from django.conf import settings

    settings.BALAI_KONSOL_BASI_DETIK = 0


@pytest.fixture(autouse=True)
def _consoles_forget_other_tests() -> None:
    """A test's facts are rolled back with it, so the next test may see the same region version again:
    a new global facts generation per test keeps one test's cached console pages from another."""
    from platform_core.facts.services import _generasi_naik

    _generasi_naik()


@pytest.fixture(scope="session")
def villages(django_db_setup: Any, django_db_blocker: Any) -> Villages:
    from django.db import connection

    # Never provision into a real database, whatever subset of tests is selected.
    assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        wanted = {VILLAGE_A, VILLAGE_B}
        specs = [s for s in village_specs(["18.01.17", "18.71.01"]) if s.kode in wanted]
        provision(specs)
        routing.invalidate()
        for kode, name in ((VILLAGE_A, "operator_a"), (VILLAGE_B, "operator_b")):
            user_create_with_role(username=name, password=PASSWORD, tingkat="desa", kode_wilayah=kode)
        user_create_with_role(username="pmd", password=PASSWORD, tingkat="provinsi", kode_wilayah="18")
        user_create_with_role(username="opd_lamsel", password=PASSWORD, tingkat="kabupaten", kode_wilayah="18.01")
        user_create_with_role(
            username="camat_candipuro", password=PASSWORD, tingkat="kecamatan", kode_wilayah="18.01.17"
        )
        return Villages(a=Village.objects.get(kode=VILLAGE_A), b=Village.objects.get(kode=VILLAGE_B))


def host_of(village: Village) -> str:
    return f"{village.slug}.localhost"


@pytest.fixture
def committed(django_db_blocker: Any) -> AbstractContextManager[None]:
    """`with committed:` runs ORM code outside the test transaction (autocommit)."""
    return django_db_blocker.unblock()  # type: ignore[no-any-return]


def signed_in(username: str, host: str) -> Client:
    client = Client(HTTP_HOST=host)
    assert client.login(username=username, password=PASSWORD, request=_FakeRequestForHost(host)), username
    return client


class _FakeRequestForHost:
    """ScopedModelBackend looks at request.tenant; Client.login passes this request."""

    def __init__(self, host: str) -> None:
        self.tenant = routing.lookup(host) if host != "localhost" else None
        self.META = {"REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": host}  # the sign-in throttle reads the address


@pytest.fixture
def client_a(villages: Villages, db: None) -> Client:
    """Operator of village A, signed in on A's subdomain."""
    return signed_in("operator_a", host_of(villages.a))


@pytest.fixture
def in_village_a(villages: Villages, db: None) -> Iterator[Village]:
    with village_context(villages.a):
        yield villages.a


@pytest.fixture
def user_a(villages: Villages, db: None) -> User:
    return User.objects.get(username="operator_a")


# --- Residents written straight through the ORM (isolation, routing, worker tests) ---


def resident_create(*, nama: str, nik: str, no_kk: str, pk: int | None = None) -> Any:
    """A family card with its head, in the schema that is active now.

    Bypasses the penduduk services on purpose: tests of isolation and plumbing need
    rows with known ids and names, not validation. `pk` gives the family and the
    resident the same id, so any `<int:...>` in a URL points at a real row.
    """
    import datetime

    from tenants.penduduk.models import Dusun, Keluarga, Penduduk, Rt, RumahTangga, Rw

    # With an id, the territory path and a household get the same id too (the isolation probe).
    rt = rumah_tangga = None
    if pk is not None:
        dusun = Dusun.objects.create(pk=pk, nama=f"Dusun Uji {pk}")
        rt = Rt.objects.create(pk=pk, rw=Rw.objects.create(pk=pk, dusun=dusun, nomor="001"), nomor="001")
        rumah_tangga = RumahTangga.objects.create(pk=pk, no_rtm=f"RTM{no_kk[-6:]}", rt=rt)
    keluarga = Keluarga.objects.create(pk=pk, no_kk=no_kk, alamat="Jl. Uji 1", rt=rt)
    return Penduduk.objects.create(
        rt=rt,
        rumah_tangga=rumah_tangga,
        hubungan_rtm=1 if rumah_tangga else None,
        pk=pk,
        nik=nik,
        nama=nama,
        keluarga=keluarga,
        hubungan=1,
        jenis_kelamin=2,
        tanggal_lahir=datetime.date(1990, 6, 5),
        agama=1,
        pendidikan_kk=1,
        pekerjaan=1,
        status_kawin=1,
    )
