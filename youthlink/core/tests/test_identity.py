import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from youthlink.core.identity import (id_check_digit, mask_id_number, mask_mobile, normalize_mobile,
                                     validate_id_number, validate_mobile)
from youthlink.core.testing import valid_id_number

GOOD = "11010519491231002X"  # the GB 11643 standard's own example


def test_standard_example_is_valid():
    assert validate_id_number(GOOD) == GOOD


def test_lowercase_x_full_width_digits_and_spaces_are_normalised():
    typed = "１１０１０５ １９４９１２３１ ００２x"
    assert validate_id_number(typed) == GOOD


@pytest.mark.parametrize("value, code", [
    ("11010519491231002", "format"),
    ("1101051949123100XX", "format"),
    ("110105194912310021", "checksum"),
    ("110105194902300020", "birth_date"),  # 30 February
])
def test_bad_id_numbers_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert exc.value.code == code


def test_id_number_born_in_the_future_is_refused():
    number = valid_id_number(dt.date(2030, 1, 1))
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number, today=dt.date(2026, 11, 23))
    assert exc.value.code == "future"
    assert "晚于今天" in exc.value.messages[0]


def test_check_digit_of_the_standard_example():
    assert id_check_digit("11010519491231002") == "X"


@pytest.mark.parametrize("typed", ["13800138000", "+86 138-0013-8000", "0086 13800138000", "８６１３８００１３８０００",
                                   "138 0013 8000", "(+86)138 0013 8000"])
def test_mobiles_as_people_type_them(typed):
    assert validate_mobile(typed) == "13800138000"


@pytest.mark.parametrize("typed", ["1380013800", "23800138000", "138001380001", "phone"])
def test_bad_mobiles_are_refused(typed):
    with pytest.raises(ValidationError) as exc:
        validate_mobile(typed)
    assert exc.value.messages == ["手机号码应为11位，以1开头"]


def test_masks_match_the_agreed_display():
    assert mask_id_number(GOOD) == "110105********002X"
    assert mask_mobile("13800138000") == "138****8000"
    assert normalize_mobile("+86-138-0013-8000") == "13800138000"
