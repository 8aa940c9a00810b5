"""System checks of the projects app: the rule that says which app counts a contested indicator."""

from __future__ import annotations

from typing import Any

from django.core import checks

from . import indicators as registry
from .rules import indicator_counted_by


def check_indicator_counting(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Each indicator several apps can count must name one of them; a name no source answers to is a typo."""
    messages: list[checks.CheckMessage] = []
    chosen = indicator_counted_by()
    for code, labels in registry.contested().items():
        if chosen.get(code) not in labels:
            messages.append(
                checks.Warning(
                    f"KPI indicator {code!r} can be counted by {', '.join(labels)}; "
                    f"{labels[0]!r} counts it because the rule names none of them.",
                    hint=f"Set ZHENGTU_RULES['project_indicator_counted_by'][{code!r}] to one of {labels}.",
                    id="projects.W001",
                )
            )
    for code, app_label in chosen.items():
        declared = {s.app_label for s in registry.declared_sources() if s.indicator.code == code}
        if declared and app_label not in declared:
            messages.append(
                checks.Warning(
                    f"ZHENGTU_RULES['project_indicator_counted_by'][{code!r}] names {app_label!r}, "
                    f"which does not count this indicator ({', '.join(sorted(declared))} do).",
                    id="projects.W002",
                )
            )
    return messages
