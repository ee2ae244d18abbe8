"""Writes for accounts: users and their roles."""

from __future__ import annotations

from django.db import transaction

from platform_core.accounts.models import Role, User
from platform_core.tenancy.models import Village
from platform_core.wilayah.models import Kabupaten, Kecamatan, Provinsi


class RoleError(ValueError):
    """A role that cannot exist; the message is Indonesian, for the person who asked."""


def _check_region(*, tingkat: str, kode: str) -> Village | None:
    expected = Role.CODE_LENGTH[Role.Tingkat(tingkat)]
    if len(kode) != expected:
        raise RoleError(f"Kode wilayah untuk tingkat {tingkat} harus {expected} karakter, misalnya 18.01.17.")
    if tingkat == Role.Tingkat.DESA:
        village = Village.objects.filter(kode=kode).first()
        if village is None:
            raise RoleError(f"Desa/kelurahan dengan kode {kode} belum terdaftar di Balai.")
        return village
    model = {"provinsi": Provinsi, "kabupaten": Kabupaten, "kecamatan": Kecamatan}[tingkat]
    if not model.objects.filter(kode=kode).exists():  # type: ignore[attr-defined]  # all three have kode pk
        raise RoleError(f"Wilayah dengan kode {kode} tidak dikenal.")
    return None


@transaction.atomic
def user_create_with_role(
    *, username: str, password: str, tingkat: str, kode_wilayah: str, email: str = "", nama: str = ""
) -> User:
    """Create (or update the password of) a user and give them one scoped role. Atomic."""
    village = _check_region(tingkat=tingkat, kode=kode_wilayah)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=email, first_name=nama)
    user.set_password(password)
    user.save()
    Role.objects.get_or_create(user=user, tingkat=tingkat, kode_wilayah=kode_wilayah, defaults={"village": village})
    return user
