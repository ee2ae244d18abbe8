"""Writing outbox events. Call inside the transaction of the change the event describes."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import connection

from tenants.outbox.models import OutboxEvent

# Keys that would carry personal data out of the village schema (trust.md): refused.
FORBIDDEN_KEYS = frozenset({"nik", "no_kk", "nama", "nama_ayah", "nama_ibu", "alamat", "tanggal_lahir", "telepon"})
ALLOWED_VALUE_TYPES = (int, str, bool, type(None), float)


class OutboxPayloadError(ValueError):
    """A payload that must not leave the village (developer error, English)."""


def outbox_emit(*, topic: str, payload: Mapping[str, object]) -> OutboxEvent:
    """Record an event for the province layer. Must run inside the caller's transaction.

    Payload values are flat scalars (ids, codes, dates as ISO strings); personal-data keys are refused.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("outbox_emit must run inside the transaction of the change it describes")
    bad = FORBIDDEN_KEYS.intersection(payload)
    if bad:
        raise OutboxPayloadError(f"personal data in outbox payload: {sorted(bad)}")
    for key, value in payload.items():
        if not isinstance(value, ALLOWED_VALUE_TYPES):
            raise OutboxPayloadError(f"payload value {key!r} must be a scalar, got {type(value).__name__}")
    return OutboxEvent.objects.create(topic=topic, payload=dict(payload))
