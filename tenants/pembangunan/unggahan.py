"""Safe uploads: project photos and report PDFs.

Type is decided by content, never by the file name or the browser's content type. Photos are decoded
with Pillow (bounded pixel count), turned upright, re-encoded as a fresh JPEG (so no EXIF, GPS or
anything smuggled in the original survives) plus a thumbnail. PDFs must start with the PDF header,
end with an EOF marker and carry no JavaScript or launch actions. Files live under
MEDIA_ROOT/pembangunan/<schema>/ (outside the web root) with random names and are served only by the
village's own views, with nosniff and a Content-Disposition.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from platform_core.tenancy.schemas import current_schema

FOLDER = "pembangunan"
FOTO_MAKS_BYTES = 8 * 1024 * 1024
PDF_MAKS_BYTES = 15 * 1024 * 1024
FOTO_MAKS_PIKSEL = 40_000_000  # a decompression bomb is refused before decoding
FOTO_SISI = 1600
FOTO_KECIL_SISI = 480
FORMAT_FOTO = {"JPEG", "PNG", "WEBP"}
# Active content a public PDF has no business carrying.
PDF_TERLARANG = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")


@dataclass(frozen=True)
class FotoTersimpan:
    foto: str
    foto_kecil: str


@dataclass(frozen=True)
class PdfTersimpan:
    path: str
    ukuran: int
    sha256: str


def folder(jenis: str) -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER / current_schema() / jenis


def full_path(relative: str) -> Path | None:
    """The file of a stored relative path, only if it stays inside this village's folder."""
    if not relative:
        return None
    root = (Path(settings.MEDIA_ROOT) / FOLDER / current_schema()).resolve()
    target = (Path(settings.MEDIA_ROOT) / relative).resolve()
    if root not in target.parents or not target.is_file():
        return None
    return target


def _baca(upload: UploadedFile, *, batas: int, field: str, apa: str) -> bytes:
    size = upload.size or 0
    if size > batas:
        raise ValidationError(
            {
                field: [
                    f"Berkas terlalu besar ({size / 1024 / 1024:.1f} MB; batas {batas // 1024 // 1024} MB) untuk {apa}."
                ]
            }
        )
    data = b"".join(upload.chunks())
    if len(data) > batas:
        raise ValidationError({field: [f"Berkas terlalu besar (batas {batas // 1024 // 1024} MB) untuk {apa}."]})
    if not data:
        raise ValidationError({field: ["Berkas kosong. Pilih berkasnya lagi."]})
    return data


def periksa_foto(upload: UploadedFile, *, field: str = "foto") -> Image.Image:
    """Decoded, upright image of an upload, or an Indonesian ValidationError."""
    data = _baca(upload, batas=FOTO_MAKS_BYTES, field=field, apa="foto")
    salah = ValidationError({field: ["Berkas bukan foto yang bisa dibaca. Unggah foto JPEG, PNG atau WebP."]})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMAT_FOTO:
                raise salah
            lebar, tinggi = probe.size
            if lebar * tinggi > FOTO_MAKS_PIKSEL:
                raise ValidationError(
                    {field: ["Foto terlalu besar (jumlah piksel). Perkecil fotonya lalu unggah lagi."]}
                )
            probe.verify()
        opened = Image.open(io.BytesIO(data))
        opened.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise salah from exc
    upright: Image.Image = ImageOps.exif_transpose(opened) or opened
    return upright.convert("RGB")


def _jpeg(image: Image.Image, sisi: int, quality: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((sisi, sisi))
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=quality, optimize=True, progressive=True)  # no exif= : metadata dropped
    return out.getvalue()


def simpan_foto(image: Image.Image) -> FotoTersimpan:
    target = folder("foto")
    target.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex
    besar, kecil = target / f"{name}.jpg", target / f"{name}-kecil.jpg"
    besar.write_bytes(_jpeg(image, FOTO_SISI, 82))
    kecil.write_bytes(_jpeg(image, FOTO_KECIL_SISI, 72))
    media = Path(settings.MEDIA_ROOT)
    return FotoTersimpan(foto=str(besar.relative_to(media)), foto_kecil=str(kecil.relative_to(media)))


def periksa_pdf(upload: UploadedFile, *, field: str = "berkas") -> bytes:
    data = _baca(upload, batas=PDF_MAKS_BYTES, field=field, apa="dokumen PDF")
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError(
            {field: ["Berkas bukan PDF yang utuh. Simpan/ekspor laporannya sebagai PDF lalu unggah lagi."]}
        )
    if PDF_TERLARANG.search(data):
        raise ValidationError(
            {
                field: [
                    "PDF berisi skrip atau lampiran tersemat. "
                    "Cetak ulang ke PDF biasa (Print → Save as PDF) lalu unggah lagi."
                ]
            }
        )
    return data


def simpan_pdf(data: bytes) -> PdfTersimpan:
    target = folder("dokumen")
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(data)
    return PdfTersimpan(
        path=str(path.relative_to(Path(settings.MEDIA_ROOT))), ukuran=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


def hapus(*relatives: str) -> None:
    for relative in relatives:
        path = full_path(relative)
        if path is not None:
            path.unlink(missing_ok=True)
