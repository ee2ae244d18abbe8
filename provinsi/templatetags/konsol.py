"""Numbers on the consoles: Indonesian formatting, "belum ada data" for None."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def angka_teks(nilai: Any, desimal: int = 2) -> str:
    """9100000 → '9.100.000'; 12.345 → '12,35'; whole numbers without decimals."""
    if nilai is None:
        return ""
    x = Decimal(str(nilai))
    teks = f"{int(x):,}" if x == x.to_integral_value() else f"{x:,.{desimal}f}"
    return teks.replace(",", "_").replace(".", ",").replace("_", ".")


@register.filter
def angka(nilai: Any, desimal: int = 2) -> SafeString | str:
    """A number, or a muted "belum ada data" (None, or a missing value in the template)."""
    if nilai is None or nilai == "":
        return format_html('<span class="text-body-secondary belum-ada-data">{}</span>', "belum ada data")
    return angka_teks(nilai, desimal)


@register.filter
def skor(nilai: float | str | None) -> SafeString | str:
    """A 0..1 score shown as 0 to 100."""
    if nilai is None or nilai == "":
        return format_html('<span class="text-body-secondary belum-ada-data">{}</span>', "belum ada data")
    return angka_teks(round(float(nilai) * 100, 1), 1)


@register.filter
def ambil(kamus: Any, kunci: Any) -> Any:
    """dict lookup in a template: {{ d|ambil:k }}."""
    if kamus is None:
        return None
    try:
        return kamus.get(kunci)
    except AttributeError:
        return None
