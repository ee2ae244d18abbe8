"""The indicator registry: adding an indicator is one `register(Indikator(...))` call.

Each indicator is documented where it is defined (definisi, sumber, satuan, pemicu) and
says how it rolls up from villages to kecamatan, kabupaten and province. Tenant apps
register the indicators whose data they hold (in their AppConfig.ready); `hitung` runs
inside that village's schema and returns aggregates only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Pilar = Literal["pemerintahan", "ekonomi", "masyarakat"]
# jumlah: sum over villages; rasio: sum(pembilang) / sum(penyebut); rata: mean of village values;
# median: median of village values; terbaru: not rolled up (per-village only, e.g. a status).
Agregasi = Literal["jumlah", "rasio", "rata", "median", "terbaru"]
Sumber = Literal["desa", "public"]


@dataclass(frozen=True)
class Nilai:
    """One computed value. `nilai=None` means "belum ada data"."""

    nilai: Decimal | None
    pembilang: Decimal | None = None
    penyebut: Decimal | None = None
    rincian: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Indikator:
    kunci: str
    pilar: Pilar
    label: str
    satuan: str
    definisi: str
    sumber: str
    # Outbox topics whose events make this indicator recompute for the village.
    pemicu: tuple[str, ...]
    agregasi: Agregasi
    hitung: Callable[[], Nilai]
    # Where `hitung` runs: inside the village schema ("desa") or on public tables ("public",
    # then it is called with the village's id as `village_id`).
    skema: Sumber = "desa"
    # +1 when more is better (for the composite score), -1 when less is better, 0 not scored.
    arah: int = 1
    # 0..1 normalisation for scoring: (nilai - batas_bawah) / (batas_atas - batas_bawah), clipped.
    batas_bawah: Decimal = Decimal(0)
    batas_atas: Decimal = Decimal(1)
    # A "belum ada data" stand-in registered by platform_core.facts.standard until the app that
    # holds the data registers the real indicator under the same kunci (which then replaces it).
    placeholder: bool = False


_REGISTRY: dict[str, Indikator] = {}


def register(indikator: Indikator) -> Indikator:
    """Register an indicator; a real one replaces a placeholder of the same kunci, in any app order."""
    ada = _REGISTRY.get(indikator.kunci)
    if ada is not None and ada != indikator:
        if indikator.placeholder:
            return ada  # the real indicator is already there
        if not ada.placeholder:
            raise ValueError(f"indicator {indikator.kunci!r} registered twice")
    _REGISTRY[indikator.kunci] = indikator
    return indikator


def semua() -> list[Indikator]:
    return list(_REGISTRY.values())


def get(kunci: str) -> Indikator:
    return _REGISTRY[kunci]


def untuk_topik(topic: str) -> list[Indikator]:
    """Indicators an outbox topic makes stale."""
    return [i for i in _REGISTRY.values() if topic in i.pemicu or "*" in i.pemicu]
