"""Demo data generator: valid, reproducible, loads with integrity, fills only empty villages."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from platform_core.tenancy.models import Village
from platform_core.tenancy.schemas import village_context
from tenants.penduduk import demo
from tenants.penduduk import reference as ref
from tenants.penduduk.models import Dusun, Keluarga, Penduduk, Rt, RumahTangga
from tenants.penduduk.nik import check_nik, check_no_kk, same_birth_date
from tests.conftest import VILLAGE_A, Villages

REFERENCE = dt.date(2026, 1, 1)
STAMP = "2026-01-01 00:00:00+00"


def _generate(n: int, seed: int = 7, kode: str = VILLAGE_A) -> demo.Generated:
    return demo.generate(
        village=demo.VillageInfo.from_code(kode), residents=n, seed=seed, reference=REFERENCE, stamp=STAMP
    )


def _residents(data: demo.Generated) -> list[list[str]]:
    return [line.split("\t") for line in data.rows["penduduk_penduduk"]]


COL = {name.strip(): i for i, name in enumerate(demo.PENDUDUK_COLUMNS.split(","))}


def test_every_nik_and_no_kk_is_valid_and_agrees_with_sex_and_birth_date() -> None:
    # given a generated village of 1,500 residents
    data = _generate(1500)
    rows = _residents(data)
    assert len(rows) == data.residents == 1500
    region = VILLAGE_A.replace(".", "")[:6]
    for row in rows:
        nik = row[COL["nik"]]
        check = check_nik(nik, today=REFERENCE)
        # then every NIK passes the register's own checks
        assert check.valid, (nik, check.errors)
        if row[COL["nik_sementara"]] == "t":
            assert check.nik_sementara and nik.startswith("0" + VILLAGE_A.replace(".", ""))
            continue
        # and sex and birth date in the NIK are the recorded ones
        assert int(check.jenis_kelamin or 0) == int(row[COL["jenis_kelamin"]]), nik
        assert check.tanggal_lahir is not None
        assert same_birth_date(check.tanggal_lahir, dt.date.fromisoformat(row[COL["tanggal_lahir"]])), nik
        # permanent residents carry the village's kecamatan code, temporary ones their origin's
        assert nik.startswith(region) == (row[COL["status_penduduk"]] == "1"), nik
    assert len({r[COL["nik"]] for r in rows}) == len(rows)
    for line in data.rows["penduduk_keluarga"]:
        no_kk = line.split("\t")[1]
        number, errors = check_no_kk(no_kk)
        assert number == no_kk and not errors, (no_kk, errors)
        assert no_kk.startswith(region)


def test_every_family_has_exactly_one_head_and_realistic_shape() -> None:
    data = _generate(3000)
    rows = _residents(data)
    heads = Counter(r[COL["keluarga_id"]] for r in rows if r[COL["hubungan"]] == str(ref.Hubungan.KEPALA_KELUARGA))
    members = Counter(r[COL["keluarga_id"]] for r in rows if r[COL["keluarga_id"]] != demo.N)
    # exactly one head per family card, and every card has members
    assert set(heads.values()) == {1}
    assert set(heads) == set(members) == {str(i) for i in range(1, data.families + 1)}
    # about 3.5 persons per card; heads mostly men; ~96 % Islam; adults have KTP-el, children not
    assert 3.1 <= sum(members.values()) / len(members) <= 3.9
    head_rows = [r for r in rows if r[COL["hubungan"]] == "1"]
    assert sum(r[COL["jenis_kelamin"]] == "1" for r in head_rows) / len(head_rows) > 0.75
    assert sum(r[COL["agama"]] == "1" for r in rows) / len(rows) > 0.85
    temporary = [r for r in rows if r[COL["status_penduduk"]] == "2"]
    assert temporary and all(r[COL["keluarga_id"]] == demo.N for r in temporary)
    for r in rows:
        born = dt.date.fromisoformat(r[COL["tanggal_lahir"]])
        age = (REFERENCE - born).days // 366
        if age < 16:
            assert r[COL["ktp_el"]] == str(ref.KtpEl.BELUM)
            assert r[COL["status_kawin"]] == str(ref.StatusKawin.BELUM_KAWIN)
        if r[COL["hubungan"]] == str(ref.Hubungan.ISTRI):
            assert r[COL["jenis_kelamin"]] == "2" and r[COL["status_kawin"]] == str(ref.StatusKawin.KAWIN)


def test_same_seed_same_village_other_seed_other_village() -> None:
    a, b, c = _generate(800, seed=3), _generate(800, seed=3), _generate(800, seed=4)
    assert a.rows == b.rows
    assert a.rows["penduduk_penduduk"] != c.rows["penduduk_penduduk"]


def test_province_sizes_sum_to_the_total_within_bounds_and_are_reproducible() -> None:
    villages = [(f"18.01.{i // 20:02d}.{2000 + i}", i % 10 == 0) for i in range(300)]
    sizes = demo.province_sizes(villages, total=1_030_000, seed=1)
    assert sum(sizes.values()) == 1_030_000
    assert min(sizes.values()) >= 1000 and max(sizes.values()) <= 15000
    assert sizes == demo.province_sizes(villages, total=1_030_000, seed=1)


def test_command_loads_a_village_with_integrity_then_leaves_it_alone(villages: Villages, db: None) -> None:
    # given an empty village
    out = io.StringIO()
    # when the command fills it
    call_command("demo_data", village=villages.a.slug, residents=400, seed=11, stdout=out)
    assert "400 penduduk" in out.getvalue()
    with village_context(villages.a):
        assert Penduduk.objects.count() == 400
        assert Dusun.objects.exists() and Rt.objects.exists() and RumahTangga.objects.exists()
        # then every family has exactly one head, every resident's RT exists, family and RT agree
        assert not Keluarga.objects.exclude(anggota__hubungan=ref.Hubungan.KEPALA_KELUARGA).exists()
        assert Penduduk.objects.filter(rt__isnull=True).count() == 0
        assert not Penduduk.objects.filter(keluarga__isnull=False).exclude(rt=F("keluarga__rt")).exists()
        # the foreign keys hold (checked now rather than at commit)
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
        # the id sequences moved past the loaded rows: the ORM can add a family after them
        k = Keluarga.objects.create(no_kk="1801170101209999", rt=Rt.objects.first())
        assert k.pk > 100
        before = Penduduk.objects.count()
    # when it runs again
    out = io.StringIO()
    call_command("demo_data", village=villages.a.kode, residents=400, seed=11, stdout=out)
    # then nothing changes and it says why
    assert "sudah berisi data; tidak diubah" in out.getvalue()
    with village_context(villages.a):
        assert Penduduk.objects.count() == before


def test_province_mode_fills_empty_villages_and_skips_filled_ones(villages: Villages, db: None) -> None:
    # given village A already holds data, B is empty
    with village_context(villages.a):
        Dusun.objects.create(nama="DUSUN LAMA")
    result = demo.fill_province(prefix="18", total=1000, seed=2, workers=1, reference=REFERENCE)
    by_code = {r.kode: r for r in result.per_village}
    assert by_code[villages.a.kode].skipped
    assert not by_code[villages.b.kode].skipped and by_code[villages.b.kode].residents > 0
    with village_context(villages.a):
        assert Penduduk.objects.count() == 0
    with village_context(villages.b):
        assert Penduduk.objects.count() == by_code[villages.b.kode].residents
    assert Village.objects.filter(kode__startswith="18").count() == result.villages
    # a second run resumes: nothing left to fill
    again = demo.fill_province(prefix="18", total=1000, seed=2, workers=1, reference=REFERENCE)
    assert again.filled == 0 and again.skipped == again.villages


@pytest.mark.parametrize("residents", [1, 7])
def test_tiny_villages_still_have_a_head_per_family(residents: int) -> None:
    data = _generate(residents)
    rows = _residents(data)
    assert len(rows) == residents
    assert all(
        sum(r[COL["hubungan"]] == "1" for r in rows if r[COL["keluarga_id"]] == str(k)) == 1
        for k in range(1, data.families + 1)
    )


@pytest.mark.parametrize("fast_fk", [True, False])
def test_a_dangling_reference_is_refused_either_way(villages: Villages, db: None, fast_fk: bool) -> None:
    from django.db import IntegrityError, transaction

    data = _generate(300)
    rows = data.rows["penduduk_penduduk"]
    cells = rows[0].split("\t")
    cells[COL["keluarga_id"]] = "999999"
    rows[0] = "\t".join(cells)
    with pytest.raises((demo.IntegrityBroken, IntegrityError)), transaction.atomic(), connection.cursor() as cur:
        demo.copy_generated(cur.cursor, villages.a.schema_name, data, fast_fk=fast_fk)
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with village_context(villages.a):
        assert not Penduduk.objects.exists()
