"""Territory of the village: dusun -> RW -> RT."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from platform_core.tenancy.models import Village
from tenants.penduduk.models import Dusun, Rt, Rw
from tenants.penduduk.selectors import wilayah_tree
from tenants.penduduk.services import (
    dusun_create,
    dusun_update,
    rt_create,
    rt_update,
    rw_create,
    rw_update,
    wilayah_delete,
    wilayah_rt_ensure,
)
from tests.tenants.penduduk.factories import keluarga_dengan


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_create_rename_and_tree(in_village_a: Village) -> None:
    # given
    dusun = dusun_create(nama="  Dusun   Krajan ")
    rw = rw_create(dusun=dusun, nomor="1")
    rt_create(rw=rw, nomor="RT 02")
    rt_create(rw=rw, nomor="001")
    # when
    dusun_update(dusun=dusun, nama="Dusun Krajan Lor")
    rw_update(rw=rw, nomor="3")
    # then
    (only,) = wilayah_tree()
    assert only.nama == "Dusun Krajan Lor"
    (rw_,) = only.rw_set.all()
    assert rw_.nomor == "003"
    assert [rt.nomor for rt in rw_.rt_set.all()] == ["001", "002"]


def test_duplicates_and_bad_numbers_are_refused(in_village_a: Village) -> None:
    dusun = dusun_create(nama="Dusun I")
    rw = rw_create(dusun=dusun, nomor="001")
    rt = rt_create(rw=rw, nomor="1")
    for call, field in (
        (lambda: dusun_create(nama="dusun i"), "nama"),
        (lambda: dusun_create(nama=" "), "nama"),
        (lambda: rw_create(dusun=dusun, nomor="1"), "nomor"),
        (lambda: rw_create(dusun=dusun, nomor="1A"), "nomor"),
        (lambda: rt_create(rw=rw, nomor="0001"), "nomor"),
        (lambda: rt_create(rw=rw, nomor="1000"), "nomor"),
        (lambda: rt_update(rt=rt_create(rw=rw, nomor="2"), nomor="1"), "nomor"),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert field in errors_of(exc)
    assert (Dusun.objects.count(), Rw.objects.count(), Rt.objects.count()) == (1, 1, 2)
    assert rt.nomor == "001"


def test_delete_only_when_unused(in_village_a: Village) -> None:
    # given an RT where a family lives
    rt = wilayah_rt_ensure(dusun="Dusun II", rw="2", rt="5")
    assert rt is not None
    keluarga_dengan(rt=rt)
    # when / then: the RT, its RW and its dusun cannot go
    for obj, expected in (
        (rt, "1 penduduk, 1 keluarga"),
        (rt.rw, "masih punya 1 RT"),
        (rt.rw.dusun, "masih punya 1 RW"),
    ):
        with pytest.raises(ValidationError) as exc:
            wilayah_delete(obj=obj)
        assert expected in errors_of(exc)["wilayah"][0]
    # an empty RT goes
    kosong = rt_create(rw=rt.rw, nomor="6")
    wilayah_delete(obj=kosong)
    assert not Rt.objects.filter(pk=kosong.pk).exists()


def test_rt_ensure_gets_or_creates_the_path(in_village_a: Village) -> None:
    assert wilayah_rt_ensure(dusun="", rw="", rt="") is None
    first = wilayah_rt_ensure(dusun="Dusun III", rw="01", rt="3")
    again = wilayah_rt_ensure(dusun="DUSUN III", rw="1", rt="003")
    assert first is not None and first == again
    assert (first.rw.dusun.nama, first.rw.nomor, first.nomor) == ("Dusun III", "001", "003")
    no_rw = wilayah_rt_ensure(dusun="Dusun III", rw="", rt="4")
    assert no_rw is not None and no_rw.rw.nomor == "-"
    with pytest.raises(ValidationError) as exc:
        wilayah_rt_ensure(dusun="Dusun III", rw="x1", rt="3")
    assert "rw" in errors_of(exc)
