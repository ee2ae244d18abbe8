"""Money and percentage formatting of village finance (Indonesian: 1.250.000, (250.000), 85,25%)."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


def format_rupiah(value: Decimal | int | float | None, *, kurung: bool = False) -> str:
    if value is None:
        return ""
    d = Decimal(value).quantize(Decimal(1))
    text = f"{abs(d):,.0f}".replace(",", ".")
    if d < 0:
        return f"({text})" if kurung else f"-{text}"
    return text


@register.filter
def rupiah(value: Decimal | int | float | None) -> str:
    """1250000 -> '1.250.000'; negatives in brackets, as finance reports print them."""
    return format_rupiah(value, kurung=True)


@register.filter
def persen(value: Decimal | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}".replace(".", ",")
