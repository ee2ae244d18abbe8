"""The `balai` console script.

balai run [--port 8000] [--demo "--kecamatan 18.01.17"]   servers + web + worker + beat
balai dev exec -- CMD...                                    run CMD with the servers up
balai dev up | down                                         start / stop the embedded servers
balai backup basis | pulihkan-cluster | desa | pulihkan-desa | arsip-desa | malam   (docs/backup.md)
balai <django command> ...                                  e.g. provision, migrate, createuser
"""

from __future__ import annotations

import argparse
import os
import sys

DEMO_DEFAULT = "--kecamatan 18.01.17 --kecamatan 18.71.01"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_core.settings")
    if args[:1] == ["run"]:
        parser = argparse.ArgumentParser(prog="balai run")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--demo", default=os.environ.get("BALAI_DEMO", DEMO_DEFAULT))
        opts = parser.parse_args(args[1:])
        from platform_core.runtime.supervisor import run_platform

        return run_platform(port=opts.port, demo=opts.demo)
    if args[:1] == ["dev"]:
        return _dev(args[1:])
    if args[:1] == ["backup"]:
        os.environ.setdefault("BALAI_ROLE", "maintenance")
        import django

        django.setup()
        from platform_core.backup.command import main as backup_main

        return backup_main(args[1:])
    if args[:1] == ["migrate"]:
        # django-tenants claims `migrate`; ours knows about the template schema.
        args = ["migrate_province", *args[1:]]
    if args[:1] == ["demo-data"]:
        args = ["demo_data", *args[1:]]  # Django command modules cannot have a dash
    from django.core.management import execute_from_command_line

    execute_from_command_line(["balai", *args])
    return 0


def _dev(args: list[str]) -> int:
    from platform_core.runtime import servers
    from platform_core.runtime.supervisor import exec_command

    if args[:1] == ["exec"]:
        rest = args[1:]
        if rest[:1] == ["--"]:
            rest = rest[1:]
        if not rest:
            print("balai dev exec -- CMD...", file=sys.stderr)
            return 2
        return exec_command(rest, fast=os.environ.get("BALAI_PG_DURABLE") != "1")
    if args[:1] == ["up"]:
        pg, rd = servers.postgres(), servers.redis()
        if not pg.is_running():
            pg.start()
        if not rd.is_running():
            rd.start()
        print(f"DATABASE_URL={servers.default_database_url()}\nREDIS_URL={servers.default_redis_url()}")
        return 0
    if args[:1] == ["down"]:
        pg, rd = servers.postgres(), servers.redis()
        if pg.is_running():
            pg.stop()
        if rd.is_running():
            rd.stop()
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
