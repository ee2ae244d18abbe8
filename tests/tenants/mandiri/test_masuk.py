"""Sign-in with NIK + PIN: no way to learn whether a NIK exists, rate limits, locks, one-time PINs.

Given/when/then through the real pages on village A's host (Django's test Client) and the services.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth import hashers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from platform_core.tenancy.schemas import village_context
from tenants.mandiri import services, throttle
from tenants.mandiri.models import PinWarga
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Penduduk
from tests.conftest import Villages, host_of
from tests.tenants.mandiri.conftest import PIN, masuk, penduduk_baru, pin_pasang, tamu, tanpa_token_csrf

UNKNOWN_NIK = "1801170101010999"


def _jawaban(host: str, nik: str, pin: str = "135792") -> tuple[int, str]:
    response = masuk(tamu(host), nik, pin)
    return response.status_code, tanpa_token_csrf(response.content.decode())


def test_every_failing_nik_gets_the_same_page(warga: Callable[..., Penduduk], host_a: str) -> None:
    # given residents: one with a PIN, one without, one who died (right PIN), one whose PIN was revoked
    punya = warga()
    tanpa_pin = warga(pin=None)
    mati = warga(status_dasar=ref.StatusDasar.MATI)
    pindah = warga(status_dasar=ref.StatusDasar.PINDAH)
    dicabut = warga()
    PinWarga.objects.filter(penduduk=dicabut).update(pin_hash="")

    # when each signs in and fails (wrong PIN, unknown NIK, no PIN, dead/moved with their right PIN)
    answers = {
        "unknown": _jawaban(host_a, UNKNOWN_NIK),
        "wrong pin": _jawaban(host_a, punya.nik),
        "no pin": _jawaban(host_a, tanpa_pin.nik),
        "dead, right pin": _jawaban(host_a, mati.nik, PIN),
        "moved, right pin": _jawaban(host_a, pindah.nik, PIN),
        "revoked": _jawaban(host_a, dicabut.nik, PIN),
    }

    # then every answer is byte-for-byte the same page (apart from the NIK typed back into the form)
    normal = {
        k: (status, html.replace(nik, "<nik>"))
        for (k, (status, html)), nik in zip(
            answers.items(), [UNKNOWN_NIK, punya.nik, tanpa_pin.nik, mati.nik, pindah.nik, dicabut.nik], strict=True
        )
    }
    first = normal["unknown"]
    assert first[0] == 200
    assert services.PESAN_MASUK_GAGAL in first[1]
    for name, answer in normal.items():
        assert answer == first, name


def test_unknown_and_known_nik_cost_the_same_work(warga: Callable[..., Penduduk], monkeypatch: Any) -> None:
    """Same timing by construction: one hash and the same queries, whether the NIK exists or not."""
    punya = warga()
    hashes: list[str] = []
    real_make, real_check = hashers.make_password, hashers.check_password
    monkeypatch.setattr(services, "make_password", lambda *a, **k: hashes.append("make") or real_make(*a, **k))
    monkeypatch.setattr(services, "check_password", lambda *a, **k: hashes.append("check") or real_check(*a, **k))

    def run(nik: str) -> tuple[int, list[str]]:
        hashes.clear()
        throttle.clear_all()
        with CaptureQueriesContext(connection) as queries:
            assert services.masuk(nik=nik, pin="135792", addr="10.0.0.1") is None
        shapes = [
            re.sub(r"'[^']*'::timestamptz", "<t>", q["sql"].split(" WHERE ")[0]) for q in queries.captured_queries
        ]
        return len(hashes), shapes

    unknown, known = run(UNKNOWN_NIK), run(punya.nik)
    assert unknown[0] == known[0] == 1
    assert unknown[1] == known[1]


def test_real_hasher_timing_is_alike_for_unknown_and_known_nik(warga: Callable[..., Penduduk], settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    punya = warga()
    pin_pasang(punya, PIN)  # hashed with the real hasher now

    def seconds(nik: str) -> float:
        throttle.clear_all()
        start = time.perf_counter()
        services.masuk(nik=nik, pin="135792", addr="10.0.0.2")
        return time.perf_counter() - start

    samples: dict[str, list[float]] = {"unknown": [], "known": []}
    for _ in range(3):  # alternating, on a shared machine
        samples["unknown"].append(seconds(UNKNOWN_NIK))
        samples["known"].append(seconds(punya.nik))
    unknown, known = statistics.median(samples["unknown"]), statistics.median(samples["known"])
    assert 0.6 < unknown / known < 1.6, samples


def test_right_pin_signs_in_and_opens_the_resident_home(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga(nama="Sari Wulandari")
    client = tamu(host_a)
    response = masuk(client, p.nik)
    assert response.status_code == 302 and response.headers["Location"] == "/layanan/"
    home = client.get("/layanan/")
    assert home.status_code == 200
    assert "Sari Wulandari" in home.content.decode()
    assert home.headers["Cache-Control"] == "no-store"
    assert PinWarga.objects.get(penduduk=p).masuk_terakhir is not None


def test_five_failures_lock_the_nik_whether_it_exists_or_not(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga()
    for nik in (p.nik, UNKNOWN_NIK):
        for _ in range(throttle.MASUK.per_nik):
            assert masuk(tamu(host_a), nik, "135792").status_code == 200
        locked = masuk(tamu(host_a), nik, PIN)  # even the right PIN now waits
        assert locked.status_code == 429
        assert throttle.PESAN_TERKUNCI in locked.content.decode()
    # another resident from the same address still signs in
    other = warga()
    assert masuk(tamu(host_a), other.nik).status_code == 302


def test_one_address_is_limited_across_niks(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga()
    for i in range(throttle.MASUK.per_alamat):
        services.masuk(nik=f"18011701010{i:05d}", pin="135792", addr="127.0.0.1")
    assert masuk(tamu(host_a), p.nik).status_code == 429


def test_sign_in_works_with_redis_down(warga: Callable[..., Penduduk], host_a: str, monkeypatch: Any) -> None:
    class Down:
        def __getattr__(self, name: str) -> Any:
            raise ConnectionError("redis down")

    monkeypatch.setattr(throttle, "_cache", Down)
    p = warga()
    assert masuk(tamu(host_a), p.nik).status_code == 302


def test_the_row_lock_backs_up_the_rate_limit(warga: Callable[..., Penduduk], monkeypatch: Any) -> None:
    """With Redis failing open, ten wrong PINs lock the credential: the right PIN fails like any other."""
    monkeypatch.setattr(throttle, "terkunci", lambda *a, **k: False)
    p = warga()
    for _ in range(services.GAGAL_MAKS):
        assert services.masuk(nik=p.nik, pin="135792", addr="10.0.0.3") is None
    row = PinWarga.objects.get(penduduk=p)
    assert row.terkunci_sampai is not None and row.terkunci_sampai > timezone.now()
    assert services.masuk(nik=p.nik, pin=PIN, addr="10.0.0.3") is None
    PinWarga.objects.filter(pk=row.pk).update(terkunci_sampai=timezone.now())
    assert services.masuk(nik=p.nik, pin=PIN, addr="10.0.0.3") is not None


def test_one_time_pin_must_be_changed_first(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga(pin="739251", sekali_pakai=True)
    client = tamu(host_a)
    assert masuk(client, p.nik, "739251").headers["Location"] == "/layanan/pin/"
    # every other page sends them back to the PIN change
    for path in ("/layanan/", "/layanan/surat/", "/layanan/permohonan/"):
        assert client.get(path).headers["Location"] == "/layanan/pin/", path
    # a guessable PIN is refused with a reason
    for weak, reason in (("111111", "terlalu mudah"), ("123456", "terlalu mudah"), ("050690", "tanggal lahir")):
        page = client.post("/layanan/pin/", {"pin_lama": "739251", "pin_baru": weak, "pin_ulang": weak})
        assert reason in page.content.decode(), weak
    wrong_old = client.post("/layanan/pin/", {"pin_lama": "000001", "pin_baru": "583920", "pin_ulang": "583920"})
    assert "PIN lama tidak cocok" in wrong_old.content.decode()
    # a good PIN: saved, the home opens, the one-time PIN is gone
    done = client.post("/layanan/pin/", {"pin_lama": "739251", "pin_baru": "583920", "pin_ulang": "583920"})
    assert done.headers["Location"] == "/layanan/"
    assert client.get("/layanan/").status_code == 200
    assert not PinWarga.objects.get(penduduk=p).sekali_pakai
    assert masuk(tamu(host_a), p.nik, "739251").status_code == 200  # old PIN: refused
    assert masuk(tamu(host_a), p.nik, "583920").status_code == 302


def test_an_unused_one_time_pin_expires(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga(pin="739251", sekali_pakai=True)
    PinWarga.objects.filter(penduduk=p).update(diterbitkan_pada=timezone.now() - services.PIN_SEKALI_PAKAI_BERLAKU * 2)
    assert masuk(tamu(host_a), p.nik, "739251").status_code == 200


def test_changing_the_pin_ends_other_sessions(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga()
    phone, tablet = tamu(host_a), tamu(host_a)
    masuk(phone, p.nik)
    masuk(tablet, p.nik)
    phone.post("/layanan/pin/", {"pin_lama": PIN, "pin_baru": "583920", "pin_ulang": "583920"})
    assert phone.get("/layanan/").status_code == 200
    assert tablet.get("/layanan/").headers["Location"].startswith("/layanan/masuk/")


def test_sign_out(warga: Callable[..., Penduduk], host_a: str) -> None:
    p = warga()
    client = tamu(host_a)
    masuk(client, p.nik)
    assert client.get("/layanan/keluar/").status_code == 405
    assert client.post("/layanan/keluar/").headers["Location"] == "/layanan/masuk/"
    assert client.get("/layanan/").headers["Location"].startswith("/layanan/masuk/")


def test_a_resident_of_another_village_is_unknown_here(
    warga: Callable[..., Penduduk], host_a: str, villages: Villages
) -> None:
    """Village B's resident with a PIN, on village A's host: the ordinary refusal, nothing of B's."""
    with village_context(villages.b):
        theirs = penduduk_baru(nama="Warga Kedaton Rahasia")
        pin_pasang(theirs, PIN)
    response = masuk(tamu(host_a), theirs.nik, PIN)
    assert response.status_code == 200
    assert services.PESAN_MASUK_GAGAL in response.content.decode()
    assert "Warga Kedaton Rahasia" not in response.content.decode()
    assert masuk(tamu(host_of(villages.b)), theirs.nik, PIN).status_code == 302  # at home it works
