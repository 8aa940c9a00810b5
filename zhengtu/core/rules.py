"""One convention for configurable rules: each app's `rules.py` holds its defaults, a site overrides them by key.

    # zhengtu/<app>/rules.py
    DEFAULTS = {"volunteer_max_hours_per_entry": 12, ...}
    rule = Rules(DEFAULTS)              # rule("volunteer_max_hours_per_entry") -> 12, or the override

A province overrides any key in its settings module (`ZHENGTU_RULES = {"volunteer_max_hours_per_entry": 10}`),
never in code. Keys are shared in one dict across apps, so each key is named after its app or subject. An app
whose rules are not legal or organisational limits but technical tuning may keep them under a setting of its own
(`Rules(DEFAULTS, setting="ZHENGTU_COMMAND")`). Asking for a key that has no default is a programming error
(KeyError), so a misspelt key cannot silently read None.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings


def rule(defaults: Mapping[str, Any], key: str, *, setting: str = "ZHENGTU_RULES") -> Any:
    """The site's value of `key` (from the settings dict `setting`), else the app's default."""
    default = defaults[key]
    overrides: Mapping[str, Any] = getattr(settings, setting, None) or {}
    return overrides.get(key, default)


class Rules:
    """An app's rule book: `rule = Rules(DEFAULTS)` then `rule("key")` (read on every call, so tests and
    `override_settings` see changes at once)."""

    def __init__(self, defaults: Mapping[str, Any], *, setting: str = "ZHENGTU_RULES") -> None:
        self.defaults = defaults
        self.setting = setting

    def __call__(self, key: str) -> Any:
        return rule(self.defaults, key, setting=self.setting)
