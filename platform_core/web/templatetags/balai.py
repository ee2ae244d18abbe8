"""Template helpers for links between the apex and village subdomains."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.http import HttpRequest

from platform_core.tenancy.models import Village

register = template.Library()


def _origin(request: HttpRequest | None, host: str) -> str:
    """scheme://host[:port] keeping the scheme and port the page was served on."""
    if request is None:
        return f"//{host}"
    port = request.get_port()
    default = "443" if request.is_secure() else "80"
    suffix = "" if port in {default, ""} else f":{port}"
    return f"{request.scheme}://{host}{suffix}"


@register.simple_tag(takes_context=True)
def village_url(context: template.Context, village: Village, path: str = "/") -> str:
    """Absolute URL of a page on a village's subdomain."""
    return _origin(context.get("request"), f"{village.slug}.{settings.BASE_DOMAIN}") + path


@register.simple_tag(takes_context=True)
def apex_url(context: template.Context, path: str = "/") -> str:
    """Absolute URL of a page on the province's apex domain."""
    return _origin(context.get("request"), settings.BASE_DOMAIN) + path
