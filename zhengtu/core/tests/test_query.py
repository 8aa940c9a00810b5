"""Numbers from query strings: what `str.isdigit()` let through and made a 500 of."""

import pytest
from django.http import Http404, QueryDict

from zhengtu.core.query import MAX_DATABASE_INT, id_param, int_list, int_param, parse_int


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        ("0", None),  # ids start at 1
        ("-3", None),
        ("99999999999999999999999", None),  # overflows a database integer
        (str(MAX_DATABASE_INT), MAX_DATABASE_INT),
        (str(MAX_DATABASE_INT + 1), None),
        ("²", None),  # isdigit() is true, int() raises
        ("١٢", None),  # Arabic-Indic digits
        ("1e3", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_int(raw, expected):
    assert parse_int(raw) == expected


def test_ranges_and_lists():
    assert int_param(QueryDict("year=2026"), "year", minimum=2000, maximum=2100) == 2026
    assert int_param(QueryDict("year=99999"), "year", minimum=2000, maximum=2100) is None
    assert int_list(["3", "x", "²", "99999999999999999999999", "5"]) == [3, 5]


def test_an_id_parameter_that_cannot_be_an_id_is_a_404():
    assert id_param(QueryDict(""), "instrument") is None
    assert id_param(QueryDict("instrument=12"), "instrument") == 12
    with pytest.raises(Http404):
        id_param(QueryDict("instrument=99999999999999999999999"), "instrument")
