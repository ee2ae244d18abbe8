"""Template context every page gets: the village (if any) and the site name."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def balai(request: HttpRequest) -> dict[str, Any]:
    return {
        "village": getattr(request, "tenant", None),
        "base_domain": settings.BASE_DOMAIN,
        "site_name": "Balai",
    }
