"""Configurable rules of supervision inspections, read from ``settings.ZHENGTU_RULES`` with these defaults.

- ``inspection_disagreement_points``: a panel's scores are flagged for discussion when their spread is larger
  than this (on the 100-point scale).
- ``inspection_spread_measure``: ``"range"`` (highest minus lowest expert total, the default) or ``"stdev"``
  (population standard deviation of the expert totals) — the spread compared with the threshold.
- ``inspection_default_panel_size``: how many experts a random draw picks unless told otherwise.
- ``inspection_one_panel_per_round``: random draws skip experts already sitting on another panel of the round.
- ``rectification_due_working_days``: default time allowed for a rectification item, in Chinese working days.
- ``rectification_reminder_days``: open items due within this many days appear in the agency's "my tasks".
"""

from __future__ import annotations

from typing import Any

from zhengtu.core.rules import Rules

RANGE = "range"
STDEV = "stdev"

DEFAULTS: dict[str, Any] = {
    "inspection_disagreement_points": 15,
    "inspection_spread_measure": RANGE,
    "inspection_default_panel_size": 3,
    "inspection_one_panel_per_round": True,
    "rectification_due_working_days": 20,
    "rectification_reminder_days": 7,
}


rule = Rules(DEFAULTS)
