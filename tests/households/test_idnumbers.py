"""ID numbers (GB 11643, ISO 7064 MOD 11-2) and phones: what the registry accepts and what it derives."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from households import idnumbers
from households.phones import normalize_phone, validate_phone


def test_a_valid_number_gives_its_birth_date_and_gender():
    info = idnumbers.parse("11010519491231002X")
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == "female"  # the 17th digit, 2, is even
    assert info.area_known


def test_an_odd_sequence_digit_means_male():
    assert idnumbers.parse("510723195803081234").gender == "male"


def test_a_lower_case_x_and_spaces_are_tolerated():
    assert idnumbers.parse(" 110105 19491231 002x ").value == "11010519491231002X"


def test_a_wrong_check_digit_is_refused_with_a_message():
    with pytest.raises(ValidationError) as exc:
        idnumbers.parse("110105194912310021")
    assert exc.value.code == "check"


def test_an_impossible_birth_date_is_refused():
    first17 = "11010519490230002"  # 30 February
    with pytest.raises(ValidationError) as exc:
        idnumbers.parse(first17 + idnumbers.check_char(first17))
    assert exc.value.code == "birth_date"


def test_a_birth_date_in_the_future_is_refused():
    first17 = "11010520991231002"
    with pytest.raises(ValidationError) as exc:
        idnumbers.parse(first17 + idnumbers.check_char(first17), today=dt.date(2026, 11, 20))
    assert exc.value.code == "birth_date"


def test_a_legacy_fifteen_digit_number_is_refused_with_a_message_saying_so():
    with pytest.raises(ValidationError) as exc:
        idnumbers.parse("110105491231002")
    assert exc.value.code == "legacy"
    assert "15" in str(exc.value.messages[0])


def test_an_unknown_area_code_is_accepted_but_flagged():
    first17 = "99010519491231002"
    info = idnumbers.parse(first17 + idnumbers.check_char(first17))
    assert not info.area_known


def test_a_masked_number_shows_the_first_six_and_last_four_only():
    assert idnumbers.mask_id_number("11010519491231002X") == "110105********002X"
    assert idnumbers.mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize("raw", ["13812345678", "+86 138 1234 5678", "0086-13812345678", "028-87654321", "0831 1234567"])
def test_mainland_mobiles_and_landlines_with_area_codes_are_accepted(raw):
    validate_phone(raw)


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "87654321", "abc"])
def test_other_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        validate_phone(raw)


def test_a_phone_is_stored_without_the_country_code_and_spaces():
    assert normalize_phone("+86 138 1234 5678") == "13812345678"
