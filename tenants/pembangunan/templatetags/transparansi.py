"""Number formats of the transparency pages: Rupiah with dots, short Rupiah (jt/M), percentages."""

from __future__ import annotations

import hashlib
import logging
from decimal import Decimal
from typing import Any

from django import template
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
logger = logging.getLogger(__name__)
FRAGMENT_TTL = 3600
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


class _FragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, parts: list[template.base.FilterExpression]) -> None:
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context: template.Context) -> SafeString:
        values = [str(p.resolve(context)) for p in self.parts]
        if values[1] in ("", "None"):  # no stamp (cache unavailable): render every time
            return mark_safe(self.nodelist.render(context))  # noqa: S308  # rendered template output
        key = "pembangunan:html:" + hashlib.md5(":".join(values).encode(), usedforsecurity=False).hexdigest()
        try:
            found = cache.get(key)
        except Exception:
            found = None
        if found is not None:
            return mark_safe(str(found))  # noqa: S308  # our own rendered output
        html = self.nodelist.render(context)
        try:
            cache.set(key, str(html), timeout=FRAGMENT_TTL)
        except Exception:
            logger.warning("portal fragment cache unavailable", exc_info=True)
        return mark_safe(html)  # noqa: S308


@register.tag("fragmen")
def fragmen(parser: Any, token: Any) -> _FragmentNode:
    """{% fragmen "nama" stempel var ... %}…{% endfragmen %}: rendered HTML cached per village (the default
    cache prefixes the schema) under the portal stamp (portal_cache.stempel) and the given values. Fails open:
    without a stamp or a cache the block is rendered every time."""
    bits = token.split_contents()[1:]
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fragmen needs a name and the portal stamp")
    nodelist = parser.parse(("endfragmen",))
    parser.delete_first_token()
    return _FragmentNode(nodelist, [parser.compile_filter(b) for b in bits])
