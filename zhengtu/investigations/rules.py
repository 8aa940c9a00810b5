"""Time limits of the pre-sentence investigation, overridable with ``ZHENGTU_INVESTIGATION_RULES``.

The 2020 Measures (art. 13) give the bureau 10 working days from receiving the commission to answer,
5 when the commissioning organ asks for it urgently (e.g. summary procedure).
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_INVESTIGATION_RULES = {"answer_working_days": 10, "urgent_answer_working_days": 5}


def answer_working_days(*, urgent: bool) -> int:
    values = {**DEFAULT_INVESTIGATION_RULES, **(getattr(settings, "ZHENGTU_INVESTIGATION_RULES", None) or {})}
    return int(values["urgent_answer_working_days" if urgent else "answer_working_days"])
