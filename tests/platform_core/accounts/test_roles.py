"""Accounts and roles: the createuser command, where each role may sign in, and the
base classes that carry the role checks so a view cannot forget them."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from pytest_django.fixtures import Settings
from rest_framework.permissions import AllowAny, BasePermission

from platform_core.accounts import throttle
from platform_core.accounts.backends import may_sign_in_here
from platform_core.accounts.models import Role, User
from platform_core.api.base import PROTECTED, ProvinceAPIView, VillageAPIView
from platform_core.tenancy.models import Village
from platform_core.tenancy.provisioning import provision, village_specs
from platform_core.web.access import ConsoleView, VillageOperatorView
from tests.conftest import PASSWORD, VILLAGE_A, Villages, host_of
from tests.test_isolation import PROVINCE_PUBLIC, PUBLIC_URLCONF, VILLAGE_PUBLIC, VILLAGE_URLCONF, endpoints

CONSOLE_USERS = ("pmd", "opd_lamsel", "camat_candipuro")


class _Request:
    META: ClassVar[dict[str, str]] = {"REMOTE_ADDR": "127.0.0.1"}  # what the test client sends


@pytest.fixture(autouse=True)
def clear_sign_in_throttle() -> Iterator[None]:
    """Failed sign-ins here must not lock these users out for the rest of the session."""
    names = ["operator_a", "operator_b", *CONSOLE_USERS, "baru_desa"]
    for name in names:
        throttle.reset(_Request(), name)  # type: ignore[arg-type]
    yield
    throttle._cache().delete_many([key for name in names for key in throttle._keys(_Request(), name)])  # type: ignore[arg-type]


@pytest.fixture
def fast_hasher(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- balai createuser ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tingkat", "wilayah"),
    [("provinsi", "18"), ("kabupaten", "18.01"), ("kecamatan", "18.01.17"), ("desa", VILLAGE_A)],
)
def test_createuser_for_each_tingkat(
    villages: Villages, db: None, fast_hasher: None, tingkat: str, wilayah: str
) -> None:
    out = io.StringIO()
    call_command(
        "createuser",
        "--username",
        f"baru_{tingkat}",
        "--password",
        PASSWORD,
        "--tingkat",
        tingkat,
        "--wilayah",
        wilayah,
        "--nama",
        "Pengguna Baru",
        stdout=out,
    )
    assert f"Pengguna baru_{tingkat}: {tingkat} {wilayah}" in out.getvalue()
    user = User.objects.get(username=f"baru_{tingkat}")
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    role = user.roles.get()
    assert (role.tingkat, role.kode_wilayah) == (tingkat, wilayah)
    assert role.village == (villages.a if tingkat == Role.Tingkat.DESA else None)


def test_createuser_twice_adds_no_duplicate_role(villages: Villages, db: None, fast_hasher: None) -> None:
    for _ in range(2):
        call_command(
            "createuser", "--username", "baru_desa", "--password", PASSWORD, "--tingkat", "desa", "--wilayah", VILLAGE_A
        )
    assert Role.objects.filter(user__username="baru_desa").count() == 1


@pytest.mark.parametrize(
    ("tingkat", "wilayah", "message"),
    [
        ("kabupaten", "18.1", "harus 5 karakter"),
        ("kecamatan", "18.01", "harus 8 karakter"),
        ("desa", "18.01.17", "harus 13 karakter"),
        ("provinsi", "99", "tidak dikenal"),
        ("kabupaten", "18.99", "tidak dikenal"),
        ("kecamatan", "18.01.99", "tidak dikenal"),
        ("desa", "18.02.21.2011", "belum terdaftar"),  # a real village, not provisioned here
    ],
)
@pytest.mark.usefixtures("villages", "fast_hasher")
def test_createuser_wrong_code_is_an_indonesian_error(db: None, tingkat: str, wilayah: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command(
            "createuser", "--username", "salah", "--password", PASSWORD, "--tingkat", tingkat, "--wilayah", wilayah
        )
    assert not User.objects.filter(username="salah").exists()  # nothing half-made


def test_createuser_refuses_unknown_tingkat(db: None) -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("createuser", "--username", "x", "--password", PASSWORD, "--tingkat", "rt", "--wilayah", "18")


# --- where each role may sign in --------------------------------------------------------


def post_masuk(host: str, username: str) -> Any:
    return Client(HTTP_HOST=host).post("/masuk/", {"username": username, "password": PASSWORD})


def assert_refused(response: Any) -> None:
    assert response.status_code == 200  # the form again, with its error
    assert "salah" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_village_operator_signs_in_on_own_village_only(villages: Villages, db: None) -> None:
    provision(village_specs(["18.01.17"])[:2])  # neighbours in the same kecamatan (rolled back)
    own = post_masuk(host_of(villages.a), "operator_a")
    assert own.status_code == 302
    assert own.headers["Location"] == "/operator/"
    others = list(Village.objects.exclude(pk=villages.a.pk))
    assert len(others) >= 3
    for village in others:
        assert_refused(post_masuk(host_of(village), "operator_a"))
        throttle.reset(_Request(), "operator_a")  # type: ignore[arg-type]
    assert_refused(post_masuk("localhost", "operator_a"))


def test_sign_in_scope_rule_over_every_village(villages: Villages, db: None) -> None:
    """The rule behind the sign-in, checked for each village without hashing passwords."""
    provision(village_specs(["18.01.17"]))
    operator = User.objects.get(username="operator_a")
    for village in Village.objects.all():
        request = type("R", (), {"tenant": village})()
        assert may_sign_in_here(operator, request) == (village.pk == villages.a.pk), village.kode  # type: ignore[arg-type]
        for name in CONSOLE_USERS:
            assert not may_sign_in_here(User.objects.get(username=name), request), (name, village.kode)  # type: ignore[arg-type]
    apex = type("R", (), {"tenant": None})()
    assert not may_sign_in_here(operator, apex)  # type: ignore[arg-type]
    assert all(may_sign_in_here(User.objects.get(username=name), apex) for name in CONSOLE_USERS)  # type: ignore[arg-type]


@pytest.mark.parametrize("username", CONSOLE_USERS)
def test_console_users_open_konsol_but_no_village_pages(villages: Villages, db: None, username: str) -> None:
    apex = Client(HTTP_HOST="localhost")
    signed = apex.post("/masuk/", {"username": username, "password": PASSWORD})
    assert signed.status_code == 302
    assert signed.headers["Location"] == "/konsol/"
    konsol = apex.get("/konsol/")
    assert konsol.status_code == 200
    # Their session carried to a village host opens nothing there.
    for path in ("/operator/", "/operator/penduduk/", "/api/penduduk/"):
        response = apex.get(path, HTTP_HOST=host_of(villages.a))
        assert response.status_code == 404, (username, path, response.status_code)
    # Nor can they sign in on a village host.
    assert_refused(post_masuk(host_of(villages.a), username))


def test_anonymous_konsol_redirects_to_sign_in(db: None) -> None:
    response = Client(HTTP_HOST="localhost").get("/konsol/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk/?next=/konsol/")


# --- role checks live in base classes -----------------------------------------------------


@pytest.mark.parametrize("base", [VillageAPIView, ProvinceAPIView])
@pytest.mark.parametrize("name", PROTECTED)
def test_api_base_refuses_overriding_scoping_hooks(base: type, name: str) -> None:
    with pytest.raises(TypeError, match=name):
        type("Sneaky", (base,), {name: lambda self, *args, **kwargs: None})


@pytest.mark.parametrize("base", [VillageAPIView, ProvinceAPIView])
def test_api_base_refuses_replacing_permission_classes(base: type) -> None:
    with pytest.raises(TypeError, match="permission_classes"):
        type("Open", (base,), {"permission_classes": [AllowAny]})
    # The one escape hatch is spelled so that it shows up in review.
    allowed = type("Reviewed", (base,), {"permission_classes": [AllowAny], "dangerously_custom_permissions": True})
    assert allowed.permission_classes == [AllowAny]


def test_api_base_checks_subclasses_of_subclasses() -> None:
    class Middle(VillageAPIView):
        pass

    with pytest.raises(TypeError):

        class Leaf(Middle):
            def get_permissions(self) -> list[BasePermission]:
                return []


@pytest.mark.parametrize("base", [VillageOperatorView, ConsoleView])
def test_html_base_refuses_overriding_dispatch(base: type) -> None:
    with pytest.raises(TypeError, match="dispatch"):
        type("Sneaky", (base,), {"dispatch": lambda self, request, *args, **kwargs: None})


def _view_class(callback: Any) -> type | None:
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None)


def test_every_village_page_and_endpoint_sits_on_a_guarded_base() -> None:
    """A new village URL is either on the public allow-list or behind VillageOperatorView/VillageAPIView
    (or, for residents' self-service, the resident bases WargaView/WargaAPIView: tenants.mandiri.akses)."""
    from django.urls import resolve

    from tenants.mandiri.akses import WargaView
    from tenants.mandiri.api import WargaAPIView

    unguarded = []
    for endpoint in endpoints(VILLAGE_URLCONF):
        if endpoint.name in VILLAGE_PUBLIC:
            continue
        view = _view_class(resolve(endpoint.path, VILLAGE_URLCONF).func)
        if view is None or not issubclass(view, (VillageOperatorView, VillageAPIView, WargaView, WargaAPIView)):
            unguarded.append(str(endpoint))
    assert unguarded == []


def test_every_province_page_and_endpoint_sits_on_a_guarded_base() -> None:
    from django.urls import resolve

    unguarded = []
    for endpoint in endpoints(PUBLIC_URLCONF):
        if endpoint.name in PROVINCE_PUBLIC or endpoint.route.startswith("/admin/"):
            continue  # the admin has its own staff check
        view = _view_class(resolve(endpoint.path, PUBLIC_URLCONF).func)
        if view is None or not issubclass(view, (ConsoleView, ProvinceAPIView)):
            unguarded.append(str(endpoint))
    assert unguarded == []
