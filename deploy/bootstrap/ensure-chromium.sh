#!/usr/bin/env bash
# Browser tests drive Debian's chromium with Playwright (never a downloaded browser).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[balai] installing Debian chromium for the browser tests"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "[balai] chromium not found and cannot be installed here (need root + apt-get); browser tests will be skipped" >&2
fi
