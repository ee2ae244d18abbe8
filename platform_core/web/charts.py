"""Chart.js configurations built in views, rendered by static/balai/charts.js.

Templates put the result through `json_script` and point a `<canvas data-chart="#id">`
at it, so no page carries inline JavaScript. Colours come from charts.js.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def chart_config(
    kind: str,
    rows: Iterable[tuple[str, int | float]],
    *,
    label: str,
    horizontal: bool = False,
    options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One-dataset chart (bar, doughnut, line ...) from (label, value) rows.

    `horizontal` lays bars along the x axis: long region names stay readable on a phone.
    """
    pairs = list(rows)
    config: dict[str, Any] = {
        "type": kind,
        "data": {
            "labels": [str(name) for name, _ in pairs],
            "datasets": [{"label": str(label), "data": [value for _, value in pairs]}],
        },
        "options": dict(options or {}),
    }
    if kind == "bar":
        value_axis = "x" if horizontal else "y"
        if horizontal:
            config["options"]["indexAxis"] = "y"
        config["options"].setdefault("plugins", {"legend": {"display": False}})
        config["options"].setdefault("scales", {value_axis: {"beginAtZero": True, "ticks": {"precision": 0}}})
    return config
