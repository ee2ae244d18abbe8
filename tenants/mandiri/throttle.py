"""Rate limits of resident sign-in and PIN reset, in Redis: per NIK (in this village) and per client address.

Keyed on what was typed, never on whether the NIK exists, so a "too many attempts" answer tells nothing
about the register. Like platform_core.accounts.throttle it fails open when Redis is down (pages and
sign-in keep working; trust.md "Redis down"); the per-row lock in PinWarga is the backstop then.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.cache import BaseCache, caches
from django.http import HttpRequest

from platform_core.tenancy.schemas import current_schema

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Batas:
    """A limit: at most `per_nik` events per NIK and `per_alamat` per address within `jendela` seconds."""

    nama: str
    per_nik: int
    per_alamat: int
    jendela: int


# Sign-in failures. A kiosk in the balai desa is one address for everybody: the per-address limit
# is generous, the per-NIK one is what stops guessing a 6-digit PIN (5 tries per 15 minutes).
MASUK = Batas("masuk", per_nik=5, per_alamat=30, jendela=15 * 60)
# Reset codes requested (each may send a message: also stops flooding a phone).
RESET_MINTA = Batas("reset-minta", per_nik=3, per_alamat=10, jendela=60 * 60)
# Wrong reset codes typed.
RESET_KODE = Batas("reset-kode", per_nik=5, per_alamat=30, jendela=15 * 60)

PESAN_TERKUNCI = "Terlalu banyak percobaan. Tunggu 15 menit, lalu coba lagi, atau minta bantuan petugas di kantor desa."
PESAN_RESET_TERLALU_SERING = "Kode terlalu sering diminta. Coba lagi satu jam lagi, atau datang ke kantor desa."


def _cache() -> BaseCache:
    # The platform cache (no per-tenant key prefix): the village goes into the key explicitly.
    return caches["platform"]


def alamat(request: HttpRequest | None) -> str:
    if request is None:
        return "-"
    return str(request.META.get("REMOTE_ADDR", "-"))


def _keys(batas: Batas, nik: str, addr: str) -> tuple[str, str]:
    return (
        f"balai:warga:{batas.nama}:{current_schema()}:nik:{nik}",
        f"balai:warga:{batas.nama}:alamat:{addr}",
    )


def terkunci(batas: Batas, *, nik: str, addr: str) -> bool:
    nik_key, addr_key = _keys(batas, nik, addr)
    try:
        counts = _cache().get_many([nik_key, addr_key])
    except Exception:
        logger.warning("resident throttle unavailable", exc_info=True)
        return False
    return int(counts.get(nik_key, 0)) >= batas.per_nik or int(counts.get(addr_key, 0)) >= batas.per_alamat


def catat(batas: Batas, *, nik: str, addr: str) -> None:
    for key in _keys(batas, nik, addr):
        try:
            if not _cache().add(key, 1, timeout=batas.jendela):
                _cache().incr(key)
        except Exception:
            logger.warning("resident throttle unavailable", exc_info=True)
            return


def lupakan_nik(batas: Batas, *, nik: str) -> None:
    """After a successful sign-in or reset: that NIK's count starts again (the address count stays)."""
    try:
        _cache().delete(_keys(batas, nik, "-")[0])
    except Exception:
        logger.warning("resident throttle unavailable", exc_info=True)


def clear_all() -> int:
    """Forget every recorded attempt (tests start clean; an administrator's unlock)."""
    backend = _cache()
    client = backend._cache.get_client(None, write=True)  # type: ignore[attr-defined]  # RedisCache internals
    keys = list(client.scan_iter(match=backend.make_key("balai:warga:*")))
    if keys:
        client.delete(*keys)
    return len(keys)
