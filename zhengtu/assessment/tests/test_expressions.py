"""The XLSForm expression evaluator: operators, functions, XPath conversions, refusals."""

from __future__ import annotations

import math

import pytest

from ..expressions import ExpressionError, evaluate, is_true, parse, references

ANSWERS = {"age": 17.0, "sex": "female", "drugs": "yes", "kinds": "alcohol cannabis", "empty": "", "q1": "2"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("${age} < 18", True),
        ("${age} >= 18 or ${sex} = 'female'", True),
        ("${age} >= 18 and ${sex} = 'female'", False),
        ("not(${drugs} = 'no')", True),
        ("selected(${kinds}, 'cannabis')", True),
        ("selected(${kinds}, 'heroin')", False),
        ("count-selected(${kinds}) = 2", True),
        ("${q1} > 1", True),  # a choice name compared with a number is compared as a number
        ("${q1} = 2", True),
        ("${q1} = '2'", True),
        ("${empty} = ''", True),
        ("${empty} > 0", False),  # an unanswered question is NaN as a number: never greater
        ("(1 + 2) * 3 = 9", True),
        ("7 div 2 = 3.5", True),
        ("7 mod 2 = 1", True),
        ("-${age} < 0", True),
        ("if(${age} < 18, 'minor', 'adult') = 'minor'", True),
        ("string-length(${sex}) = 6", True),
        ("coalesce(${empty}, 'x') = 'x'", True),
        ("true() and not(false())", True),
        ('${sex} != "male"', True),
    ],
)
def test_expressions_follow_xlsform_semantics(source: str, expected: bool) -> None:
    assert is_true(source, ANSWERS) is expected


def test_current_value_is_the_dot() -> None:
    assert is_true(". >= 12 and . <= 100", {}, current=30.0)
    assert not is_true(". >= 12 and . <= 100", {}, current=7.0)


def test_division_by_zero_does_not_raise() -> None:
    assert math.isinf(evaluate("1 div 0", {}))  # type: ignore[arg-type]
    assert math.isnan(evaluate("0 div 0", {}))  # type: ignore[arg-type]


def test_references_are_listed() -> None:
    assert references(parse("${a} > 1 and selected(${b}, 'x') or not(${c})")) == {"a", "b", "c"}


@pytest.mark.parametrize(
    "source",
    [
        "${a} >",
        "${a} > 1)",
        "__import__('os')",
        "open('x')",
        "${a} ; 1",
        "age > 1",  # a bare name is not a reference
        "selected(${a})",  # wrong number of arguments
        "((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))",
        "",
    ],
)
def test_bad_or_unsafe_expressions_are_refused_with_a_message(source: str) -> None:
    with pytest.raises(ExpressionError) as error:
        parse(source)
    assert str(error.value)


def test_an_overlong_expression_is_refused() -> None:
    with pytest.raises(ExpressionError):
        parse("1 + " * 600 + "1")
