"""Number formats of the transparency pages: Rupiah with dots, short Rupiah (jt/M), percentages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()
KOSONG = "\u2013"  # en dash: no value


def _titik(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@register.filter
def rupiah(value: object) -> str:
    """1234567 -> 'Rp1.234.567' (negative in parentheses, as in realisation reports)."""
    if value in (None, ""):
        return KOSONG
    n = int(Decimal(str(value)))
    return f"(Rp{_titik(-n)})" if n < 0 else f"Rp{_titik(n)}"


@register.filter
def rupiah_ringkas(value: object) -> str:
    """1250000000 -> 'Rp1,25 M'; 350000000 -> 'Rp350 jt' (for the big screen and cards)."""
    if value in (None, ""):
        return KOSONG
    n = Decimal(str(value))
    for batas, akhiran in ((Decimal(10**12), "T"), (Decimal(10**9), "M"), (Decimal(10**6), "jt")):
        if abs(n) >= batas:
            teks = f"{n / batas:.2f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"Rp{teks} {akhiran}"
    return f"Rp{_titik(int(n))}"


@register.filter
def angka(value: object) -> str:
    if value in (None, ""):
        return KOSONG
    return _titik(int(Decimal(str(value))))


@register.filter
def persen(value: object) -> str:
    if value in (None, ""):
        return KOSONG
    return f"{Decimal(str(value)):.1f}".replace(".", ",") + "%"
