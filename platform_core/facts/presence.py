"""Operator presence: who is working on which village now (the consoles' "online now", and
operator_aktif_minggu). Recorded at most once a minute per user and village: the "platform" cache
(no per-tenant prefix) holds the throttle key. A cache or database hiccup never breaks the request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import caches
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from platform_core.facts.services import kehadiran_catat
from platform_core.tenancy.models import Village

logger = logging.getLogger(__name__)

INTERVAL_S = 60


def throttle_key(user_id: int, village_id: int) -> str:
    return f"kehadiran:{user_id}:{village_id}"


class PresenceMiddleware:
    """After AuthenticationMiddleware: on a village host, an operator of that village is recorded."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        village = getattr(request, "tenant", None)
        user = getattr(request, "user", None)
        if (
            isinstance(village, Village)
            and village.status == Village.Status.ACTIVE  # a suspended village writes nothing (docs/lifecycle.md)
            and user is not None
            and user.is_authenticated
            and response.status_code < 500
        ):
            self.record(user, village)
        return response

    def record(self, user: object, village: Village) -> None:
        user_id = int(getattr(user, "pk", 0) or 0)
        try:
            if not caches["platform"].add(throttle_key(user_id, village.pk), 1, timeout=INTERVAL_S):
                return
            can_operate = getattr(user, "can_operate", None)
            if can_operate is None or not can_operate(village):
                return
            kehadiran_catat(user_id=user_id, village_id=village.pk, waktu=timezone.now())
        except Exception:
            logger.warning("presence of user %s at village %s not recorded", user_id, village.pk, exc_info=True)
