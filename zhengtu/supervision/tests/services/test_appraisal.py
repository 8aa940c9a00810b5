"""Appraisals grade a period, suggest a new level after a run, and the team reviews the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhengtu.supervisees.models import SupervisionLevel
from zhengtu.supervision.models import AppraisalGrade, LevelChangeSource
from zhengtu.supervision.services.appraisal import apply_level_suggestion, record_appraisal, review_plan

from ..conftest import actor, today


def _quarter_starts(count: int) -> list[dt.date]:
    day = today().replace(day=1)
    while day.month not in (1, 4, 7, 10):
        day = (day - dt.timedelta(days=1)).replace(day=1)
    starts = []
    for _ in range(count):
        starts.append(day)
        back = day - dt.timedelta(days=1)
        day = back.replace(day=1)
        while day.month not in (1, 4, 7, 10):
            day = (day - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(starts))


def test_two_good_quarters_suggest_a_looser_level_applied_as_a_review(people, world) -> None:  # type: ignore[no-untyped-def]
    first, second = _quarter_starts(2)
    a = record_appraisal(actor=actor(world.officer_a), supervisee=people.supervisee, period="quarter", period_start=first,
                         score=92)  # fmt: skip
    assert a.grade == AppraisalGrade.EXCELLENT and a.suggested_level == ""
    b = record_appraisal(actor=actor(world.officer_a), supervisee=people.supervisee, period="quarter", period_start=second,
                         score=85)  # fmt: skip
    assert b.suggested_level == SupervisionLevel.LENIENT
    apply_level_suggestion(actor=actor(world.officer_a), appraisal=b)
    people.supervisee.refresh_from_db()
    assert people.supervisee.supervision_level == SupervisionLevel.LENIENT
    assert people.supervisee.level_changes.first().source == LevelChangeSource.REVIEW
    with pytest.raises(ValidationError):
        apply_level_suggestion(actor=actor(world.officer_a), appraisal=b)


def test_two_poor_months_suggest_strict_and_periods_are_checked(people, world) -> None:  # type: ignore[no-untyped-def]
    this_month = today().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    with pytest.raises(ValidationError):
        record_appraisal(actor=actor(world.officer_a), supervisee=people.supervisee, period="month",
                         period_start=this_month + dt.timedelta(days=3), score=50)  # fmt: skip
    record_appraisal(actor=actor(world.officer_a), supervisee=people.supervisee, period="month", period_start=last_month,
                     score=55)  # fmt: skip
    poor = record_appraisal(actor=actor(world.officer_a), supervisee=people.supervisee, period="month",
                            period_start=this_month, score=61)  # fmt: skip
    assert poor.grade == AppraisalGrade.POOR and poor.suggested_level == SupervisionLevel.STRICT
    with pytest.raises(ValidationError):  # one appraisal per period
        record_appraisal(actor=actor(world.officer_a), supervisee=people.supervisee, period="month",
                         period_start=this_month, score=70)  # fmt: skip
    review = review_plan(
        actor=actor(world.officer_a), supervisee=people.supervisee, reviewed_on=today(), findings="连续两月考核较差",
        plan_changes="每周当面报告；增加个别教育", appraisal=poor,
    )  # fmt: skip
    people.supervisee.supervision_file.refresh_from_db()
    assert people.supervisee.supervision_file.plan_measures == "每周当面报告；增加个别教育"
    assert review.appraisal == poor
