"""Fixtures of the self-service tests: residents with a PIN in village A, clean rate limits, a test sender."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from platform_core.tenancy.models import Village
from tenants.mandiri import throttle
from tenants.mandiri.models import PinWarga
from tenants.mandiri.pengirim import PengirimMemori
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Penduduk
from tests.conftest import Villages, host_of
from tests.tenants.penduduk.factories import KeluargaFactory, PendudukFactory

PIN = "482916"
_serial = itertools.count(8100)


@pytest.fixture(autouse=True)
def _bersih(settings: Any) -> Iterator[None]:
    """Every test starts with no recorded attempts, an empty outbox of messages, and a fast hasher
    (the timing test switches the real one back on)."""
    throttle.clear_all()
    PengirimMemori.kotak.clear()
    settings.BALAI_PENGIRIM_PESAN = "tenants.mandiri.pengirim.PengirimMemori"
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    yield


def penduduk_baru(**kw: Any) -> Penduduk:
    """A living head of family (the letters' subject rules are happy with it), born 05-06-1990."""
    kw.setdefault("keluarga", KeluargaFactory(no_kk=f"180117010120{next(_serial):04d}"))
    kw.setdefault("hubungan", ref.Hubungan.KEPALA_KELUARGA)
    kw.setdefault("tanggal_lahir", dt.date(1990, 6, 5))
    return PendudukFactory(**kw)  # type: ignore[no-any-return]


def pin_pasang(penduduk: Penduduk, pin: str = PIN, *, sekali_pakai: bool = False, telepon: str = "") -> PinWarga:
    row, _ = PinWarga.objects.update_or_create(
        penduduk=penduduk,
        defaults={"pin_hash": make_password(pin), "sekali_pakai": sekali_pakai, "telepon_terverifikasi": telepon},
    )
    return row


@pytest.fixture
def warga(in_village_a: Village) -> Callable[..., Penduduk]:
    """warga(pin=PIN, **penduduk fields): a resident of village A with their own PIN."""

    def make(pin: str | None = PIN, *, sekali_pakai: bool = False, telepon: str = "", **kw: Any) -> Penduduk:
        p = penduduk_baru(**kw)
        if pin is not None:
            pin_pasang(p, pin, sekali_pakai=sekali_pakai, telepon=telepon)
        return p

    return make


@pytest.fixture
def host_a(villages: Villages) -> str:
    return host_of(villages.a)


def tamu(host: str) -> Client:
    return Client(HTTP_HOST=host)


def masuk(client: Client, nik: str, pin: str = PIN, *, path: str = "/layanan/masuk/") -> Any:
    return client.post(path, {"nik": nik, "pin": pin})


def tanpa_token_csrf(html: str) -> str:
    """A page's HTML with the per-response CSRF token masked (the only part allowed to differ)."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "<csrf>", html)
