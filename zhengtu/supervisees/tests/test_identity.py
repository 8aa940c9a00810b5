"""GB 11643 identity numbers: checksum, birth date and sex, as property tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from zhengtu.supervisees.identity import check_character, make_identity_number, parse_identity_number

TODAY = dt.date(2026, 11, 22)
division_codes = st.sampled_from(["110105", "431224", "440106", "650102", "350527"])
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
sexes = st.sampled_from(["male", "female"])
sequences = st.integers(min_value=0, max_value=10**6)


@given(division_codes, birth_dates, sequences, sexes)
def test_generated_numbers_always_pass_and_decode(code: str, birth: dt.date, sequence: int, sex: str) -> None:
    number = make_identity_number(code, birth, sequence, sex)
    parsed = parse_identity_number(number, today=TODAY)
    assert parsed.value == number
    assert parsed.birth_date == birth
    assert parsed.sex == sex
    assert parsed.division_code == code


@given(
    division_codes,
    birth_dates,
    sequences,
    sexes,
    st.integers(min_value=0, max_value=17),
    st.sampled_from("0123456789X"),
)
def test_any_single_character_change_is_rejected(
    code: str, birth: dt.date, sequence: int, sex: str, position: int, replacement: str
) -> None:
    number = make_identity_number(code, birth, sequence, sex)
    if number[position] == replacement:
        return
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError):
        parse_identity_number(changed, today=TODAY)


@given(division_codes, birth_dates, sequences, sexes)
def test_two_adjacent_digits_swapped_are_rejected(code: str, birth: dt.date, sequence: int, sex: str) -> None:
    number = make_identity_number(code, birth, sequence, sex)
    for position in range(16):
        a, b = number[position], number[position + 1]
        if a == b:
            continue
        swapped = number[:position] + b + a + number[position + 2 :]
        with pytest.raises(ValidationError):
            parse_identity_number(swapped, today=TODAY)


def test_the_standards_own_example_is_valid() -> None:
    # GB 11643-1999 annex example: a woman born on 1949-12-31, check character X.
    parsed = parse_identity_number("11010519491231002X", today=TODAY)
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "female"
    assert check_character("11010519491231002") == "X"


def test_sex_comes_from_the_seventeenth_digit() -> None:
    first_16 = "4312241985030201"
    for digit in "0123456789":
        number = first_16 + digit + check_character(first_16 + digit)
        expected = "male" if int(digit) % 2 else "female"
        assert parse_identity_number(number, today=TODAY).sex == expected


def test_clerks_spacing_and_lower_case_x_are_accepted() -> None:
    assert parse_identity_number(" 110105 19491231 002x ", today=TODAY).value == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("43122419850302", "18"),  # too short: the message says how many characters there are
        ("4312241985030200AB", "17"),
        ("431224198502300001", "19850230"),  # 30 February
        (make_identity_number("431224", dt.date(2027, 1, 1), 1, "male"), "20270101"),  # born in the future
    ],
)
def test_bad_numbers_say_what_is_wrong(raw: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_identity_number(raw, today=TODAY)
    assert fragment in " ".join(caught.value.messages)
