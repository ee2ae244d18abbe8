"""The production settings pass `manage.py check --deploy` with no warning (W021 silenced, with
its reason in production.py), refuse to start without their required environment, and log JSON.
(collectstatic with compression, as the image build runs it, takes ~90 s here: not in the suite.)"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "platform_core.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": "postgres://balai:rahasia@postgres:5432/balai",
    "REDIS_URL": "redis://redis:6379/0",
    "BASE_DOMAIN": "desa.example",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and not k.startswith("BALAI_LOG")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_production_settings_pass_check_deploy() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout, result.stdout + result.stderr


def test_production_settings_need_their_environment() -> None:
    for missing in ("SECRET_KEY", "BASE_DOMAIN"):  # DATABASE_URL and REDIS_URL: the same loop in production.py
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
        result = manage("check", env=env)
        assert result.returncode != 0, missing
        assert f"production settings need {missing}" in result.stderr


def test_production_settings_log_json_with_the_village_field() -> None:
    code = "import django, logging; django.setup(); logging.getLogger('balai.uji').warning('halo produksi')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "halo produksi"
    assert line["desa"] == "-"
    assert line["level"] == "WARNING"
