"""DRF base classes that do the scoping, so a view cannot forget it.

VillageAPIView: endpoints on a village subdomain, for that village's operators.
ProvinceAPIView: endpoints on the apex, for province/kabupaten/kecamatan staff.
"Forbidden" and "not found" get the same 404 answer (trust.md). Subclasses may
not override the scoping hooks (PostHog's routing.py pattern); the one escape
hatch is spelled `dangerously_*` so it shows up in review.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from rest_framework import exceptions, generics, serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.accounts.models import User
from platform_core.tenancy.models import Village

PROTECTED = ("initial", "get_permissions", "check_permissions", "check_object_permissions")


def _refuse_overrides(cls: type, base: type) -> None:
    for name in PROTECTED:
        if name in cls.__dict__:
            raise TypeError(f"{cls.__name__} may not override {name}(); scoping lives in {base.__name__}")
    if "permission_classes" in cls.__dict__ and not cls.__dict__.get("dangerously_custom_permissions"):
        raise TypeError(f"{cls.__name__} may not replace permission_classes; set dangerously_custom_permissions")


def village_of(request: Request) -> Village | None:
    tenant = getattr(request._request, "tenant", None)
    return tenant if isinstance(tenant, Village) else None


class IsVillageOperator(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        village = village_of(request)
        if village is None:
            raise exceptions.NotFound()
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        if not isinstance(request.user, User) or not request.user.can_operate(village):
            raise exceptions.NotFound()
        return True


class IsConsoleStaff(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        if village_of(request) is not None:
            raise exceptions.NotFound()
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        if not isinstance(request.user, User) or not request.user.console_roles():
            raise exceptions.NotFound()
        return True


class _ScopedAPIView(generics.GenericAPIView):  # type: ignore[type-arg]  # generic over each subclass's model
    def paginated(self, queryset: QuerySet[Any], output: type[serializers.BaseSerializer[Any]]) -> Response:
        """One page of `queryset` through `output`, in the project's pagination shape."""
        page = self.paginate_queryset(queryset)
        assert page is not None  # settings always set a pagination class
        return self.get_paginated_response(output(page, many=True).data)


class VillageAPIView(_ScopedAPIView):
    permission_classes: ClassVar[list[type[BasePermission]]] = [IsVillageOperator]  # type: ignore[misc]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _refuse_overrides(cls, VillageAPIView)

    @property
    def village(self) -> Village:
        village = village_of(self.request)
        assert village is not None  # guaranteed by IsVillageOperator
        return village


class ProvinceAPIView(_ScopedAPIView):
    permission_classes: ClassVar[list[type[BasePermission]]] = [IsConsoleStaff]  # type: ignore[misc]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _refuse_overrides(cls, ProvinceAPIView)

    def scope_villages(self, queryset: QuerySet[Village]) -> QuerySet[Village]:
        """Villages inside the user's console roles (province, kabupaten or kecamatan)."""
        user = self.request.user
        assert isinstance(user, User)
        from django.db.models import Q

        condition = Q(pk__in=[])
        for role in user.console_roles():
            condition |= Q(kode__startswith=role.kode_wilayah + ".")
        return queryset.filter(condition)
