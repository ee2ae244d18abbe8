"""`nginx -t` on deploy/nginx/balai.conf.template rendered as the nginx image renders it, with a
throw-away wildcard certificate. Needs an nginx binary (Debian's nginx-light); skipped without one."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or (shutil.which("/usr/sbin/nginx"))

pytestmark = pytest.mark.skipif(NGINX is None, reason="no nginx binary (apt-get install nginx-light)")


def nginx_version() -> tuple[int, ...]:
    assert NGINX
    out = subprocess.run([NGINX, "-v"], capture_output=True, text=True, check=False).stderr
    found = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", out)
    assert found, out
    return tuple(int(x) for x in found.groups())


def test_nginx_accepts_the_config(tmp_path: Path) -> None:
    assert NGINX
    tls = tmp_path / "tls"
    tls.mkdir()
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(tls / "privkey.pem"), "-out", str(tls / "fullchain.pem"),
            "-subj", "/CN=desa.example", "-addext", "subjectAltName=DNS:desa.example,DNS:*.desa.example",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    text = (ROOT / "deploy" / "nginx" / "balai.conf.template").read_text()
    text = text.replace("${BASE_DOMAIN}", "desa.example").replace("/etc/nginx/tls", str(tls))
    text = text.replace("server web:8000;", "server 127.0.0.1:8000;")  # no compose DNS here
    if nginx_version() < (1, 25, 1):  # `http2 on;` is newer than Debian 12's nginx; the image has 1.27
        text = text.replace("    http2 on;", "")
    (tmp_path / "balai.conf").write_text(text)
    temp = tmp_path / "tmp"
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\nhttp {{\n"
        f"  access_log off;\n  client_body_temp_path {temp}; proxy_temp_path {temp};\n"
        f"  fastcgi_temp_path {temp}; uwsgi_temp_path {temp}; scgi_temp_path {temp};\n"
        f"  include {tmp_path}/balai.conf;\n}}\n"
    )
    result = subprocess.run(
        [NGINX, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
