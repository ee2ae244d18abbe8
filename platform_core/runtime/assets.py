"""Install front-end assets from the npm registry and copy them to static/vendor.

Placeholder until the UI shell lands: does nothing without frontend/package.json.
"""

from __future__ import annotations

from pathlib import Path

from platform_core.runtime.servers import REPO_ROOT


def main() -> int:
    if not (Path(REPO_ROOT) / "frontend" / "package.json").exists():
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
