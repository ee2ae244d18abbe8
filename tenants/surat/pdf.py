"""The letter as a PDF: HTML (tenants/surat/templates/surat/pdf.html) rendered by WeasyPrint.

Everything the letter says comes from the snapshot frozen when it was numbered (Permohonan.cetak); only
the letterhead logo is read from the village's private media. The QR code (segno, inline SVG) points at
the public verification page of the village subdomain, keyed by the letter's unguessable token.
"""

from __future__ import annotations

import base64
import functools
import io
import logging
from typing import TYPE_CHECKING, Any

import segno
from django.template.loader import render_to_string

if TYPE_CHECKING:
    from tenants.surat.models import Permohonan

# WeasyPrint logs every rendering step at INFO: one letter is not worth seven log lines.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

UKURAN = {"A4": "210mm 297mm", "F4": "215mm 330mm"}


def qr_data_uri(url: str) -> str:
    """The QR code as a PNG data URI. A fixed mask skips segno's scoring of all eight masks (the slow part),
    and a bitmap is cheaper for WeasyPrint than an SVG path of every module; 8 px per module prints sharp."""
    qr = segno.make_qr(url, error="m", mask=0, boost_error=False)
    out = io.BytesIO()
    qr.save(out, kind="png", scale=8, border=2)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _logo_data_uri() -> str:
    from tenants.surat.services import baca_berkas_privat, pengaturan

    rel = pengaturan().logo
    if not rel:
        return ""
    data = baca_berkas_privat(rel)
    if data is None:
        return ""
    jenis = "image/png" if rel.endswith(".png") else "image/jpeg"
    return f"data:{jenis};base64," + base64.b64encode(data).decode()


def konteks_cetak(permohonan: Permohonan) -> dict[str, Any]:
    cetak = permohonan.cetak or {}
    paragraf = [p.split("\n") for p in str(cetak.get("isi", "")).split("\n\n")]
    return {
        "p": permohonan,
        "cetak": cetak,
        "desa": cetak.get("desa", {}),
        "ttd": cetak.get("ttd", {}),
        "paragraf": paragraf,
        "ukuran": UKURAN.get(cetak.get("kertas", "A4"), UKURAN["A4"]),
        "qr": qr_data_uri(cetak["url_verifikasi"]) if cetak.get("url_verifikasi") else "",
        "logo": _logo_data_uri(),
        "ttd_info": permohonan.penanda_tangan or {},
    }


def render_html(permohonan: Permohonan) -> str:
    return render_to_string("surat/pdf.html", konteks_cetak(permohonan))


@functools.cache
def _font_config() -> Any:
    """One FontConfiguration per process: building it costs ~30 ms per render (the letter has no @font-face)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(permohonan: Permohonan) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(permohonan)).write_pdf(font_config=_font_config())
    return pdf


def pdf_surat(permohonan: Permohonan) -> bytes:
    """The letter as handed out: the provider-signed PDF when there is one, else rendered now."""
    if permohonan.berkas_ttd:
        from tenants.surat.services import baca_berkas_privat

        stored = baca_berkas_privat(permohonan.berkas_ttd)
        if stored is not None:
            return stored
    return render_pdf(permohonan)
