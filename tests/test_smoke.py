from __future__ import annotations

from django.test import Client

from tests.conftest import Villages, host_of


def test_village_home_page(villages: Villages, db: None) -> None:
    response = Client(HTTP_HOST=host_of(villages.a)).get("/")
    assert response.status_code == 200
    assert "Bumi Jaya" in response.content.decode()
    assert "Candipuro" in response.content.decode()


def test_unknown_subdomain_is_a_clear_404(db: None) -> None:
    response = Client(HTTP_HOST="tidakada.localhost").get("/")
    assert response.status_code == 404
    assert "Desa tidak ditemukan" in response.content.decode()


def test_operator_signs_in_on_own_village_only(villages: Villages, db: None) -> None:
    own = Client(HTTP_HOST=host_of(villages.a))
    r = own.post("/masuk/", {"username": "operator_a", "password": "rahasia-Balai-2026"})
    assert r.status_code == 302
    other = Client(HTTP_HOST=host_of(villages.b))
    r = other.post("/masuk/", {"username": "operator_a", "password": "rahasia-Balai-2026"})
    assert r.status_code == 200
    assert "salah" in r.content.decode()
