"""Cross-village isolation matrix (trust.md, "Isolation").

The operator of village A signs in on A's subdomain, then calls every URL of a
village site on village B's host, with every method, three ways: replaying A's
session cookie in a fresh client on B's host, using A's own client with B's Host
header, and anonymously. Nothing of B's may come back and nothing in B may change.
The same for the province endpoints on the apex. URLs are enumerated from the
URLconfs: a new endpoint joins the matrix without touching this file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from platform_core.accounts.models import User
from platform_core.tenancy import schemas
from platform_core.tenancy.schemas import village_context
from tests.conftest import Villages, host_of, resident_create, signed_in

VILLAGE_URLCONF = "platform_core.urls_village"
PUBLIC_URLCONF = "platform_core.urls_public"
METHODS = ("get", "post", "put", "patch", "delete")

# Pages anyone may open; they may answer 200 but still must not show B's personal data.
VILLAGE_PUBLIC = {
    "village-home",
    "masuk",
    "keluar",
    "set_language",
    "schema",
    "api-docs",
    "surat-verifikasi",
    # Resident self-service: sign-in (phone, kiosk) and PIN reset; same answer for every NIK.
    "mandiri:masuk",
    "mandiri:keluar",
    "mandiri:anjungan",
    "mandiri:reset-minta",
    "mandiri:reset-selesai",
    "layanan-masuk",
    "layanan-reset-minta",
    "layanan-reset-selesai",
    # Finance open data: aggregates for everyone, no sign-in (still checked for B's personal data).
    "keuangan-terbuka",
    "keuangan-terbuka-tahun",
    "keuangan-terbuka-csv",
    # The transparency portal and the command-center screen (tenants/pembangunan): aggregates, no personal data.
    "transparansi",
    "transparansi-apbdes",
    "transparansi-proyek",
    "transparansi-proyek-detail",
    "transparansi-foto",
    "transparansi-foto-kecil",
    "transparansi-dokumen",
    "transparansi-dokumen-unduh",
    "transparansi-penduduk",
    "transparansi-pengaduan",
    "transparansi-pengaduan-cek",
    "transparansi-data-json",
    "transparansi-data-csv",
    "layar",
    "layar-isi",
}
PROVINCE_PUBLIC = {
    "province-home",
    "masuk",
    "keluar",
    "set_language",
    "schema",
    "api-docs",
    "admin:login",
    "admin:logout",  # non-staff: a redirect to the admin index (then to its login)
    # Open data: aggregates for everyone, no sign-in (still checked for B's personal data).
    "opendata",
    "opendata-csv",
    "opendata-json",
}
SIGN_IN_PATHS = ("/masuk/", "/admin/login/", "/layanan/masuk/", "/layanan/anjungan/")  # operators; residents
# Public tables a request may legitimately touch: sessions, and operator presence (A's operator
# working on A's own host in the controls).
PUBLIC_BOOKKEEPING = ("django_session", "facts_kehadiranoperator")

# Village B's resident and family: one id for both, so any <int:...> in a URL is a real row of B.
B_ID = 4242
B_NAME = "Siti Rahasiawati Kedaton"
B_NIK = "1871014506900007"
B_KK = "1871010101100007"
A_NAME = "Budi Terlihat Bumijaya"
A_NIK = "1801171506900003"
A_KK = "1801170101100003"
B_SECRETS = (B_NAME, B_NIK, B_KK)
# Liveness/readiness probes answer on every host: status and timings only, no sign-in.
VILLAGE_PUBLIC |= {"sehat", "siap"}
PROVINCE_PUBLIC |= {"sehat", "siap"}

PAYLOAD = {
    "nik": "1871014506900099",
    "nama": "Penyusup Dari Desa A",
    "no_kk": "1871010101100099",
    "hubungan": 1,
    "jenis_kelamin": 1,
    "tanggal_lahir": "1990-06-05",
    "agama": 1,
    "pendidikan_kk": 1,
    "pekerjaan": 1,
    "status_kawin": 1,
}


# --- URL enumeration ----------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str  # namespaced URL name, "" when unnamed
    route: str  # as declared, e.g. /api/penduduk/<int:pk>/
    path: str  # with B's ids filled in
    has_params: bool

    def __str__(self) -> str:
        return f"{self.name or '(unnamed)'} {self.path}"


CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


# Slug path parameters with a real value in every village (a breakdown key, a book code).
SLUG_VALUES = {"kunci": "jenis-kelamin", "kode": "induk"}


def value_for(name: str, converter: str) -> str:
    if name in SLUG_VALUES:
        return SLUG_VALUES[name]
    if "nik" in name:
        return B_NIK
    if "kk" in name:
        return B_KK
    if converter == "uuid":
        return f"00000000-0000-0000-0000-{B_ID:012d}"
    if converter in {"int", "str", "slug", "path"}:
        return str(B_ID)
    raise AssertionError(f"no test value for converter {converter!r} ({name}); teach test_isolation.value_for")


def _regex_to_path(regex: str) -> tuple[str, bool]:
    """Fill the named groups of a re_path pattern (the admin uses a few)."""
    out, i, filled = [], 0, False
    regex = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    while i < len(regex):
        match = re.match(r"\(\?P<(\w+)>", regex[i:])
        if not match:
            out.append(regex[i])
            i += 1
            continue
        depth, j = 1, i + match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(regex[j], 0)
            j += 1
        body = regex[i + match.end() : j - 1]
        if re.fullmatch(r"[\w|]+", body):
            out.append(body.split("|")[0])  # an alternation of names: the first is valid
        else:
            out.append(value_for(match.group(1), "path"))
        filled, i = True, j
    return "".join(out).replace("\\", ""), filled


def endpoints(urlconf: str) -> list[Endpoint]:
    found: list[Endpoint] = []

    def walk(patterns: list[Any], route: str, path: str, params: bool, namespace: list[str]) -> None:
        for entry in patterns:
            pattern = entry.pattern
            if isinstance(pattern, RoutePattern):
                text = str(pattern._route)
                filled = CONVERTER.sub(lambda m: value_for(m["name"], m["conv"] or "str"), text)
                has = filled != text
            elif isinstance(pattern, RegexPattern):
                text = str(pattern._regex)
                filled, has = _regex_to_path(text)
            else:
                raise AssertionError(f"unknown pattern type {type(pattern)}; teach test_isolation.endpoints")
            if isinstance(entry, URLResolver):
                ns = [*namespace, entry.namespace] if entry.namespace else namespace
                walk(entry.url_patterns, route + text, path + filled, params or has, ns)
            else:
                assert isinstance(entry, URLPattern)
                name = ":".join([*namespace, entry.name]) if entry.name else ""
                full = "/" + path + filled
                match = resolve(full, urlconf)
                assert match.func == entry.callback, f"{full} resolves to {match.route}, not {route + text}"
                found.append(Endpoint(name=name, route="/" + route + text, path=full, has_params=params or has))

    walk(get_resolver(urlconf).url_patterns, "", "", False, [])
    return found


def test_enumeration_sees_every_village_endpoint() -> None:
    village = {e.name for e in endpoints(VILLAGE_URLCONF)}
    assert {"village-home", "operator-home", "penduduk:list", "penduduk-list", "penduduk-detail", "schema"} <= village
    province = {e.name for e in endpoints(PUBLIC_URLCONF)}
    assert {"province-home", "konsol:home", "provinsi-desa-list", "admin:index", "admin:login"} <= province
    detail = next(e for e in endpoints(VILLAGE_URLCONF) if e.name == "penduduk-detail")
    assert detail.path == f"/api/penduduk/{B_ID}/"


# --- what "nothing leaked, nothing changed" means -------------------------------------


def table_fingerprints(schema: str, *, skip: tuple[str, ...] = ()) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row of every table in a schema.

    `last_login` is left out: signing operator A in (again) is the test, not a change.
    """
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY 1",
            [schema],
        )
        tables = [row[0] for row in cur.fetchall() if row[0] not in skip]
        prints = {}
        for table in tables:
            row_text = "(to_jsonb(t) - 'last_login')::text"
            cur.execute(
                f"SELECT count(*), coalesce(md5(string_agg({row_text}, ',' ORDER BY {row_text})), '') "
                f'FROM "{schema}"."{table}" t'
            )
            count, digest = cur.fetchone()
            prints[table] = (count, digest)
    return prints


def assert_no_secrets(response: HttpResponse, where: str) -> None:
    blob = response.content.decode(errors="replace") + repr(dict(response.headers))
    for secret in B_SECRETS:
        assert secret not in blob, f"{where}: B's data ({secret}) in the response"


def assert_refused(response: HttpResponse, endpoint: Endpoint, public: set[str], where: str) -> None:
    status = response.status_code
    assert status < 500, f"{where}: {status}"
    if endpoint.name in public:
        return
    if status in {301, 302, 303, 307, 308}:
        location = response.headers["Location"]
        assert location.startswith(SIGN_IN_PATHS), f"{where}: redirect to {location}"
        return
    assert status in {401, 403, 404, 405}, f"{where}: {status}"


def send(client: Client, method: str, endpoint: Endpoint, **extra: Any) -> HttpResponse:
    call = getattr(client, method)
    if method in {"get", "delete"}:
        return call(endpoint.path, **extra)  # type: ignore[no-any-return]
    if endpoint.path.startswith("/api/"):
        return call(endpoint.path, PAYLOAD, content_type="application/json", **extra)  # type: ignore[no-any-return]
    if method == "post":
        return call(endpoint.path, PAYLOAD, **extra)  # type: ignore[no-any-return]
    return call(endpoint.path, "nama=Penyusup", content_type="application/x-www-form-urlencoded", **extra)  # type: ignore[no-any-return]


class OperatorA:
    """Operator A's session, signed in on A's subdomain; renewed if a request signed it out.

    Clients are reused: each new Client loads the middleware stack again (slow).
    """

    def __init__(self, villages: Villages) -> None:
        self.villages = villages
        self.client = signed_in("operator_a", host_of(villages.a))
        self.attackers: dict[str, Client] = {}
        self.anonymous: dict[str, Client] = {}

    def ensure(self) -> Client:
        key = self.client.cookies["sessionid"].value if "sessionid" in self.client.cookies else ""
        if not key or not Session.objects.filter(session_key=key).exists():  # /keluar/ flushed it
            self.client = signed_in("operator_a", host_of(self.villages.a))
        return self.client

    def replayed_on(self, host: str) -> Client:
        """An attacker's client on another host carrying (a copy of) A's session cookie."""
        attacker = self.attackers.setdefault(host, Client(HTTP_HOST=host))
        attacker.cookies = SimpleCookie()
        for name, morsel in self.ensure().cookies.items():
            attacker.cookies[name] = morsel.value
        return attacker

    def nobody_on(self, host: str) -> Client:
        anonymous = self.anonymous.setdefault(host, Client(HTTP_HOST=host))
        anonymous.cookies = SimpleCookie()
        return anonymous


def _import_job_create(*, pk: int) -> None:
    """An import job of B whose report names B's resident: the import pages must not show it to A."""
    from tenants.penduduk.models import ImportJob

    issue = {"baris": 2, "kolom": "nik", "pesan": f"NIK {B_NIK} sudah terdaftar atas nama {B_NAME}."}
    ImportJob.objects.create(pk=pk, nama_file="b.xlsx", path="impor/b", status="gagal", galat=[issue])


def _surat_create(*, pk: int) -> None:
    """A letter template, a numbered letter of B's resident and its attachment, all with id `pk`."""
    import datetime

    from tenants.surat.models import Lampiran, Permohonan, TemplatSurat
    from tenants.surat.services import pasang_templat_bawaan, simpan_berkas_privat

    pasang_templat_bawaan()  # seeded now, so a page that lists B's letters writes nothing during the matrix
    templat = TemplatSurat.objects.create(
        pk=pk, kode="uji-b", nama="Uji B", kode_klasifikasi="470", judul="UJI B", isi="[nama]", dokumen=[]
    )
    cetak = {"judul": "UJI B", "isi": f"{B_NAME} NIK {B_NIK}", "nama_samaran": "S*** R*** K***", "desa": {}}
    surat = Permohonan.objects.create(
        pk=pk, templat=templat, penduduk_id=pk, keperluan="uji", status="siap_diambil", nomor=f"470/{pk}/B/2026",
        nomor_urut=pk, tanggal_surat=datetime.date(2026, 1, 5), cetak=cetak, token=str(pk),
    )  # fmt: skip
    path = simpan_berkas_privat(b"%PDF-1.4\n%%EOF\n", sub="lampiran", akhiran=".pdf")
    Lampiran.objects.create(pk=pk, permohonan=surat, kode_dokumen="ktp", path=path, jenis="application/pdf", ukuran=14)


def _keuangan_create(*, pk: int) -> None:
    """B's APBDes, budget line, payment and Siskeudes job with id 4242; the payment names B's resident.
    All frozen (ditetapkan, imported): the owner's control requests cannot delete them mid-matrix."""
    import datetime

    from tenants.keuangan.models import Apbdes, BarisAnggaran, ImporSiskeudes, Transaksi

    apbdes = Apbdes.objects.create(pk=pk, tahun=2025, versi=0, status="ditetapkan", nomor_perdes="1/2024")
    BarisAnggaran.objects.create(
        pk=pk, apbdes=apbdes, kode_rekening="5.2.2.01", kode_kegiatan="01.01.04", sumber_dana="ADD", jumlah=9
    )
    Transaksi.objects.create(
        pk=pk, tahun=2025, tanggal=datetime.date(2025, 3, 1), kode_rekening="5.2.2.01", kode_kegiatan="01.01.04",
        sumber_dana="ADD", jumlah=9, uraian=f"Honor {B_NAME}", asal="siskeudes",
    )  # fmt: skip
    ImporSiskeudes.objects.create(pk=pk, tahun=2025, nama_file="b.zip", path="impor-keuangan/b", status="gagal")


def _pembangunan_create(*, pk: int) -> None:
    """A project with a progress entry, a report and an answered public complaint sent by B's resident."""
    import datetime

    from tenants.pembangunan.models import Dokumen, Pengaduan, Progres, Proyek

    today = datetime.date.today()
    proyek = Proyek.objects.create(
        pk=pk,
        nama="Drainase B",
        tahun=today.year,
        lokasi="RT 1",
        pelaksana="TPK",
        mulai_rencana=today,
        selesai_rencana=today,
    )
    Progres.objects.create(pk=pk, proyek=proyek, tanggal=today, persen=10)
    Dokumen.objects.create(pk=pk, jenis="lainnya", judul="Dok B", tahun=today.year, tanggal=today, path="x", sha256="0")
    Pengaduan.objects.create(
        pk=pk,
        kode="B4242",
        nama=B_NAME,
        kontak=B_NIK,
        judul="Aduan B",
        isi="Isi aduan B",
        status="dijawab",
        jawaban="Jawaban B",
        dijawab_pada=datetime.datetime.now(datetime.UTC),
    )


@pytest.fixture
def residents(villages: Villages, db: None) -> Iterator[None]:
    from platform_core.tenancy import routing
    from platform_core.tenancy.models import Village

    # Finance pages exist only for a desa (a kelurahan gets 404 for all of them): B is a desa here, so
    # those URLs are refused because of isolation, not because B is a kelurahan (rolled back after the test).
    Village.objects.filter(pk=villages.b.pk).update(jenis=Village.Jenis.DESA)
    routing.invalidate()
    with village_context(villages.b):
        resident_create(nama=B_NAME, nik=B_NIK, no_kk=B_KK, pk=B_ID)
        _import_job_create(pk=B_ID)
        _surat_create(pk=B_ID)
        _keuangan_create(pk=B_ID)
        _pembangunan_create(pk=B_ID)
    with village_context(villages.a):
        resident_create(nama=A_NAME, nik=A_NIK, no_kk=A_KK)
    schemas.activate(None)
    yield
    schemas.activate(None)
    routing.invalidate()


# --- the matrices ---------------------------------------------------------------------


def test_operator_of_a_gets_nothing_from_any_url_of_village_b(villages: Villages, residents: None) -> None:
    village_matrix(villages)


def test_the_matrix_catches_a_missing_role_check(
    villages: Villages, residents: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: with the operator check broken, the matrix fails."""
    monkeypatch.setattr(User, "can_operate", lambda self, village: True)
    with pytest.raises(AssertionError, match=r"B's data|: 200"):
        village_matrix(villages)


def village_matrix(villages: Villages) -> None:
    host_b = host_of(villages.b)
    before_b = table_fingerprints(villages.b.schema_name)
    before_a = table_fingerprints(villages.a.schema_name)
    before_public = table_fingerprints("public", skip=PUBLIC_BOOKKEEPING)
    operator = OperatorA(villages)
    # Control: the replayed cookie is a live session (on A's own host it opens the operator pages).
    assert operator.replayed_on(host_of(villages.a)).get("/operator/").status_code == 200
    checked = 0
    for endpoint in endpoints(VILLAGE_URLCONF):
        for method in METHODS:
            for way in ("cookie replayed on B", "A's client, B's host", "anonymous"):
                if way == "cookie replayed on B":
                    response = send(operator.replayed_on(host_b), method, endpoint)
                elif way == "A's client, B's host":
                    response = send(operator.ensure(), method, endpoint, HTTP_HOST=host_b)
                else:
                    response = send(operator.nobody_on(host_b), method, endpoint)
                where = f"{method.upper()} {endpoint} ({way})"
                assert_no_secrets(response, where)
                assert_refused(response, endpoint, VILLAGE_PUBLIC, where)
                checked += 1
    schemas.activate(None)
    assert table_fingerprints(villages.b.schema_name) == before_b
    assert table_fingerprints(villages.a.schema_name) == before_a
    assert table_fingerprints("public", skip=PUBLIC_BOOKKEEPING) == before_public
    assert checked >= 3 * len(METHODS) * 10


def test_the_matrix_urls_reach_real_rows_for_their_owner(villages: Villages, residents: None) -> None:
    """Control: B's own operator on B's host gets B's rows through the same filled-in URLs,
    so the refusals above are refusals, not URLs that point at nothing."""
    owner = signed_in("operator_b", host_of(villages.b))
    seen_b = False
    for endpoint in endpoints(VILLAGE_URLCONF):
        if endpoint.name in VILLAGE_PUBLIC:
            continue
        response = next(
            (r for r in (send(owner, m, endpoint) for m in ("get", "patch", "put", "post")) if r.status_code != 405),
            None,
        )
        assert response is not None, endpoint
        assert response.status_code != 404, f"{endpoint}: the owner gets 404 too, the URL proves nothing"
        seen_b = seen_b or B_NAME in response.content.decode(errors="replace")
        assert A_NAME not in response.content.decode(errors="replace"), endpoint
    assert seen_b


def test_operator_of_a_gets_nothing_from_province_endpoints(villages: Villages, residents: None) -> None:
    before_public = table_fingerprints("public", skip=PUBLIC_BOOKKEEPING)
    before_b = table_fingerprints(villages.b.schema_name)
    operator = OperatorA(villages)
    assert operator.replayed_on("localhost").get("/").wsgi_request.user.username == "operator_a"  # live session
    for endpoint in endpoints(PUBLIC_URLCONF):
        for method in METHODS:
            for way in ("cookie replayed on apex", "anonymous"):
                if way == "anonymous":
                    response = send(operator.nobody_on("localhost"), method, endpoint)
                else:
                    response = send(operator.replayed_on("localhost"), method, endpoint)
                where = f"{method.upper()} {endpoint} ({way})"
                assert_no_secrets(response, where)
                assert_refused(response, endpoint, PROVINCE_PUBLIC, where)
    schemas.activate(None)
    assert table_fingerprints("public", skip=PUBLIC_BOOKKEEPING) == before_public
    assert table_fingerprints(villages.b.schema_name) == before_b


def test_village_operator_is_no_console_user(villages: Villages, residents: None) -> None:
    operator = OperatorA(villages)
    for path in ("/konsol/", "/api/provinsi/desa/", "/admin/"):
        response = operator.replayed_on("localhost").get(path)
        assert response.status_code in {302, 403, 404}, path
        if response.status_code == 302:
            assert response.headers["Location"].startswith(SIGN_IN_PATHS)
