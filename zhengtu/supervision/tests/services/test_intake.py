"""Intake: the 10-day reporting deadline, late arrivals, registration through the state machine, the announcement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from zhengtu.supervisees.models import Status, SupervisionLevel
from zhengtu.supervision.models import DueItem, DueKind, LevelChangeSource, SupervisionFile
from zhengtu.supervision.services.intake import (
    TeamMemberInput,
    record_documents_received,
    register_intake,
    reporting_deadline,
)
from zhengtu.workdays.calendar import WorkingDayCalendar

from ..conftest import actor, pending_supervisee, supervised, today
from ..pdf import pdf_text


def _calendar(year: int, rest_days: set[dt.date]) -> WorkingDayCalendar:
    days = {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        days[day] = day.weekday() < 5 and day not in rest_days
        day += dt.timedelta(days=1)
    return WorkingDayCalendar(days)


def test_the_deadline_is_ten_days_and_rolls_over_rest_days() -> None:
    # 2026-09-25 + 10 days = 2026-10-05, inside the National Day holiday; the next working day is 10-09.
    holiday = {dt.date(2026, 10, d) for d in range(1, 9)}
    deadline = reporting_deadline(dt.date(2026, 9, 25), _calendar(2026, holiday))
    assert deadline.due == dt.date(2026, 10, 9)
    assert not deadline.is_approximate
    assert reporting_deadline(dt.date(2026, 3, 2), _calendar(2026, set())).due == dt.date(2026, 3, 12)


def test_a_deadline_in_a_year_without_calendar_is_approximate() -> None:
    deadline = reporting_deadline(dt.date(2027, 12, 25), _calendar(2026, set()))
    assert deadline.is_approximate
    assert deadline.fallback_years == frozenset({2028})


@override_settings(ZHENGTU_RULES={"reporting_deadline_days": 15})
def test_the_reporting_period_is_a_setting() -> None:
    assert reporting_deadline(dt.date(2026, 3, 2), _calendar(2026, set())).due == dt.date(2026, 3, 17)


def test_a_late_arrival_is_flagged_and_shows_up_as_due(world) -> None:  # type: ignore[no-untyped-def]
    effective = today() - dt.timedelta(days=20)
    supervisee = pending_supervisee(world.office_a, judgment_effective_date=effective)
    supervision_file = record_documents_received(
        actor=actor(world.officer_a), supervisee=supervisee, received_on=today() - dt.timedelta(days=15)
    )
    assert supervision_file.reporting_deadline >= effective + dt.timedelta(days=10)
    assert supervision_file.arrival_overdue
    item = DueItem.objects.get(supervisee=supervisee)
    assert item.kind == DueKind.ARRIVAL and item.due_on == supervision_file.reporting_deadline


def test_registering_the_intake_puts_the_person_under_supervision(world) -> None:  # type: ignore[no-untyped-def]
    supervisee = pending_supervisee(world.office_a)
    document = register_intake(
        actor=actor(world.officer_a),
        supervisee=supervisee,
        reported_on=today(),
        initial_level=SupervisionLevel.STRICT,
        announced_on=today(),
        announcement_place="卢峰司法所",
        correction_plan="每周到所报告一次",
        team=[
            TeamMemberInput(role="officer", name="舒志勇"),
            TeamMemberInput(role="family_member", name="李秀英", unit="母亲"),
        ],
    )
    supervisee.refresh_from_db()
    assert supervisee.status == Status.UNDER_SUPERVISION
    assert supervisee.supervision_level == SupervisionLevel.STRICT
    assert supervisee.level_changes.get().source == LevelChangeSource.INTAKE
    assert supervisee.team_members.count() == 2
    assert document.code == "supervision.intake_announcement"
    assert document.number.startswith("溆司矫宣〔")
    assert document.in_execution_archive and document.in_work_archive
    text = pdf_text(document.pdf.path)
    assert supervisee.name in text and "社区矫正宣告书" in text and "李秀英" in text
    assert document.docx.size > 0


def test_document_numbers_follow_each_other_per_bureau(world) -> None:  # type: ignore[no-untyped-def]
    first = supervised(world.office_a, world.officer_a)
    second = supervised(world.office_a2, world.officer_a)
    numbers = [s.documents.get().number for s in (first, second)]
    year = today().year
    assert numbers[1].endswith(f"〔{year}〕{int(numbers[0].split('〕')[1][:-1]) + 1}号")


def test_a_second_intake_is_refused_by_the_state_machine(world) -> None:  # type: ignore[no-untyped-def]
    supervisee = supervised(world.office_a, world.officer_a)
    with pytest.raises(ValidationError) as error:
        register_intake(
            actor=actor(world.officer_a),
            supervisee=supervisee,
            reported_on=today(),
            initial_level="standard",
            announced_on=today(),
            announcement_place="卢峰司法所",
        )
    assert "不能" in " ".join(error.value.messages) or "cannot" in " ".join(error.value.messages)
    assert supervisee.documents.count() == 1


def test_bad_intake_input_keeps_the_person_pending(world) -> None:  # type: ignore[no-untyped-def]
    supervisee = pending_supervisee(world.office_a)
    with pytest.raises(ValidationError) as error:
        register_intake(
            actor=actor(world.officer_a),
            supervisee=supervisee,
            reported_on=today() + dt.timedelta(days=1),
            initial_level="very_strict",
            announced_on=today(),
            announcement_place="",
        )
    assert {"reported_on", "initial_level", "announcement_place"} <= set(error.value.message_dict)
    supervisee.refresh_from_db()
    assert supervisee.status == Status.PENDING_INTAKE
    assert not SupervisionFile.objects.filter(supervisee=supervisee, reported_on__isnull=False).exists()


def test_a_broken_replacement_template_refuses_the_intake_cleanly(world) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    from zhengtu.documents.models import DocumentTemplate

    template = DocumentTemplate(code="supervision.intake_announcement", format="html", name="坏模板")
    template.file.save("bad.html", ContentFile(b"{% if %}"), save=True)
    supervisee = pending_supervisee(world.office_a)
    with pytest.raises(ValidationError):
        register_intake(
            actor=actor(world.officer_a),
            supervisee=supervisee,
            reported_on=today(),
            initial_level="standard",
            announced_on=today(),
            announcement_place="卢峰司法所",
        )
    supervisee.refresh_from_db()
    assert supervisee.status == Status.PENDING_INTAKE
