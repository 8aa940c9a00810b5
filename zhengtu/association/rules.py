"""The association's configurable rules: read from settings, defaults from the association's own practice.

Each value is looked up in ``settings.ZHENGTU_RULES`` under the key named here, so a city overrides it in
its settings module without touching this code.

Training satisfaction as a percentage
-------------------------------------
Seed 000 reports "参训人员平均满意度达 98.71%", but each questionnaire item is scored 1–5. Two definitions
are supported, chosen by ``training_satisfaction_method``:

- ``"satisfied_share"`` (default): the share of all answers scored at least ``training_satisfied_min_score``
  (default 4, "satisfied" or "very satisfied"). 98.71% then means 98.71 of every 100 answers were 4 or 5.
- ``"mean_over_max"``: the mean answer divided by the top of the scale (5), so a mean of 4.94 is 98.8%.

Per event, every answer given to that event's questionnaires counts once; the yearly figure pools every
answer of the year (so a training with more respondents weighs more, like the seed's single yearly figure).
"""

from __future__ import annotations

from typing import Any

from zhengtu.core.rules import Rules

SATISFIED_SHARE = "satisfied_share"
MEAN_OVER_MAX = "mean_over_max"
SATISFACTION_METHODS = (SATISFIED_SHARE, MEAN_OVER_MAX)

DEFAULTS: dict[str, Any] = {
    # Questionnaire scale and how it becomes a percentage (see the module docstring).
    "training_score_min": 1,
    "training_score_max": 5,
    "training_satisfaction_method": SATISFIED_SHARE,
    "training_satisfied_min_score": 4,
    # The sign-in QR code works from this long before the start until this long after the end.
    "training_sign_in_opens_minutes_before": 60,
    "training_sign_in_closes_minutes_after": 120,
    # Supervisor credential filing (督导资质备案): validity, renewal window and entry requirements.
    "supervisor_filing_valid_years": 3,
    "supervisor_filing_renewal_window_days": 90,
    "supervisor_filing_min_years_in_social_work": 3,
    "supervisor_filing_accepted_levels": ["intermediate", "senior"],
    "supervisor_filing_number_prefix": "督导备案",
    # Member numbers: prefix + U/I + year + sequence, e.g. "HY-U-2026-0001".
    "member_number_prefix": "HY",
}


rule = Rules(DEFAULTS)
