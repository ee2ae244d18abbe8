"""HTML view base classes that do the role check, so a view cannot forget it.

VillageOperatorView: pages on a village subdomain for that village's operators.
ConsoleView: province/kabupaten/kecamatan consoles on the apex.
Subclasses may not override dispatch(); the check runs before any handler.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponseBase
from django.views.generic import TemplateView

from platform_core.accounts.models import Role, User
from platform_core.tenancy.models import Village


class _Guarded(TemplateView):
    guard_name = "guard"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "dispatch" in cls.__dict__:
            raise TypeError(f"{cls.__name__} may not override dispatch(); access checks live in the base class")

    def allowed(self, request: HttpRequest, user: User) -> bool:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not isinstance(user, User) or not self.allowed(request, user):
            raise Http404("Halaman tidak ditemukan.")
        return super().dispatch(request, *args, **kwargs)


class VillageOperatorView(_Guarded):
    def allowed(self, request: HttpRequest, user: User) -> bool:
        village = getattr(request, "tenant", None)
        return isinstance(village, Village) and user.can_operate(village)

    @property
    def village(self) -> Village:
        village = getattr(self.request, "tenant", None)
        assert isinstance(village, Village)
        return village


class ConsoleView(_Guarded):
    def allowed(self, request: HttpRequest, user: User) -> bool:
        return getattr(request, "tenant", None) is None and bool(user.console_roles())

    def primary_role(self) -> Role:
        user = self.request.user
        assert isinstance(user, User)
        order = [Role.Tingkat.PROVINSI, Role.Tingkat.KABUPATEN, Role.Tingkat.KECAMATAN]
        return sorted(user.console_roles(), key=lambda r: order.index(Role.Tingkat(r.tingkat)))[0]
