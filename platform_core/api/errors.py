"""One error shape for the whole API: {"detail": "...", "errors": {field: [messages]}} in Indonesian."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

MESSAGES = {
    exceptions.NotAuthenticated: "Silakan masuk terlebih dahulu.",
    exceptions.AuthenticationFailed: "Nama pengguna atau kata sandi salah.",
    exceptions.NotFound: "Tidak ditemukan.",
    exceptions.PermissionDenied: "Tidak ditemukan.",
    exceptions.MethodNotAllowed: "Metode tidak diizinkan.",
    exceptions.Throttled: "Terlalu banyak permintaan. Coba lagi sebentar lagi.",
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, exceptions.PermissionDenied):
        # Same answer for "forbidden" and "not found" (trust.md).
        exc = exceptions.NotFound()
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "Data tidak valid. Periksa isian yang ditandai.", "errors": response.data}
        return response
    for cls, message in MESSAGES.items():
        if isinstance(exc, cls):
            response.data = {"detail": message}
            break
    return response


def validasi_api(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A service's Indonesian ValidationError as the API's 400 body: field errors by field (a dotted
    "kepala.nik" nests as {"kepala": {"nik": [...]}}), anything else under "non_field_errors"."""
    if not hasattr(exc, "error_dict"):
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    nested: dict[str, Any] = {}
    for name, messages in exc.message_dict.items():
        target = nested
        *parents, leaf = name.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = messages
    return exceptions.ValidationError(nested)


@contextmanager
def service_errors() -> Iterator[None]:
    """Run a service call; its ValidationError becomes the API's 400 (`validasi_api`). One shape for
    every village API (registers, letters, self-service, projects)."""
    try:
        yield
    except DjangoValidationError as exc:
        raise validasi_api(exc) from exc
