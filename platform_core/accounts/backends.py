"""Sign-in that knows where it happens.

On a village subdomain only that village's operators may sign in; on the apex
only province, kabupaten and kecamatan staff (and Django staff for the admin).
Everyone else gets the same "wrong username or password" answer.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from platform_core.accounts import throttle
from platform_core.accounts.models import User


def may_sign_in_here(user: User, request: HttpRequest | None) -> bool:
    village = getattr(request, "tenant", None) if request is not None else None
    if village is not None:
        return user.can_operate(village)
    return bool(user.is_staff or user.console_roles())


class ScopedModelBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        name = username or ""
        if throttle.is_locked(request, name):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or not isinstance(user, User) or (request is not None and not may_sign_in_here(user, request)):
            throttle.record_failure(request, name)
            return None
        throttle.reset(request, name)
        return user
