"""Reads: reassessment schedule per supervision level, tasks for reports due, instrument scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhengtu.supervisees.models import SupervisionLevel

from ..models import Instrument
from ..selectors import instruments_visible_to, reassessment_for, reports_due
from ..services.assessments import start_assessment, take_assessment
from ..services.instruments import import_instrument
from ..tasks import tasks_for
from .conftest import Case, small_instrument
from .test_scoring import INTAKE_ANSWERS


def test_reassessment_interval_follows_the_supervision_level(
    case: Case, instruments: dict[str, Instrument], settings: Any
) -> None:
    assert reassessment_for(case.supervisee).due_on is None  # no risk assessment yet
    take_assessment(
        actor=case.actor(),
        supervisee=case.supervisee,
        instrument=instruments["intake_example"],
        answers=INTAKE_ANSWERS,
        received_on=dt.date(2026, 3, 31),
    )
    standard = reassessment_for(case.supervisee, today=dt.date(2026, 9, 1))
    assert (standard.due_on, standard.months, standard.overdue) == (dt.date(2026, 9, 30), 6, False)
    case.supervisee.supervision_level = SupervisionLevel.STRICT
    strict = reassessment_for(case.supervisee, today=dt.date(2026, 9, 1))
    assert (strict.due_on, strict.overdue) == (dt.date(2026, 6, 30), True)
    settings.ZHENGTU_ASSESSMENT_REASSESSMENT_MONTHS = {"strict": 1}
    assert reassessment_for(case.supervisee, today=dt.date(2026, 9, 1)).due_on == dt.date(2026, 4, 30)


def test_psychological_screenings_do_not_count_as_reassessment(case: Case, instruments: dict[str, Instrument]) -> None:
    take_assessment(
        actor=case.actor(),
        supervisee=case.supervisee,
        instrument=instruments["phq9"],
        answers={f"phq{n}": "0" for n in range(1, 10)},
    )
    assert reassessment_for(case.supervisee).last_on is None


def test_reports_due_appear_in_the_assessors_tasks(case: Case, instruments: dict[str, Instrument]) -> None:
    assessment = start_assessment(
        actor=case.actor(), supervisee=case.supervisee, instrument=instruments["phq9"], received_on=dt.date(2026, 9, 30)
    )
    tasks = [t for t in tasks_for(case.officer) if t.kind == "assessment_report_due"]
    assert [(t.due, t.overdue, t.subject) for t in tasks] == [(dt.date(2026, 10, 10), True, "张三")]
    assert list(reports_due(case.outsider)) == []
    assert assessment in reports_due(case.colleague)
    assert [t for t in tasks_for(case.colleague) if t.kind == "assessment_report_due"] == []  # not theirs


def test_instruments_owned_by_another_county_are_invisible(case: Case, instruments: dict[str, Instrument]) -> None:
    mine = import_instrument(actor=case.actor(), content=small_instrument(), organisation=case.officer.organisation)
    theirs = import_instrument(
        actor=case.actor(case.outsider), content=small_instrument(), organisation=case.outsider.organisation
    )
    assert mine.version.instrument in instruments_visible_to(case.officer)
    assert theirs.version.instrument not in instruments_visible_to(case.officer)
    assert instruments["phq9"] in instruments_visible_to(case.outsider)


def test_reassessment_due_reaches_the_responsible_officers_tasks(
    case: Case, instruments: dict[str, Instrument]
) -> None:
    from zhengtu.supervisees.models import Status
    from zhengtu.supervisees.services import change_status

    from ..selectors import reassessments_due_for

    change_status(actor=None, supervisee=case.supervisee, to_status=Status.UNDER_SUPERVISION)
    take_assessment(
        actor=case.actor(),
        supervisee=case.supervisee,
        instrument=instruments["intake_example"],
        answers=INTAKE_ANSWERS,
        received_on=dt.date(2026, 3, 31),
    )
    due = reassessments_due_for(case.officer, today=dt.date(2026, 9, 20))  # due 30 September: within 14 days
    assert [(person.name, plan.due_on, plan.overdue) for person, plan in due] == [("张三", dt.date(2026, 9, 30), False)]
    assert reassessments_due_for(case.officer, today=dt.date(2026, 9, 1)) == []
    assert reassessments_due_for(case.outsider, today=dt.date(2026, 9, 20)) == []
    assert "assessment_reassessment_due" in [t.kind for t in tasks_for(case.officer)]  # today is past 30 September
    assert "assessment_reassessment_due" not in [t.kind for t in tasks_for(case.colleague)]
