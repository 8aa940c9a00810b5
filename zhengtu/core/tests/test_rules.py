"""The rules convention: an app's default unless the site overrides the key; a misspelt key is an error."""

import pytest

from zhengtu.core.rules import Rules, rule

DEFAULTS = {"example_limit_days": 10, "example_levels": ["strict"]}


def test_default_then_override(settings):
    book = Rules(DEFAULTS)
    settings.ZHENGTU_RULES = {}
    assert book("example_limit_days") == 10
    settings.ZHENGTU_RULES = {"example_limit_days": 7}
    assert book("example_limit_days") == 7  # read on each call: no restart, no stale cache
    assert book("example_levels") == ["strict"]


def test_an_app_may_keep_its_tuning_under_its_own_setting(settings):
    settings.ZHENGTU_RULES = {"example_limit_days": 7}
    settings.ZHENGTU_EXAMPLE = {"example_limit_days": 3}
    assert Rules(DEFAULTS, setting="ZHENGTU_EXAMPLE")("example_limit_days") == 3
    assert rule(DEFAULTS, "example_limit_days") == 7


def test_a_key_without_default_is_refused(settings):
    settings.ZHENGTU_RULES = {"exmaple_limit_days": 1}
    with pytest.raises(KeyError):
        Rules(DEFAULTS)("exmaple_limit_days")


def test_a_missing_setting_reads_the_defaults(settings):
    del settings.ZHENGTU_RULES
    assert Rules(DEFAULTS)("example_limit_days") == 10
