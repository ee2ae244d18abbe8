"""The counter: the operator issues a one-time PIN (shown once on a slip), revokes it, records the phone."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client

from platform_core.tenancy.models import Village
from tenants.mandiri.models import PinWarga
from tenants.outbox.models import OutboxEvent
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Penduduk
from tests.conftest import Villages, host_of, signed_in
from tests.tenants.mandiri.conftest import PIN, masuk, tamu


def test_operator_issues_a_one_time_pin_on_a_slip(
    warga: Callable[..., Penduduk], client_a: Client, host_a: str
) -> None:
    p = warga(pin=None, nama="Rahmat Hidayat")
    index = client_a.get("/operator/layanan-mandiri/", {"q": "Rahmat"})
    assert f"/operator/layanan-mandiri/{p.pk}/" in index.content.decode()
    assert client_a.get(f"/operator/layanan-mandiri/{p.pk}/").status_code == 200
    assert client_a.get(f"/operator/layanan-mandiri/{p.pk}/pin/").status_code == 405

    slip = client_a.post(f"/operator/layanan-mandiri/{p.pk}/pin/")
    assert slip.status_code == 200 and slip.headers["Cache-Control"] == "no-store"
    html = slip.content.decode()
    pin = re.search(r'data-testid="pin">(\d{6})<', html)
    assert pin is not None
    assert p.nik not in html and p.nik[-4:] in html  # the slip masks the NIK
    row = PinWarga.objects.get(penduduk=p)
    assert row.sekali_pakai and pin.group(1) not in row.pin_hash
    assert OutboxEvent.objects.filter(topic="mandiri.pin_diterbitkan", payload__penduduk_id=p.pk).exists()
    # the page never shows it again
    assert pin.group(1) not in client_a.get(f"/operator/layanan-mandiri/{p.pk}/").content.decode()
    # the resident signs in with it and must change it
    assert masuk(tamu(host_a), p.nik, pin.group(1)).headers["Location"] == "/layanan/pin/"


def test_no_pin_for_a_resident_who_died(warga: Callable[..., Penduduk], client_a: Client) -> None:
    p = warga(pin=None, status_dasar=ref.StatusDasar.MATI)
    response = client_a.post(f"/operator/layanan-mandiri/{p.pk}/pin/", follow=True)
    assert "hanya untuk penduduk yang hidup" in response.content.decode()
    assert not PinWarga.objects.filter(penduduk=p).exclude(pin_hash="").exists()


def test_revoke_ends_the_residents_session(warga: Callable[..., Penduduk], client_a: Client, host_a: str) -> None:
    p = warga()
    resident = tamu(host_a)
    masuk(resident, p.nik)
    client_a.post(f"/operator/layanan-mandiri/{p.pk}/cabut/")
    assert resident.get("/layanan/").status_code == 302
    assert masuk(tamu(host_a), p.nik, PIN).status_code == 200


def test_verified_phone(warga: Callable[..., Penduduk], client_a: Client) -> None:
    p = warga()
    bad = client_a.post(f"/operator/layanan-mandiri/{p.pk}/telepon/", {"telepon": "12ab"})
    assert "Nomor HP tidak dikenal" in bad.content.decode()
    client_a.post(f"/operator/layanan-mandiri/{p.pk}/telepon/", {"telepon": "+62 812-3456-7890"})
    assert PinWarga.objects.get(penduduk=p).telepon_terverifikasi == "081234567890"


def test_operator_of_b_cannot_touch_a_resident_of_a(
    warga: Callable[..., Penduduk], villages: Villages, in_village_a: Village
) -> None:
    p = warga()
    other = signed_in("operator_b", host_of(villages.b))
    for path in (f"/operator/layanan-mandiri/{p.pk}/", "/operator/layanan-mandiri/"):
        assert other.get(path, HTTP_HOST=host_of(villages.a)).status_code == 404
    assert other.post(f"/operator/layanan-mandiri/{p.pk}/pin/", HTTP_HOST=host_of(villages.a)).status_code == 404
