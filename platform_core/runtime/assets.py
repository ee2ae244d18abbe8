"""Install front-end assets from the npm registry and copy them to static/vendor.

Run by `make bootstrap` as `python -m platform_core.runtime.assets`. The libraries
are pinned by frontend/package-lock.json; only the files the templates load are
copied to platform_core/static/vendor/ (gitignored), so nothing comes from a CDN
at run time. When nothing changed it only compares a few mtimes: no npm call.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

from platform_core.runtime.servers import REPO_ROOT

FRONTEND = Path(REPO_ROOT) / "frontend"
VENDOR = Path(REPO_ROOT) / "platform_core" / "static" / "vendor"

# (file or directory under frontend/node_modules, destination under static/vendor)
FILES: list[tuple[str, str]] = [
    ("bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"),
    ("bootstrap/LICENSE", "bootstrap/LICENSE"),
    ("bootstrap-icons/font/bootstrap-icons.min.css", "bootstrap-icons/bootstrap-icons.min.css"),
    ("bootstrap-icons/font/fonts/bootstrap-icons.woff2", "bootstrap-icons/fonts/bootstrap-icons.woff2"),
    ("bootstrap-icons/font/fonts/bootstrap-icons.woff", "bootstrap-icons/fonts/bootstrap-icons.woff"),
    ("bootstrap-icons/LICENSE", "bootstrap-icons/LICENSE"),
    ("chart.js/dist/chart.umd.min.js", "chart.js/chart.umd.min.js"),
    ("chart.js/LICENSE.md", "chart.js/LICENSE.md"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("htmx.org/LICENSE", "htmx/LICENSE"),
]


class AssetError(RuntimeError):
    """A problem the person running bootstrap has to fix; the message says how."""


def log(message: str) -> None:
    print(f"[balai] {message}", file=sys.stderr, flush=True)


def node_modules_stale(frontend: Path = FRONTEND) -> bool:
    """npm writes node_modules/.package-lock.json on every install; older than the lockfile means stale."""
    installed = frontend / "node_modules" / ".package-lock.json"
    lock = frontend / "package-lock.json"
    return not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime


def ensure_npm() -> str:
    npm = shutil.which("npm")
    if npm:
        return npm
    apt_get = shutil.which("apt-get")
    if os.geteuid() == 0 and apt_get:
        log("npm not found: installing Debian's nodejs and npm with apt-get")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt_get, "update", "-qq"], check=True, env=env, stdout=subprocess.DEVNULL)
        install = [apt_get, "install", "-y", "-qq", "nodejs", "npm"]
        subprocess.run(install, check=True, env=env, stdout=subprocess.DEVNULL)
        npm = shutil.which("npm")
        if npm:
            return npm
    raise AssetError(
        "npm was not found, and it cannot be installed here (that needs root and apt-get). "
        "Install Node.js 18+ with npm (e.g. `sudo apt-get install nodejs npm`), then run `make bootstrap` again."
    )


def npm_ci(frontend: Path = FRONTEND) -> None:
    npm = ensure_npm()
    log("installing front-end packages from the npm registry (npm ci)")
    result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=frontend, check=False)
    if result.returncode != 0:
        raise AssetError(f"`npm ci` failed in {frontend} (exit {result.returncode}); see the npm output above.")
    (frontend / "node_modules" / ".package-lock.json").touch()


def copy_vendor(frontend: Path = FRONTEND, vendor: Path = VENDOR) -> int:
    """Copy the dist files that changed; returns how many were copied."""
    copied = 0
    for src_rel, dst_rel in FILES:
        src = frontend / "node_modules" / src_rel
        dst = vendor / dst_rel
        if not src.exists():
            raise AssetError(f"{src} is missing after npm ci; is frontend/package-lock.json complete?")
        if dst.exists() and dst.stat().st_mtime >= src.stat().st_mtime and dst.stat().st_size == src.stat().st_size:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        copied += 1
    return copied


def main() -> int:
    if not (FRONTEND / "package.json").exists():
        log(f"{FRONTEND / 'package.json'} not found; no front-end assets to install")
        return 1
    # Several checkouts' commands (make run, make test) may bootstrap at once; one npm at a time.
    with (FRONTEND / "package-lock.json").open("rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if node_modules_stale():
                npm_ci()
            copied = copy_vendor()
        except (AssetError, subprocess.CalledProcessError) as exc:
            log(f"front-end assets: {exc}")
            return 1
    if copied:
        log(f"copied {copied} front-end file(s) to {VENDOR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
