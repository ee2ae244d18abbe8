"""Compile the .po catalogues to .mo with polib (no GNU gettext needed on the machine)."""

from __future__ import annotations

import polib

from platform_core.runtime.servers import REPO_ROOT


def main() -> int:
    for po_path in (REPO_ROOT / "platform_core" / "locale").glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
