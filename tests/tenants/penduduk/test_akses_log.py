"""Access log: one row per full-record read, listed read-only, never editable (UU PDP)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction
from django.test import Client

from platform_core.accounts.models import User
from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import village_context
from tenants.penduduk.models import AksesLog
from tenants.penduduk.services import akses_log_catat
from tests.conftest import Villages, host_of, signed_in
from tests.tenants.penduduk.factories import keluarga_dengan

API = "/api/penduduk/"


def test_a_full_read_writes_exactly_one_row(client_a: Client, in_village_a: Village) -> None:
    # given
    _, p, _ = keluarga_dengan(kepala="Dibaca Sekali")
    # when the operator reads the full record
    assert client_a.get(f"{API}{p.pk}/").status_code == 200
    # then one row: who, how, which resident
    (row,) = AksesLog.objects.filter(penduduk=p)
    assert (row.petugas_nama, row.jalur) == ("operator_a", "api")
    assert row.petugas_id == User.objects.get(username="operator_a").pk
    # and lists, history and the log itself are not full reads
    for url in (API, f"{API}{p.pk}/mutasi/", f"{API}{p.pk}/peristiwa/", f"{API}{p.pk}/akses/"):
        assert client_a.get(url).status_code == 200
    assert AksesLog.objects.filter(penduduk=p).count() == 1
    # a second read is a second row
    client_a.get(f"{API}{p.pk}/")
    assert AksesLog.objects.filter(penduduk=p).count() == 2


def test_the_log_is_listed_read_only(client_a: Client, in_village_a: Village) -> None:
    _, p, _ = keluarga_dengan()
    client_a.get(f"{API}{p.pk}/")
    listed = client_a.get(f"{API}{p.pk}/akses/").json()
    assert listed["count"] == 1 and listed["results"][0]["petugas_nama"] == "operator_a"
    row_id = listed["results"][0]["id"]
    # no method changes it, on the list or anywhere under it
    for method in ("post", "put", "patch", "delete"):
        for url in (f"{API}{p.pk}/akses/", f"{API}{p.pk}/akses/{row_id}/"):
            r = getattr(client_a, method)(url, {"alasan": "diubah"}, content_type="application/json")
            assert r.status_code in (404, 405), (method, url, r.status_code)
    assert list(AksesLog.objects.values_list("alasan", flat=True)) == [""]


def test_the_database_refuses_to_change_or_delete_the_log(in_village_a: Village, user_a: User) -> None:
    _, p, _ = keluarga_dengan()
    row = akses_log_catat(penduduk=p, petugas=user_a, jalur="web", alasan="layanan surat")
    for attempt in (
        lambda: AksesLog.objects.filter(pk=row.pk).update(petugas_nama="orang lain"),
        lambda: AksesLog.objects.filter(pk=row.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    row.refresh_from_db()
    assert row.petugas_nama == "operator_a"


def test_village_b_sees_no_log_of_village_a(client_a: Client, villages: Villages, in_village_a: Village) -> None:
    _, p, _ = keluarga_dengan()
    client_a.get(f"{API}{p.pk}/")
    client_b = signed_in("operator_b", host_of(villages.b))
    assert client_b.get(f"{API}{p.pk}/akses/").status_code == 404
    with village_context(villages.a):
        assert AksesLog.objects.count() == 1
