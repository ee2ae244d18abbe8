"""Console screens: scope per role on every konsol: URL, landing pages, feed, constant query counts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from platform_core.accounts.models import User
from platform_core.facts.models import Fakta
from platform_core.facts.services import generasi_naikkan
from platform_core.tenancy.models import Village
from tests.conftest import Villages
from tests.provinsi.fakta import aktivitas, desa_buat, fakta, hadir, isi_lengkap

CANDIPURO = "18.01.17"
KONSOL = {
    "home",
    "provinsi",
    "kabupaten",
    "kecamatan",
    "desa",
    "feed",
    "indikator",
    "idm-impor",
}


def client_of(username: str) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=username))
    return client


def konsol_names() -> set[str]:
    resolver = get_resolver("platform_core.urls_public")
    return {name for name in resolver.namespace_dict["konsol"][1].reverse_dict if isinstance(name, str)}


@pytest.fixture
def wilayah(villages: Villages, db: None) -> dict[str, Any]:
    """Villages in Candipuro, in another kecamatan of Lampung Selatan, and Kedaton (Bandar Lampung)."""
    lain_kec = (
        Village._meta.apps.get_model("wilayah", "Kecamatan")
        .objects.filter(kabupaten_id="18.01")
        .exclude(kode=CANDIPURO)
        .order_by("kode")
        .first()
    )
    sendiri = desa_buat(CANDIPURO, 2, nama="Sukamaju Candipuro")
    tetangga = desa_buat(lain_kec.kode, 2, nama="Rahasia Tetangga")
    for v in (*sendiri, villages.a, *tetangga, villages.b):
        fakta(v, "penduduk_jumlah", 500)
        fakta(v, "kesegaran_hari", 3)
        aktivitas(v, f"Aktivitas {v.nama}")
    return {"sendiri": sendiri, "tetangga": tetangga, "lain_kec": lain_kec.kode}


def urls_for(kode_kec: str, kode_kab: str, desa: str) -> dict[str, str]:
    return {
        "home": "/konsol/",
        "provinsi": "/konsol/provinsi/",
        "kabupaten": f"/konsol/kabupaten/{kode_kab}/",
        "kecamatan": f"/konsol/kecamatan/{kode_kec}/",
        "desa": f"/konsol/desa/{desa}/",
        "feed": f"/konsol/feed/{kode_kec}/",
        "indikator": f"/konsol/indikator/penduduk_jumlah/?wilayah={kode_kec}",
        "idm-impor": "/konsol/idm/impor/",
    }


def test_every_konsol_url_is_covered_here() -> None:
    assert konsol_names() == KONSOL, "a new konsol: URL needs a row in the scope tests below"


def test_kecamatan_user_sees_only_its_villages_everywhere(wilayah: dict[str, Any], villages: Villages) -> None:
    camat = client_of("camat_candipuro")
    own = urls_for(CANDIPURO, "18.01", wilayah["sendiri"][0].kode)
    for name in ("home", "kecamatan", "desa", "feed", "indikator"):
        response = camat.get(own[name])
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "Rahasia Tetangga" not in html, name
        assert "Kedaton" not in html, name
    assert "Sukamaju Candipuro" in camat.get(own["kecamatan"]).content.decode()
    assert "Sukamaju Candipuro" in camat.get(own["feed"]).content.decode()
    other = urls_for(wilayah["lain_kec"], "18.71", wilayah["tetangga"][0].kode)
    refused = {
        "provinsi": other["provinsi"],
        "kabupaten (own)": own["kabupaten"],
        "kabupaten (other)": other["kabupaten"],
        "kecamatan": other["kecamatan"],
        "desa": other["desa"],
        "desa B": f"/konsol/desa/{villages.b.kode}/",
        "feed": other["feed"],
        "feed kab": "/konsol/feed/18.01/",
        "indikator": other["indikator"],
        "indikator province": "/konsol/indikator/penduduk_jumlah/?wilayah=18",
        "idm-impor": other["idm-impor"],
    }
    for label, url in refused.items():
        assert camat.get(url).status_code == 404, label
    assert camat.post("/konsol/idm/impor/").status_code == 404


def test_kabupaten_user_stays_in_its_kabupaten(wilayah: dict[str, Any], villages: Villages) -> None:
    opd = client_of("opd_lamsel")
    html = opd.get("/konsol/").content.decode()
    assert "Rahasia Tetangga" in html and "Sukamaju Candipuro" in html
    assert "Kedaton" not in html
    assert 'hx-trigger="every 10s"' in html
    assert opd.get(f"/konsol/kecamatan/{wilayah['lain_kec']}/").status_code == 200
    for url in (
        "/konsol/provinsi/",
        "/konsol/kabupaten/18.71/",
        f"/konsol/desa/{villages.b.kode}/",
        "/konsol/feed/18.71/",
    ):
        assert opd.get(url).status_code == 404, url


def test_province_sees_everything_and_every_number_links_down(wilayah: dict[str, Any], villages: Villages) -> None:
    pmd = client_of("pmd")
    html = pmd.get("/konsol/provinsi/").content.decode()
    assert "/konsol/kabupaten/18.01/" in html and "/konsol/kabupaten/18.71/" in html
    assert "/konsol/indikator/penduduk_jumlah/" in html
    kab = pmd.get("/konsol/kabupaten/18.01/").content.decode()
    assert f"/konsol/kecamatan/{CANDIPURO}/" in kab
    kec = pmd.get(f"/konsol/kecamatan/{CANDIPURO}/").content.decode()
    assert f"/konsol/desa/{villages.a.kode}/" in kec
    ind = pmd.get("/konsol/indikator/penduduk_jumlah/").content.decode()
    assert "?wilayah=18.01" in ind
    ind_kec = pmd.get(f"/konsol/indikator/penduduk_jumlah/?wilayah={CANDIPURO}").content.decode()
    assert f"/konsol/desa/{villages.a.kode}/" in ind_kec
    assert pmd.get(f"/konsol/desa/{villages.b.kode}/").status_code == 200
    assert pmd.get("/konsol/indikator/tidak-ada/").status_code == 404
    assert pmd.get("/konsol/kecamatan/99.99.99/").status_code == 404


def test_village_operator_sees_no_province_screen(wilayah: dict[str, Any], villages: Villages) -> None:
    operator = client_of("operator_a")
    for name, url in urls_for(CANDIPURO, "18.01", villages.a.kode).items():
        response = operator.get(url)
        assert response.status_code == 404, name
    anonymous = Client(HTTP_HOST="localhost")
    for name, url in urls_for(CANDIPURO, "18.01", villages.a.kode).items():
        response = anonymous.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/masuk/"), name


def test_landing_page_per_role(wilayah: dict[str, Any]) -> None:
    assert "Dasbor Dinas PMD" in client_of("pmd").get("/konsol/").content.decode()
    assert "Per kecamatan" in client_of("opd_lamsel").get("/konsol/").content.decode()
    camat = client_of("camat_candipuro").get("/konsol/").content.decode()
    assert 'data-testid="laporan"' in camat and "belum ada data" in camat
    assert 'data-testid="surat-camat"' in camat


def test_kecamatan_follows_up_reports_and_letters_per_village(villages: Villages, db: None) -> None:
    """Obligations come from the facts: done, not done (linked), no data yet; kelurahan have no APBDes."""
    sudah, belum, kosong = desa_buat(CANDIPURO, 3, nama="Desa Lapor")
    fakta(sudah, "apbdes_terbit", 1)
    fakta(belum, "apbdes_terbit", 0)
    fakta(kosong, "apbdes_terbit", None)
    fakta(belum, "surat_menunggu_camat", 3)
    fakta(sudah, "surat_menunggu_camat", 0)
    html = client_of("camat_candipuro").get(f"/konsol/kecamatan/{CANDIPURO}/").content.decode()
    laporan = html.split('data-testid="laporan"')[1].split('data-testid="surat-camat"')[0]
    assert "Sudah 1" in laporan and "Belum 1" in laporan
    assert f'href="/konsol/desa/{belum.kode}/">{belum.nama}</a>' in laporan
    surat = html.split('data-testid="surat-camat"')[1]
    assert f"{belum.nama}</a> (3)" in surat
    assert sudah.nama not in surat.split("</ul>")[0]


def test_feed_shows_operators_online_and_office_hours_note(
    wilayah: dict[str, Any], villages: Villages, monkeypatch: pytest.MonkeyPatch
) -> None:
    sendiri = wilayah["sendiri"]
    hadir(sendiri[0], User.objects.get(username="operator_a").pk, menit_lalu=2)
    hadir(sendiri[1], User.objects.get(username="operator_b").pk, menit_lalu=30)  # not online any more
    from provinsi import selectors

    monkeypatch.setattr(selectors, "jam_kerja", lambda kode, sekarang=None: False)
    html = client_of("camat_candipuro").get(f"/konsol/feed/{CANDIPURO}/").content.decode()
    assert "Di luar jam kerja" in html and "WIB" in html
    assert "Operator daring di 1 desa" in html
    monkeypatch.setattr(selectors, "jam_kerja", lambda kode, sekarang=None: True)
    html = client_of("camat_candipuro").get(f"/konsol/feed/{CANDIPURO}/").content.decode()
    assert "Di luar jam kerja" not in html


def test_desa_card_shows_aggregates_and_pyramid(villages: Villages, db: None) -> None:
    fakta(villages.a, "penduduk_jumlah", 12)
    fakta(
        villages.a,
        "piramida_umur",
        12,
        rincian={"0-4": {"L": 3, "P": 4}, "5-9": {"L": 2, "P": 3}, "tidak_diketahui": 0},
    )
    html = client_of("camat_candipuro").get(f"/konsol/desa/{villages.a.kode}/").content.decode()
    assert 'data-chart="#chart-piramida"' in html
    assert 'data-indikator="penduduk_jumlah">12' in html
    assert "belum ada data" in html


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_villages(villages: Villages, db: None) -> None:
    lain = desa_buat("18.71.01", 1)
    sedikit = desa_buat(CANDIPURO, 2)
    isi_lengkap([*sedikit, *lain, villages.a])
    pmd = client_of("pmd")
    pages = [
        "/konsol/provinsi/",
        "/konsol/kabupaten/18.01/",
        f"/konsol/kecamatan/{CANDIPURO}/",
        f"/konsol/desa/{villages.a.kode}/",
        f"/konsol/feed/{CANDIPURO}/",
        "/konsol/indikator/penduduk_jumlah/",
        f"/konsol/indikator/rasio_ktp_el/?wilayah={CANDIPURO}",
        "/data/indikator.csv?tingkat=desa",
        "/data/indikator.json?tingkat=kecamatan",
    ]
    for url in pages:
        _queries(pmd, url)  # warm caches (sessions, content types)
    generasi_naikkan()  # both counts below are of the cold path (no cached village table)
    before = {url: _queries(pmd, url) for url in pages}
    isi_lengkap(desa_buat(CANDIPURO, 12) + desa_buat("18.71.01", 5))
    after = {url: _queries(pmd, url) for url in pages}
    assert after == before
    assert max(before.values()) <= 25, before


def test_console_pages_carry_no_inline_script(wilayah: dict[str, Any], villages: Villages) -> None:
    pmd = client_of("pmd")
    for url in (
        "/konsol/provinsi/",
        "/konsol/kabupaten/18.01/",
        f"/konsol/kecamatan/{CANDIPURO}/",
        f"/konsol/desa/{villages.a.kode}/",
        "/konsol/indikator/penduduk_jumlah/",
        "/konsol/idm/impor/",
    ):
        html = pmd.get(url).content.decode()
        for tag in re.findall(r"<script([^>]*)>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)


def test_village_table_is_cached_but_never_stale(villages: Villages, db: None) -> None:
    """The kabupaten/kecamatan village table comes from the platform cache on the next request, and a
    changed fact (refreshing the stored rollups bumps the facts generation) shows up at once."""
    a, b = desa_buat(CANDIPURO, 2)
    fakta(a, "penduduk_jumlah", 1234)
    fakta(b, "penduduk_jumlah", 77)
    pmd = client_of("pmd")
    for url in ("/konsol/kabupaten/18.01/", f"/konsol/kecamatan/{CANDIPURO}/"):
        assert "1.234" in pmd.get(url).content.decode()
        generasi_naikkan()
        cold = _queries(pmd, url)
        warm = _queries(pmd, url)
        assert warm < cold, (url, warm, cold)  # the second request read the village table from the cache
        assert "1.234" in pmd.get(url).content.decode()
    assert "1.311" in pmd.get("/konsol/provinsi/").content.decode()  # 1234 + 77 in the kabupaten row
    assert "1.311" in pmd.get("/konsol/provinsi/").content.decode()  # (cached this time)
    Fakta.objects.filter(village=a, indikator="penduduk_jumlah").delete()
    fakta(a, "penduduk_jumlah", 4321)  # what the drain does: new fact, stored rollups refreshed
    for url in ("/konsol/kabupaten/18.01/", f"/konsol/kecamatan/{CANDIPURO}/"):
        body = pmd.get(url).content.decode()
        assert "4.321" in body, url
        assert "1.234" not in body, url
    body = pmd.get("/konsol/provinsi/").content.decode()
    assert "4.398" in body
    assert "1.311" not in body


def test_a_busy_region_is_recomputed_at_most_once_per_window(villages: Villages, db: None, settings: Any) -> None:
    """Stale-while-revalidate: a request that finds the page stale serves it as it was and hands the
    refresh to a worker (here: the task run inline); while the region keeps changing, no new refresh is
    sent within BALAI_KONSOL_BASI_DETIK; after the window the next request sends one again. A change in
    one kabupaten leaves another kabupaten's cached page alone."""
    from unittest import mock

    from provinsi import tasks

    settings.BALAI_KONSOL_BASI_DETIK = 30
    a, b = desa_buat(CANDIPURO, 2)
    (lain,) = desa_buat("18.71.01", 1)
    fakta(a, "penduduk_jumlah", 1000)
    fakta(lain, "penduduk_jumlah", 555)
    pmd = client_of("pmd")
    pmd_id = User.objects.get(username="pmd").pk
    prov, kota = "/konsol/provinsi/", "/konsol/kabupaten/18.71/"
    redis = caches["platform"]._cache.get_client(None, write=True)  # type: ignore[attr-defined]

    def window_ends() -> None:  # (also clears marks of an earlier run: Redis keeps them for the window)
        for key in redis.keys("*konsol:*:segarkan"):
            redis.delete(key)

    for key in redis.keys("*konsol:*"):  # pages cached by earlier tests would be served stale here
        redis.delete(key)
    assert "1.000" in pmd.get(prov).content.decode()  # the Lampung Selatan row of the kabupaten table
    assert "555" in pmd.get(kota).content.decode()
    warm_kota = _queries(pmd, kota)
    baris_b = fakta(b, "penduduk_jumlah", 20)  # change 1
    with mock.patch.object(tasks.maintenance_konsol_segarkan, "apply_async") as kirim:
        body = pmd.get(prov).content.decode()
        assert "1.000" in body and "1.020" not in body  # served as it was ...
        assert kirim.call_count == 1  # ... and a worker asked to refresh it
        (path, query, user_id, bahasa) = kirim.call_args.kwargs["args"]
        assert tasks.maintenance_konsol_segarkan(path, query, user_id, bahasa) is True  # the worker
        assert user_id == pmd_id
        assert "1.020" in pmd.get(prov).content.decode()
        assert _queries(pmd, kota) == warm_kota  # another kabupaten: still served from the cache
        Fakta.objects.filter(pk=baris_b.pk).delete()
        fakta(b, "penduduk_jumlah", 30)  # change 2, within the window: no new refresh
        body = pmd.get(prov).content.decode()
        assert "1.020" in body and "1.030" not in body
        assert kirim.call_count == 1
        window_ends()
        assert "1.020" in pmd.get(prov).content.decode()
        assert kirim.call_count == 2  # the window is over: the next stale request sends a refresh
        kirim.side_effect = ConnectionError("broker down")
        window_ends()
        assert "1.030" in pmd.get(prov).content.decode()  # no broker: the request computes it itself


def test_village_table_renders_when_the_cache_fails(
    villages: Villages, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import caches

    (a,) = desa_buat(CANDIPURO, 1)
    fakta(a, "penduduk_jumlah", 1234)

    def rusak(*args: object, **kwargs: object) -> None:
        raise ConnectionError("redis down")

    cache = caches["platform"]
    for nama in ("get", "set", "add", "incr"):
        monkeypatch.setattr(cache, nama, rusak)
    response = client_of("pmd").get("/konsol/kabupaten/18.01/")
    assert response.status_code == 200
    assert "1.234" in response.content.decode()
