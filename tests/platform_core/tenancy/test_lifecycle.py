"""Village lifecycle (docs/lifecycle.md): suspend, resume, rename slug/domain, retire.

Most tests run in the test's transaction (rolled back). A read-only *session* only affects
transactions that start after it is set, so the tests that prove the database itself refuses
writes (a GET with side effects, the request path as production runs it) work on committed
data in autocommit, like a real request, and put everything back afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import Client
from django.urls import path
from pytest_django.fixtures import Settings

from platform_core import urls_village
from platform_core.tenancy import lifecycle, routing, schemas
from platform_core.tenancy.models import Domain, RiwayatDesa, Village
from platform_core.tenancy.schemas import village_context
from tenants.penduduk.models import Dusun, Penduduk
from tests.conftest import PASSWORD, Villages, host_of, resident_create, signed_in

PESAN = "Layanan desa ini sedang ditangguhkan: hanya dapat dibaca"
DUSUN_UJI = "Dusun Uji Lifecycle"


# --- a view that writes on GET (the kind of path the middleware cannot see) ----------------


def tulis_lewat_get(request: HttpRequest) -> HttpResponse:
    Dusun.objects.create(nama=DUSUN_UJI)
    return JsonResponse({"ok": True}) if request.path.startswith("/api/") else HttpResponse("ditulis")


urlpatterns = [
    path("uji/tulis/", tulis_lewat_get),
    path("api/uji/tulis/", tulis_lewat_get),
    *urls_village.urlpatterns,
]


# --- fixtures -----------------------------------------------------------------------------------


def fresh(village: Village) -> Village:
    """A copy: the services update the object they get; the session's `villages` must stay as they are."""
    return Village.objects.get(pk=village.pk)


@pytest.fixture(autouse=True)
def clean_state(django_db_blocker: Any) -> Iterator[None]:
    """Every test starts and ends with empty host caches, and with this connection's session
    read-write again in autocommit (a SET made inside a rolled-back transaction is undone,
    but the connection's record of it is only cleared by a SET outside one)."""
    routing.invalidate()
    yield
    routing.invalidate()
    with django_db_blocker.unblock():
        schemas.activate(None)


@pytest.fixture
def restore(villages: Villages, django_db_blocker: Any) -> Iterator[None]:
    """For committed tests: village A and B back to active with their own slug and domain."""
    yield
    with django_db_blocker.unblock():
        schemas.activate(None)
        for v in (villages.a, villages.b):
            Village.objects.filter(pk=v.pk).update(status=Village.Status.ACTIVE, slug=v.slug)
            Domain.objects.filter(tenant_id=v.pk).exclude(domain=host_of(v)).delete()
            Domain.objects.filter(tenant_id=v.pk).update(is_primary=True)
            with village_context(v):
                Dusun.objects.filter(nama=DUSUN_UJI).delete()
        schemas.activate(None)
        routing.invalidate()


def penduduk_count(village: Village) -> int:
    with village_context(village):
        return Penduduk.objects.count()


def dusun_uji_count(village: Village) -> int:
    with village_context(village):
        return Dusun.objects.filter(nama=DUSUN_UJI).count()


# --- services: audited, validated, generation bumped ---------------------------------------------


def test_each_action_is_audited_and_bumps_the_host_cache_generation(villages: Villages, db: None) -> None:
    a = fresh(villages.a)
    g0 = routing.generation()
    entry = lifecycle.tangguhkan(village=a, alasan="Audit keuangan desa", oleh="pmd")
    assert a.status == Village.Status.SUSPENDED
    assert Village.objects.get(pk=a.pk).status == Village.Status.SUSPENDED
    assert routing.generation() > g0
    assert (entry.aksi, entry.status_sebelum, entry.status_sesudah, entry.oleh, entry.alasan) == (
        "tangguhkan",
        "active",
        "suspended",
        "pmd",
        "Audit keuangan desa",
    )
    g1 = routing.generation()
    lifecycle.aktifkan(village=a, alasan="Audit selesai", oleh="pmd")
    assert routing.generation() > g1
    assert [e.aksi for e in lifecycle.riwayat(a)] == ["aktifkan", "tangguhkan"]


def test_the_log_is_append_only(villages: Villages, db: None) -> None:
    entry = lifecycle.tangguhkan(village=fresh(villages.a), alasan="Audit keuangan desa", oleh="pmd")
    with pytest.raises(DatabaseError, match="append-only"):
        RiwayatDesa.objects.filter(pk=entry.pk).update(alasan="diubah")


def test_bad_requests_get_indonesian_errors_and_change_nothing(villages: Villages, db: None) -> None:
    a = fresh(villages.a)
    with pytest.raises(ValidationError, match="alasan"):
        lifecycle.tangguhkan(village=a, alasan=" ", oleh="pmd")
    with pytest.raises(ValidationError, match="tidak dapat diaktifkan: statusnya aktif"):
        lifecycle.aktifkan(village=a, alasan="tidak perlu", oleh="pmd")
    with pytest.raises(ValidationError, match="Slug hanya boleh"):
        lifecycle.ganti_slug(village=a, slug="Bumi Jaya!", alasan="pemekaran", oleh="pmd")
    with pytest.raises(ValidationError, match="sudah dipakai desa lain"):
        lifecycle.ganti_slug(village=a, slug=villages.b.slug, alasan="pemekaran", oleh="pmd")
    assert fresh(villages.a).status == Village.Status.ACTIVE
    assert fresh(villages.a).slug == villages.a.slug
    assert not RiwayatDesa.objects.filter(village=a).exists()


def test_aktif_queryset_leaves_out_suspended_and_retired_villages(villages: Villages, db: None) -> None:
    lifecycle.pensiunkan(village=fresh(villages.b), alasan="Penggabungan desa", oleh="pmd")
    assert set(Village.objects.aktif().values_list("kode", flat=True)) == {villages.a.kode}
    assert set(Village.objects.belum_pensiun().values_list("kode", flat=True)) == {villages.a.kode}
    lifecycle.tangguhkan(village=fresh(villages.a), alasan="Audit keuangan", oleh="pmd")
    assert not Village.objects.aktif().exists()
    assert Village.objects.belum_pensiun().count() == 1
    assert Village.objects.count() == 2  # history keeps both


# --- suspended: the middleware layer ----------------------------------------------------------------


def test_suspended_village_reads_work_with_a_banner(villages: Villages, db: None) -> None:
    with village_context(villages.a):
        warga = resident_create(nama="Warga Terbaca", nik="1801174506900031", no_kk="1801170101100031")
    lifecycle.tangguhkan(village=fresh(villages.a), alasan="Audit keuangan", oleh="pmd")
    public = Client(HTTP_HOST=host_of(villages.a)).get("/")
    assert public.status_code == 200
    assert PESAN in public.content.decode()
    operator = signed_in("operator_a", host_of(villages.a))
    for url in ("/operator/", "/operator/penduduk/", f"/operator/penduduk/{warga.pk}/"):
        page = operator.get(url)
        assert page.status_code == 200, url
        assert PESAN in page.content.decode(), url
    assert operator.get("/api/penduduk/").status_code == 200
    # The active village next door shows no banner.
    assert PESAN not in Client(HTTP_HOST=host_of(villages.b)).get("/").content.decode()


def test_suspended_village_refuses_form_and_api_writes_and_sign_in_still_works(villages: Villages, db: None) -> None:
    lifecycle.tangguhkan(village=fresh(villages.a), alasan="Audit keuangan", oleh="pmd")
    before = penduduk_count(villages.a)
    client = Client(HTTP_HOST=host_of(villages.a))
    signed = client.post("/masuk/", {"username": "operator_a", "password": PASSWORD})
    assert signed.status_code == 302, signed.content.decode()[:500]

    form = client.post(
        "/operator/penduduk/tambah/",
        {"nama": "Tidak Tersimpan", "nik": "1801171205850077"},
        HTTP_REFERER=f"http://{host_of(villages.a)}/operator/penduduk/tambah/",
    )
    assert form.status_code == 423
    assert PESAN in form.content.decode()
    assert "Perubahan tidak disimpan" in form.content.decode()
    assert f'href="http://{host_of(villages.a)}/operator/penduduk/tambah/"' in form.content.decode()  # the form
    elsewhere = client.post("/operator/penduduk/tambah/", {}, HTTP_REFERER="http://evil.example.com/")
    assert 'href="/"' in elsewhere.content.decode()

    api = client.post("/api/penduduk/create/", {"nama": "Tidak Tersimpan"}, content_type="application/json")
    assert api.status_code == 423
    assert api.json()["detail"].startswith(PESAN)
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)("/api/penduduk/1/").status_code == 423
    assert penduduk_count(villages.a) == before
    assert client.post("/keluar/").status_code == 302  # signing out writes only the session


def test_resume_restores_writes(villages: Villages, db: None) -> None:
    a = fresh(villages.a)
    lifecycle.tangguhkan(village=a, alasan="Audit keuangan", oleh="pmd")
    client = signed_in("operator_a", host_of(villages.a))
    assert client.post("/api/penduduk/create/", {}, content_type="application/json").status_code == 423
    lifecycle.aktifkan(village=a, alasan="Audit selesai", oleh="pmd")
    again = client.post("/api/penduduk/create/", {}, content_type="application/json")
    assert again.status_code == 400  # reaches the view: a validation answer, not a refusal
    assert PESAN not in Client(HTTP_HOST=host_of(villages.a)).get("/").content.decode()


# --- suspended: the database refuses too (committed, autocommit, as in production) ------------------


def test_database_session_is_read_only_for_a_suspended_village(
    villages: Villages, committed: Any, restore: None
) -> None:
    with committed:
        lifecycle.tangguhkan(village=fresh(villages.a), alasan="Audit keuangan", oleh="pmd")
        suspended = fresh(villages.a)
        schemas.activate(suspended)
        assert schemas.session_read_only()
        with pytest.raises(DatabaseError) as refused:
            Dusun.objects.create(nama=DUSUN_UJI)
        assert schemas.is_read_only_error(refused.value)
        # The access log may still be written (UU PDP): its own read-write transaction.
        with schemas.audit_write():
            Dusun.objects.create(nama=DUSUN_UJI)
        schemas.activate(fresh(villages.b))  # the next request on this connection: read-write again
        assert not schemas.session_read_only()
        schemas.activate(suspended, writable=True)  # sign-in / sign-out
        assert not schemas.session_read_only()
        schemas.activate(None)
        assert dusun_uji_count(villages.a) == 1  # only the audit_write one


@pytest.mark.parametrize("url", ["/uji/tulis/", "/api/uji/tulis/"])
def test_a_get_with_side_effects_is_refused_by_the_database(
    villages: Villages, committed: Any, restore: None, settings: Settings, url: str
) -> None:
    json = url.startswith("/api/")
    settings.ROOT_URLCONF = __name__
    with committed:
        control = Client(HTTP_HOST=host_of(villages.b)).get(url)
        assert control.status_code == 200  # the same GET writes in an active village
        lifecycle.tangguhkan(village=fresh(villages.a), alasan="Audit keuangan", oleh="pmd")
        response = Client(HTTP_HOST=host_of(villages.a)).get(url)
        assert response.status_code == 423
        if json:
            assert response.json()["detail"].startswith(PESAN)
        else:
            assert PESAN in response.content.decode()
        schemas.activate(None)
        assert dusun_uji_count(villages.a) == 0
        assert dusun_uji_count(villages.b) == 1


def test_committed_form_and_api_writes_change_nothing(villages: Villages, committed: Any, restore: None) -> None:
    with committed:
        lifecycle.tangguhkan(village=fresh(villages.a), alasan="Audit keuangan", oleh="pmd")
        before = penduduk_count(villages.a)
        client = signed_in("operator_a", host_of(villages.a))
        assert client.get("/operator/penduduk/").status_code == 200
        assert client.post("/operator/penduduk/tambah/", {"nama": "X"}).status_code == 423
        assert client.post("/api/penduduk/create/", {}, content_type="application/json").status_code == 423
        assert penduduk_count(villages.a) == before
        lifecycle.aktifkan(village=fresh(villages.a), alasan="Audit selesai", oleh="pmd")
        assert client.post("/api/penduduk/create/", {}, content_type="application/json").status_code == 400
        schemas.activate(None)


# --- rename ---------------------------------------------------------------------------------------------


def test_rename_redirects_the_old_host_permanently_with_the_path(villages: Villages, db: None) -> None:
    old_host = host_of(villages.b)
    client = Client()
    assert client.get("/", HTTP_HOST=old_host).status_code == 200  # warm this process's cache
    g0 = routing.generation()
    lifecycle.ganti_slug(village=fresh(villages.b), slug="kedaton-baru", alasan="Perubahan nama", oleh="pmd")
    assert routing.generation() > g0
    new_host = "kedaton-baru.localhost"

    moved = client.get("/operator/penduduk/?q=siti&page=2", HTTP_HOST=old_host)
    assert moved.status_code == 301
    assert moved.headers["Location"] == f"http://{new_host}/operator/penduduk/?q=siti&page=2"
    assert client.head("/api/penduduk/", HTTP_HOST=old_host).status_code == 301
    with_port = client.get("/x/", HTTP_HOST=f"{old_host}:8048")
    assert with_port.headers["Location"] == f"http://{new_host}:8048/x/"

    home = client.get("/", HTTP_HOST=new_host)
    assert home.status_code == 200
    assert "Kedaton" in home.content.decode()
    assert Domain.objects.get(domain=new_host).is_primary
    assert not Domain.objects.get(domain=old_host).is_primary
    entry = RiwayatDesa.objects.get(village=villages.b, aksi="ganti_slug")
    assert entry.rincian == {
        "slug_lama": villages.b.slug,
        "slug_baru": "kedaton-baru",
        "domain_lama": old_host,
        "domain_baru": new_host,
    }


def test_rename_refuses_unsafe_methods_on_the_old_host(villages: Villages, db: None) -> None:
    old_host = host_of(villages.b)
    lifecycle.ganti_slug(village=fresh(villages.b), slug="kedaton-baru", alasan="Perubahan nama", oleh="pmd")
    before = penduduk_count(villages.b)
    client = signed_in("operator_b", "kedaton-baru.localhost")
    api = client.post("/api/penduduk/create/", {}, content_type="application/json", HTTP_HOST=old_host)
    assert api.status_code == 410
    assert api.json()["alamat_baru"] == "http://kedaton-baru.localhost/api/penduduk/create/"
    assert "sudah pindah" in api.json()["detail"]
    form = client.post("/operator/penduduk/tambah/", {"nama": "X"}, HTTP_HOST=old_host)
    assert form.status_code == 410
    assert "Alamat desa sudah pindah" in form.content.decode()
    assert penduduk_count(villages.b) == before


def test_rename_twice_every_old_host_points_at_the_newest(villages: Villages, db: None) -> None:
    lifecycle.ganti_slug(village=fresh(villages.b), slug="kedaton-dua", alasan="Perubahan nama", oleh="pmd")
    lifecycle.ganti_slug(village=fresh(villages.b), slug="kedaton-tiga", alasan="Perubahan lagi", oleh="pmd")
    for old in (host_of(villages.b), "kedaton-dua.localhost"):
        r = Client().get("/a/", HTTP_HOST=old)
        assert r.headers["Location"] == "http://kedaton-tiga.localhost/a/", old
    # And back to the first name: that domain is primary again, no redirect loop.
    lifecycle.ganti_slug(village=fresh(villages.b), slug=villages.b.slug, alasan="Kembali", oleh="pmd")
    assert Client().get("/", HTTP_HOST=host_of(villages.b)).status_code == 200
    assert Client().get("/", HTTP_HOST="kedaton-tiga.localhost").status_code == 301


def test_rename_reaches_another_process_through_the_generation(villages: Villages, db: None) -> None:
    """Another web process (a second HostCache) drops its entries once the generation moved."""
    other = routing.HostCache()
    host = host_of(villages.b)
    assert other.get(host) is routing._MISSING
    other.put(host, routing.Route(villages.b))
    other._checked_at = 0.0
    assert other.get(host) is not routing._MISSING
    lifecycle.ganti_slug(village=fresh(villages.b), slug="kedaton-baru", alasan="Perubahan nama", oleh="pmd")
    other._checked_at = 0.0  # its once-a-second check is due
    assert other.get(host) is routing._MISSING


# --- retire -----------------------------------------------------------------------------------------------


def test_retired_village_answers_410_everywhere_and_keeps_its_data(villages: Villages, db: None) -> None:
    with village_context(villages.b):
        resident_create(nama="Warga Tetap Tersimpan", nik="1871014506900041", no_kk="1871010101100041")
    before = penduduk_count(villages.b)
    lifecycle.pensiunkan(village=fresh(villages.b), alasan="Penggabungan desa", oleh="pmd")
    client = Client(HTTP_HOST=host_of(villages.b))
    for url in ("/", "/operator/", "/operator/penduduk/", "/masuk/", "/static-tidak-ada/"):
        page = client.get(url)
        assert page.status_code == 410, url
        assert "Desa ini sudah tidak aktif" in page.content.decode()
    api = client.get("/api/penduduk/")
    assert api.status_code == 410
    assert "sudah tidak aktif" in api.json()["detail"]

    sign_in = client.post("/masuk/", {"username": "operator_b", "password": PASSWORD})
    assert sign_in.status_code == 410
    assert "sessionid" not in sign_in.cookies
    assert client.post("/api/penduduk/create/", {}, content_type="application/json").status_code == 410

    assert penduduk_count(villages.b) == before  # data kept in the schema
    with village_context(villages.b):
        assert Penduduk.objects.filter(nama="Warga Tetap Tersimpan").exists()

    lifecycle.aktifkan(village=fresh(villages.b), alasan="Keputusan dibatalkan", oleh="pmd")
    assert client.get("/").status_code == 200


def test_retiring_is_refused_twice_and_renaming_a_retired_village_is_refused(villages: Villages, db: None) -> None:
    lifecycle.pensiunkan(village=fresh(villages.b), alasan="Penggabungan desa", oleh="pmd")
    with pytest.raises(ValidationError, match="tidak dapat dipensiunkan"):
        lifecycle.pensiunkan(village=fresh(villages.b), alasan="Penggabungan desa", oleh="pmd")
    with pytest.raises(ValidationError, match="tidak dapat diganti alamatnya"):
        lifecycle.ganti_slug(village=fresh(villages.b), slug="baru", alasan="Perubahan nama", oleh="pmd")


# --- commands and admin ------------------------------------------------------------------------------------


def test_balai_desa_commands(villages: Villages, db: None, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("desa", "tangguhkan", "--kode", villages.a.kode, "--alasan", "Audit keuangan desa")
    assert fresh(villages.a).status == Village.Status.SUSPENDED
    call_command("desa", "aktifkan", "--kode", villages.a.kode, "--alasan", "Audit selesai")
    call_command("desa", "ganti-slug", "--kode", villages.a.kode, "--slug", "bumijaya-baru", "--alasan", "Nama baru")
    assert fresh(villages.a).slug == "bumijaya-baru"
    call_command("desa", "pensiunkan", "--kode", "bumijaya-baru", "--alasan", "Penggabungan", "--oleh", "pmd")
    assert fresh(villages.a).status == Village.Status.RETIRED
    call_command("desa", "riwayat", "--kode", villages.a.kode)
    out = capsys.readouterr().out
    assert "pensiunkan" in out
    assert "oleh cli:" in out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("desa", "tangguhkan", "--kode", "99.99.99.9999", "--alasan", "tidak ada")
    with pytest.raises(CommandError, match="tidak dapat dipensiunkan"):
        call_command("desa", "pensiunkan", "--kode", villages.a.kode, "--alasan", "lagi-lagi")


def test_admin_actions_ask_for_a_reason_and_log_the_staff_user(villages: Villages, db: None) -> None:
    from platform_core.accounts.models import User

    User.objects.create_superuser(username="admin_uji", password=PASSWORD, email="a@example.com")
    admin = Client(HTTP_HOST="localhost")
    assert admin.login(username="admin_uji", password=PASSWORD)
    url = "/admin/tenancy/village/"
    ask = admin.post(url, {"action": "tangguhkan", "_selected_action": [villages.a.pk]})
    assert ask.status_code == 200
    assert "Alasan" in ask.content.decode()
    assert fresh(villages.a).status == Village.Status.ACTIVE  # nothing until the reason is given
    done = admin.post(
        url, {"action": "tangguhkan", "_selected_action": [villages.a.pk], "apply": "1", "alasan": "Audit keuangan"}
    )
    assert done.status_code == 302
    assert fresh(villages.a).status == Village.Status.SUSPENDED
    assert RiwayatDesa.objects.get(village=villages.a).oleh == "admin_uji"
    renamed = admin.post(
        url,
        {
            "action": "ganti_slug",
            "_selected_action": [villages.b.pk],
            "apply": "1",
            "alasan": "Perubahan nama",
            "slug": "kedaton-baru",
        },
    )
    assert renamed.status_code == 302
    assert fresh(villages.b).slug == "kedaton-baru"
    assert admin.get(f"{url}{villages.a.pk}/change/").status_code == 200


def test_connection_state_is_recorded_on_the_raw_connection(villages: Villages, db: None) -> None:
    """Control for the committed tests: inside a transaction the state is 'unknown' and sent again."""
    schemas.activate(fresh(villages.a))
    connection.ensure_connection()
    Village.objects.filter(pk=villages.a.pk).update(status=Village.Status.SUSPENDED)
    schemas.activate(fresh(villages.a))
    assert getattr(connection.connection, "_balai_read_only", None) is schemas._UNKNOWN


CHILD = """
import sys, django
django.setup()
from platform_core.tenancy import routing
for line in sys.stdin:
    route = routing.resolve(line.strip())
    print("none" if route is None else f"{route.village.slug} {route.village.status} {route.moved_to}", flush=True)
"""


def test_another_web_process_sees_rename_and_suspension_within_a_second(
    villages: Villages, committed: Any, restore: None
) -> None:
    """A real second process (its own host cache, same Redis and database) warms its cache,
    then sees the committed rename and suspension through the generation number."""
    import os
    import subprocess
    import sys
    import time

    from django.conf import settings

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "platform_core.settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "BALAI_HOST_CACHE_SECONDS": "3600",  # only the generation can make it forget
    }
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdin is not None and child.stdout is not None

    def ask(host: str) -> str:
        child.stdin.write(host + "\n")  # type: ignore[union-attr]
        child.stdin.flush()  # type: ignore[union-attr]
        return child.stdout.readline().strip()  # type: ignore[union-attr]

    try:
        old_host = host_of(villages.b)
        assert ask(old_host) == f"{villages.b.slug} active None"  # cached in the child now
        with committed:
            lifecycle.ganti_slug(village=fresh(villages.b), slug="kedaton-baru", alasan="Perubahan nama", oleh="pmd")
            lifecycle.tangguhkan(village=fresh(villages.b), alasan="Audit keuangan", oleh="pmd")
        time.sleep(1.1)  # the child looks at the generation at most once a second
        assert ask(old_host) == "kedaton-baru suspended kedaton-baru.localhost"
        assert ask("kedaton-baru.localhost") == "kedaton-baru suspended None"
    finally:
        child.stdin.close()
        child.wait(timeout=10)


def test_the_read_only_switch_costs_a_statement_only_when_the_mode_changes(
    villages: Villages, committed: Any, restore: None
) -> None:
    from django.test.utils import CaptureQueriesContext

    with committed:
        lifecycle.tangguhkan(village=fresh(villages.a), alasan="Audit keuangan", oleh="pmd")
        a, b = Client(HTTP_HOST=host_of(villages.a)), Client(HTTP_HOST=host_of(villages.b))
        assert b.get("/").status_code == 200
        assert b.get("/").status_code == 200  # warm: the host cache knows both villages
        assert a.get("/").status_code == 200

        def statements(client: Client) -> list[str]:
            with CaptureQueriesContext(connection) as seen:
                assert client.get("/").status_code == 200
            return [q["sql"] for q in seen.captured_queries if not q["sql"].upper().startswith("SET SEARCH_PATH")]

        assert statements(a) == []  # suspended after suspended: the session is already read-only
        assert statements(b) == ["SET default_transaction_read_only = off"]  # the one switch back
        assert statements(b) == []  # active after active: nothing, as before this feature
        assert statements(a) == ["SET default_transaction_read_only = on"]
        schemas.activate(None)
