"""The UI shell without a browser: layouts, language switch, error pages, assets (Django test client)."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import Client

from platform_core.runtime.assets import FILES
from tests.conftest import Villages, host_of, signed_in


def test_operator_home_uses_the_operator_layout(villages: Villages, db: None) -> None:
    client = signed_in("operator_a", host_of(villages.a))
    html = client.get("/operator/").content.decode()
    assert 'data-testid="village-name"' in html
    assert "Bumi Jaya" in html
    assert 'action="/keluar/" method="post"' in html  # sign-out is a POST form
    assert "/operator/penduduk/" in html
    assert "/api/docs/" in html


def test_pages_carry_no_inline_script(villages: Villages, db: None) -> None:
    pages = [
        (signed_in("operator_a", host_of(villages.a)), "/operator/"),
        (Client(HTTP_HOST=host_of(villages.a)), "/"),
        (Client(HTTP_HOST=host_of(villages.a)), "/masuk/"),
        (Client(HTTP_HOST="localhost"), "/"),
        (signed_in("pmd", "localhost"), "/konsol/"),
    ]
    for client, path in pages:
        html = client.get(path).content.decode()
        for tag in html.split("<script")[1:]:
            head = tag.split(">", 1)[0]
            assert "src=" in head or 'type="application/json"' in head, (path, head)
        # every script/stylesheet/font comes from our own origin (a CSRF token may contain "cdn")
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not url.startswith(("http://", "https://", "//")) or "localhost" in url, (path, url)


def test_english_after_switching_language(villages: Villages, db: None) -> None:
    client = Client(HTTP_HOST=host_of(villages.a), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert "Masuk sebagai operator" in client.get("/").content.decode()  # Indonesian by default
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Sign in as operator" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Masuk sebagai operator" in client.get("/").content.decode()


def test_console_home_per_role(villages: Villages, db: None) -> None:
    for username, label in (("pmd", "Provinsi"), ("opd_lamsel", "Lampung Selatan"), ("camat_candipuro", "Candipuro")):
        html = signed_in(username, "localhost").get("/konsol/").content.decode()
        assert label in html, username
        assert 'data-chart="#chart-konsol"' in html, username
        assert "Bumi Jaya" in html, username


def test_province_home_lists_villages_with_a_filter(villages: Villages, db: None) -> None:
    html = Client(HTTP_HOST="localhost").get("/").content.decode()
    assert 'data-filter="#daftar-wilayah"' in html
    assert f"http://{villages.a.slug}.{settings.BASE_DOMAIN}" in html
    assert "Kedaton" in html
    assert "/masuk/" in html


def test_unknown_page_is_indonesian_404(villages: Villages, db: None) -> None:
    response = Client(HTTP_HOST=host_of(villages.a)).get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_vendor_assets_are_installed() -> None:
    static = settings.BASE_DIR / "platform_core" / "static" / "vendor"
    missing = [dst for _src, dst in FILES if not (static / dst).exists()]
    assert missing == [], "run `make bootstrap` (python -m platform_core.runtime.assets)"
