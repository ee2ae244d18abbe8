"""One error shape for the whole API: {"detail": "...", "errors": {field: [messages]}} in Indonesian."""

from __future__ import annotations

from typing import Any

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
