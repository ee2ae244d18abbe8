"""Test data of the projects module, written through the real services."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tenants.pembangunan import services
from tenants.pembangunan.models import Proyek


def proyek_baru(**overrides: Any) -> Proyek:
    today = dt.date.today()
    data: dict[str, Any] = {
        "nama": "Rabat beton jalan Dusun Sukamaju",
        "tahun": today.year,
        "bidang": "02.03.01",
        "lokasi": "Jl. Poros RT 002",
        "dusun": "Sukamaju",
        "lat": None,
        "lng": None,
        "pelaksana": "TPK Desa",
        "volume": None,
        "satuan": "meter",
        "manfaat": "Akses jalan tani",
        "mulai_rencana": today - dt.timedelta(days=30),
        "selesai_rencana": today + dt.timedelta(days=60),
    }
    pendanaan = overrides.pop("pendanaan", {"DDS": 150_000_000, "ADD": 20_000_000})
    data.update(overrides)
    return services.proyek_create(data=data, pendanaan=pendanaan)


def jpeg(*, size: tuple[int, int] = (1200, 900), exif_gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (30, 120, 90))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "KameraRahasia"  # Make
        exif[0x8825] = {1: "S", 2: (5.0, 24.0, 30.0)}  # GPSInfo
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
