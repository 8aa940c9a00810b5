"""Assignment by rule, monthly hours into the services rule, KPI figures, my tasks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from zhengtu.services.hours import monthly_hours

from ..indicators import count
from ..models import CourseAssignment, Stage, StudySession
from ..services import content
from ..services.assignment import assign_courses
from ..tasks import tasks_for


def test_rules_pick_group_courses_and_the_months_topic(lw) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    driving = content.create_course(
        actor=lw.staff(),
        organisation=lw.world.county_a,
        title="远离危险驾驶",
        topic="交通",
        stage=Stage.SPECIAL,
        crimes=["驾驶"],
    )
    topic = content.create_course(
        actor=lw.staff(),
        organisation=lw.world.county_a,
        title="每月一题",
        topic="心理",
        stage=Stage.SPECIAL,
        topic_month=today,
    )
    for course in (driving, topic):
        content.add_lesson(actor=lw.staff(), course=course, title="一", kind="text", length_seconds=60, body="正文")
        content.set_published(actor=lw.staff(), course=course, published=True)
    lw.neighbour.crime = "危险驾驶罪"
    lw.neighbour.save(update_fields=["crime"])
    mine = {a.course.title for a in assign_courses(supervisee=lw.person, today=today)}
    theirs = {a.course.title for a in assign_courses(supervisee=lw.neighbour, today=today)}
    assert mine == {lw.course.title, "每月一题"}
    assert theirs == {lw.course.title, "每月一题", "远离危险驾驶"}
    assert assign_courses(supervisee=lw.person, today=today) == []  # once only
    outsider = assign_courses(supervisee=lw.outsider_person, today=today)
    assert outsider == []  # another county's courses are not theirs


def test_online_time_counts_in_the_services_monthly_hours(lw) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    now = timezone.now()
    StudySession.objects.create(
        supervisee=lw.person,
        lesson=lw.text_lesson,
        started_at=now,
        studied_on=today,
        last_beat_at=now,
        counted_seconds=5400,
    )
    (hours,) = monthly_hours([lw.person], today)
    assert hours.actual["study"] == Decimal("1.5")


def test_overdue_courses_reach_my_tasks_and_command_assigns(lw) -> None:  # type: ignore[no-untyped-def]
    call_command("assign_courses")
    assignment = CourseAssignment.objects.get(supervisee=lw.person, course=lw.course)
    assignment.due_on = timezone.localdate() - dt.timedelta(days=1)
    assignment.save(update_fields=["due_on"])
    titles = [t.subject for t in tasks_for(lw.officer) if t.kind == "learning_course_overdue"]
    assert lw.person.name in titles
    assert not [t for t in tasks_for(lw.outsider) if t.kind == "learning_course_overdue"]


def test_completed_courses_count_for_a_project_of_the_bureau(lw) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    today = timezone.localdate()
    CourseAssignment.objects.create(
        supervisee=lw.person,
        course=lw.course,
        reason="rule",
        assigned_on=today,
        due_on=today,
        completed_at=timezone.now(),
    )
    project = SimpleNamespace(buying_bureau=lw.world.county_a)
    other = SimpleNamespace(buying_bureau=lw.world.county_b)
    assert count(project, today, today) == 1  # type: ignore[arg-type]
    assert count(other, today, today) == 0  # type: ignore[arg-type]


def test_the_nightly_job_assigns_courses_by_rule(lw) -> None:  # type: ignore[no-untyped-def]
    from huey.api import PeriodicTask

    from ..tasks import assign_courses_daily

    # Scheduled by huey every night, not only a command someone must remember to run.
    task = assign_courses_daily.task_class
    assert issubclass(task, PeriodicTask)
    assert task().validate_datetime(dt.datetime(2026, 3, 9, 1, 35))
    assert not task().validate_datetime(dt.datetime(2026, 3, 9, 13, 35))
    assert not CourseAssignment.objects.filter(supervisee=lw.person).exists()
    assert assign_courses_daily.call_local() >= 1
    assert CourseAssignment.objects.filter(supervisee=lw.person, course=lw.course).exists()
    assert assign_courses_daily.call_local() == 0  # a second night assigns nothing twice
