"""Compile the .po catalogues to .mo with polib (no GNU gettext needed on the machine).

Run by `make bootstrap`; .mo files are gitignored. Indonesian is the source language
(the msgids); platform_core/locale/en/LC_MESSAGES/django.po is the English catalogue.
To pick up new strings (needs GNU gettext):

    balai makemessages -l en -i .venv -i var -i frontend -i bench -i tests --no-location --no-obsolete
"""

from __future__ import annotations

import sys

import polib

from platform_core.runtime.servers import REPO_ROOT


def main() -> int:
    compiled = 0
    for po_path in sorted((REPO_ROOT / "platform_core" / "locale").glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            po = polib.pofile(str(po_path))
            tmp = mo_path.with_suffix(".mo.tmp")
            po.save_as_mofile(str(tmp))
            tmp.replace(mo_path)  # a running server never reads a half-written catalogue
            compiled += 1
            untranslated = len(po.untranslated_entries())
            note = f", {untranslated} untranslated (shown in Indonesian)" if untranslated else ""
            print(f"[balai] compiled {po_path.relative_to(REPO_ROOT)}{note}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
