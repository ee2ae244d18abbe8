"""PIN reset through the verified phone, and the counter: nothing tells whether a NIK exists."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from tenants.mandiri import services, throttle
from tenants.mandiri.models import PinWarga
from tenants.mandiri.pengirim import PengirimMemori
from tenants.mandiri.tasks import notify_kode_reset_pin
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Penduduk
from tests.tenants.mandiri.conftest import PIN, masuk, tamu, tanpa_token_csrf

UNKNOWN_NIK = "1801170101010999"
TELEPON = "081234567890"


def _minta(host: str, nik: str, queued: list[int], capture: Any) -> tuple[int, str, str]:
    with capture(execute=True):
        response = tamu(host).post("/layanan/lupa-pin/", {"nik": nik}, follow=True)
    page = tanpa_token_csrf(response.content.decode()).replace(nik, "<nik>")
    return response.status_code, response.redirect_chain[-1][0], page


def _kode() -> str:
    match = re.search(r"\b(\d{6})\b", PengirimMemori.kotak[-1].teks)
    assert match
    return match.group(1)


def test_reset_request_looks_the_same_for_every_nik(
    warga: Callable[..., Penduduk], host_a: str, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    queued: list[int] = []
    monkeypatch.setattr(notify_kode_reset_pin, "delay", queued.append)
    with_phone = warga(telepon=TELEPON)
    without_phone = warga()
    dead = warga(telepon=TELEPON, status_dasar=ref.StatusDasar.MATI)

    answers = [
        _minta(host_a, nik, queued, django_capture_on_commit_callbacks)
        for nik in (with_phone.nik, without_phone.nik, UNKNOWN_NIK, dead.nik)
    ]

    assert answers[0][0] == 200 and answers[0][1] == "/layanan/lupa-pin/kode/?dikirim=1"
    assert all(a == answers[0] for a in answers)
    # one task queued per request whatever the NIK; only the resident with a verified phone gets a code
    assert queued == [with_phone.pk, 0, 0, 0]


def test_reset_by_code_sets_a_new_pin_and_ends_sessions(
    warga: Callable[..., Penduduk], host_a: str, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(notify_kode_reset_pin, "delay", notify_kode_reset_pin)  # the worker, inline
    p = warga(telepon=TELEPON)
    old_session = tamu(host_a)
    masuk(old_session, p.nik)

    _minta(host_a, p.nik, [], django_capture_on_commit_callbacks)
    assert [m.telepon for m in PengirimMemori.kotak] == [TELEPON]
    kode = _kode()
    assert kode not in PinWarga.objects.get(penduduk=p).kode_reset_hash  # only a hash is stored

    client = tamu(host_a)
    form = {"nik": p.nik, "kode": kode, "pin_baru": "583920", "pin_ulang": "583920"}
    wrong = client.post("/layanan/lupa-pin/kode/", {**form, "kode": "000000" if kode != "000000" else "111111"})
    assert services.PESAN_KODE_GAGAL in wrong.content.decode()
    done = client.post("/layanan/lupa-pin/kode/", form)
    assert done.headers["Location"] == "/layanan/masuk/"
    assert masuk(tamu(host_a), p.nik, "583920").status_code == 302
    assert masuk(tamu(host_a), p.nik, PIN).status_code == 200
    assert old_session.get("/layanan/").status_code == 302  # the session before the reset has ended
    # the code is single-use
    assert (
        "tidak cocok"
        in client.post(
            "/layanan/lupa-pin/kode/", {**form, "pin_baru": "739251", "pin_ulang": "739251"}
        ).content.decode()
    )


def test_wrong_codes_for_unknown_and_known_nik_read_the_same(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga(telepon=TELEPON)
    services.reset_kode_buat(penduduk_id=p.pk)
    pages = []
    for nik in (p.nik, UNKNOWN_NIK):
        form = {"nik": nik, "kode": "999999", "pin_baru": "583920", "pin_ulang": "583920"}
        response = tamu(host_a).post("/layanan/lupa-pin/kode/", form)
        pages.append((response.status_code, tanpa_token_csrf(response.content.decode()).replace(nik, "<nik>")))
    assert pages[0] == pages[1]


def test_a_code_expires_and_dies_after_five_wrong_tries(warga: Callable[..., Penduduk], monkeypatch: Any) -> None:
    monkeypatch.setattr(throttle, "terkunci", lambda *a, **k: False)  # the row's own limits, not Redis'
    p = warga(telepon=TELEPON)
    kode = services.reset_kode_buat(penduduk_id=p.pk)
    assert kode is not None
    PinWarga.objects.filter(penduduk=p).update(kode_reset_kedaluwarsa=timezone.now())
    args = {"nik": p.nik, "pin_baru": "583920", "pin_ulang": "583920", "addr": "10.1.1.1"}
    try:
        services.reset_selesaikan(kode=kode.kode, **args)
        raise AssertionError("expired code accepted")
    except services.ValidationError:
        pass
    kode = services.reset_kode_buat(penduduk_id=p.pk)
    assert kode is not None
    for _ in range(services.KODE_RESET_GAGAL_MAKS):
        with contextlib.suppress(services.ValidationError):
            services.reset_selesaikan(kode="999999" if kode.kode != "999999" else "888888", **args)
    try:
        services.reset_selesaikan(kode=kode.kode, **args)
        raise AssertionError("code accepted after five wrong tries")
    except services.ValidationError:
        pass


def test_reset_requests_are_rate_limited(warga: Callable[..., Penduduk], host_a: str, monkeypatch: Any) -> None:
    monkeypatch.setattr(notify_kode_reset_pin, "delay", lambda pk: None)
    for _ in range(throttle.RESET_MINTA.per_nik):
        assert tamu(host_a).post("/layanan/lupa-pin/", {"nik": UNKNOWN_NIK}).status_code == 302
    response = tamu(host_a).post("/layanan/lupa-pin/", {"nik": UNKNOWN_NIK})
    assert response.status_code == 429
    assert throttle.PESAN_RESET_TERLALU_SERING in response.content.decode()
