"""The village a log line belongs to: a contextvar set by the web middleware and by the
tenant-aware Celery task hooks, read by the logging filter ("-" on the apex / public)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

APEX = "-"

_desa: ContextVar[str | None] = ContextVar("balai_desa", default=None)


def set_desa(kode: str | None) -> Token[str | None]:
    """Mark the rest of this request/task as belonging to village `kode` (None = the apex)."""
    return _desa.set(kode or APEX)


def reset_desa(token: Token[str | None]) -> None:
    _desa.reset(token)


def current_desa() -> str | None:
    """The code set for this context, or None when nothing set it (e.g. a management command)."""
    return _desa.get()


@contextmanager
def desa(kode: str | None) -> Iterator[None]:
    token = set_desa(kode)
    try:
        yield
    finally:
        reset_desa(token)
