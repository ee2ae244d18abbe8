"""balai createuser --username NAME --password PW --tingkat desa --wilayah 18.01.17.2011"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from platform_core.accounts.models import Role
from platform_core.accounts.services import RoleError, user_create_with_role


class Command(BaseCommand):
    help = "Buat pengguna dengan satu peran: provinsi, kabupaten, kecamatan, atau operator desa."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--tingkat", required=True, choices=[t.value for t in Role.Tingkat])
        parser.add_argument("--wilayah", required=True, help="kode Kemendagri: 18, 18.01, 18.01.17, 18.01.17.2011")
        parser.add_argument("--email", default="")
        parser.add_argument("--nama", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            user = user_create_with_role(
                username=opts["username"],
                password=opts["password"],
                tingkat=opts["tingkat"],
                kode_wilayah=opts["wilayah"],
                email=opts["email"],
                nama=opts["nama"],
            )
        except RoleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Pengguna {user.username}: {opts['tingkat']} {opts['wilayah']}")
