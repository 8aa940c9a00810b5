from decimal import Decimal

from zhengtu.core.money import wan, yuan


def test_wan_keeps_at_most_four_decimals_as_official_reports_write_them() -> None:
    assert wan(Decimal("788456.25")) == "78.8456"  # was 78.845625
    assert wan(Decimal("300859.01")) == "30.0859"  # was 30.085901
    assert wan(339980) == "33.998"
    assert wan(120000) == "12"
    assert wan(None) == ""


def test_yuan_has_two_decimals_and_thousands_separators() -> None:
    assert yuan(Decimal("12345.6")) == "12,345.60"
    assert yuan(0) == "0.00"
