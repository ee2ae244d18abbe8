"""Celery tasks of layanan mandiri: thin, ids in, call a service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import connection

from tenants.mandiri import pengirim, services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def notify_kode_reset_pin(penduduk_id: int) -> bool:
    """Makes a reset code and sends it to the resident's verified phone (queue "notifications").

    Queued for every reset request, with 0 when there is nobody to send to, so the web request does the
    same work either way. A retry makes a new code and replaces the old one. Returns whether a message
    went out.
    """
    if not penduduk_id:
        return False
    kode = services.reset_kode_buat(penduduk_id=penduduk_id)
    if kode is None:
        return False
    village = getattr(connection, "tenant", None)
    nama_desa = f"{getattr(village, 'sebutan', 'Desa')} {getattr(village, 'nama', '')}".strip()
    teks = (
        f"Kode reset PIN layanan {nama_desa}: {kode.kode}. Berlaku 15 menit. "
        "Jangan berikan kode ini kepada siapa pun, termasuk petugas."
    )
    pengirim.pengirim().kirim(pengirim.Pesan(telepon=kode.telepon, teks=teks, desa=nama_desa))
    return True
