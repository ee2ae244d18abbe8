"""balai desa tangguhkan|aktifkan|pensiunkan --kode 18.01.17.2011 --alasan "..."
balai desa ganti-slug --kode 18.01.17.2011 --slug bumijaya-baru [--domain desa.example.id] --alasan "..."
balai desa riwayat --kode 18.01.17.2011

Village lifecycle (docs/lifecycle.md). Every action is written to the append-only
riwayat desa with the operating-system user who ran it (or --oleh).
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from platform_core.tenancy import lifecycle


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "tidak-diketahui"


class Command(BaseCommand):
    help = "Siklus hidup desa: tangguhkan, aktifkan, ganti-slug, pensiunkan, riwayat."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True, metavar="AKSI")
        for name, bantuan in (
            ("tangguhkan", "hanya dapat dibaca: semua tulisan ditolak"),
            ("aktifkan", "buka kembali desa yang ditangguhkan atau dipensiunkan"),
            ("pensiunkan", "data disimpan, akses ditutup (410)"),
            ("ganti-slug", "slug/domain baru; domain lama dialihkan (301)"),
            ("riwayat", "tampilkan riwayat status desa"),
        ):
            p = sub.add_parser(name, help=bantuan)
            p.add_argument("--kode", required=True, help="kode Kemendagri (atau slug) desa")
            if name == "riwayat":
                continue
            p.add_argument("--alasan", required=True, help="alasan, dicatat di riwayat desa")
            p.add_argument("--oleh", default="", help="siapa (bawaan: cli:<pengguna OS>)")
            if name == "ganti-slug":
                p.add_argument("--slug", required=True, help="slug baru, mis. bumijaya-candipuro")
                p.add_argument("--domain", default=None, help="domain lengkap (bawaan: <slug>.<BASE_DOMAIN>)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            village = lifecycle.desa_dari_kode(opts["kode"])
            if opts["aksi"] == "riwayat":
                self._riwayat(village)
                return
            common = {"village": village, "alasan": opts["alasan"], "oleh": opts["oleh"] or f"cli:{_os_user()}"}
            if opts["aksi"] == "tangguhkan":
                entry = lifecycle.tangguhkan(**common)
            elif opts["aksi"] == "aktifkan":
                entry = lifecycle.aktifkan(**common)
            elif opts["aksi"] == "pensiunkan":
                entry = lifecycle.pensiunkan(**common)
            else:
                entry = lifecycle.ganti_slug(**common, slug=opts["slug"], domain=opts["domain"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        rincian = "".join(f" {k}={v}" for k, v in entry.rincian.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"{village} ({village.kode}): {entry.get_aksi_display().lower()}, "
                f"status {entry.status_sebelum} -> {entry.status_sesudah}.{rincian}"
            )
        )

    def _riwayat(self, village: Any) -> None:
        self.stdout.write(f"{village} ({village.kode}) status {village.status}, slug {village.slug}")
        for e in lifecycle.riwayat(village):
            self.stdout.write(
                f"{e.waktu:%Y-%m-%d %H:%M:%S} {e.aksi:<11} {e.status_sebelum}->{e.status_sesudah} oleh {e.oleh}: "
                f"{e.alasan}{' ' + str(e.rincian) if e.rincian else ''}"
            )
