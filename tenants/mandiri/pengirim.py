"""Senders of reset codes to a resident's verified phone: pluggable like Django's email backends.

A deployment names its sender class in settings (or the environment variable of the same name):

    BALAI_PENGIRIM_PESAN = "paket_saya.sms.PengirimGatewaySms"

The class subclasses `Pengirim` and implements `kirim()`; it runs in a Celery worker (queue
"notifications"), never in the web request, so a slow gateway cannot reveal that a NIK exists by
the time the page takes. Raise an exception to have the send logged as failed; the resident simply
gets no code and can ask at the counter. See docs/layanan-mandiri.md.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

BAWAAN = "tenants.mandiri.pengirim.PengirimKonsol"


@dataclass(frozen=True)
class Pesan:
    telepon: str  # as the operator verified it, e.g. 081234567890
    teks: str  # Indonesian, short enough for one SMS
    desa: str  # the village's name, for a gateway that sets a sender name


class Pengirim:
    """Base class: one message to one phone number."""

    def kirim(self, pesan: Pesan) -> None:
        raise NotImplementedError


class PengirimKonsol(Pengirim):
    """Development: writes the message to the worker's log instead of sending it."""

    def kirim(self, pesan: Pesan) -> None:
        logger.warning("[pengirim konsol] ke %s (%s): %s", pesan.telepon, pesan.desa, pesan.teks)


class PengirimMemori(Pengirim):
    """Tests: keeps the messages in a list (like django.core.mail's locmem backend)."""

    kotak: ClassVar[list[Pesan]] = []

    def kirim(self, pesan: Pesan) -> None:
        PengirimMemori.kotak.append(pesan)


def pengirim() -> Pengirim:
    path = getattr(settings, "BALAI_PENGIRIM_PESAN", None) or os.environ.get("BALAI_PENGIRIM_PESAN") or BAWAAN
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, Pengirim)):
        raise TypeError(f"{path} is not a tenants.mandiri.pengirim.Pengirim subclass")
    return cls()
