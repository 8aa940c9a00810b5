"""Figures per person and per office for one month: hours against the rule, courses, exams, face checks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from zhengtu.services.hours import first_of_month, last_of_month, monthly_hours
from zhengtu.supervisees.models import Supervisee

from .hours import study_hours
from .models import CourseAssignment, ExamAttempt, FaceCheckOutcome, StudyFaceCheck

ZERO = Decimal("0")
STUDY = "study"


@dataclass
class PersonFigures:
    supervisee: Supervisee
    online_hours: Decimal = ZERO
    study_hours: Decimal = ZERO  # all study hours the services rule counts (online + ledger)
    required_hours: Decimal = ZERO
    assigned: int = 0
    completed: int = 0
    overdue: int = 0
    exams_passed: int = 0
    best_score: int | None = None
    face_check_failures: int = 0

    @property
    def short(self) -> bool:
        return self.study_hours < self.required_hours


@dataclass
class OfficeFigures:
    name: str
    people: int = 0
    online_hours: Decimal = ZERO
    short_of_hours: int = 0
    assigned: int = 0
    completed: int = 0
    overdue: int = 0
    exams_passed: int = 0
    face_check_failures: int = 0
    persons: list[PersonFigures] = field(default_factory=list)


def person_figures(people: QuerySet[Supervisee], month: dt.date) -> list[PersonFigures]:
    first, last = first_of_month(month), last_of_month(month)
    today = timezone.localdate()
    people = people.select_related("responsible_office")
    ids = people.values("pk")
    online = study_hours(ids, first, last)
    hours = {m.supervisee.pk: m for m in monthly_hours(people, month)}
    assignments = {
        row["supervisee_id"]: row
        for row in CourseAssignment.objects.filter(supervisee_id__in=ids, assigned_on__lte=last)
        .values("supervisee_id")
        .annotate(
            assigned=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            overdue=Count(
                "pk", filter=Q(completed_at__isnull=True, due_on__lt=min(today, last + dt.timedelta(days=1)))
            ),
        )
    }
    attempts = {
        row["supervisee_id"]: row
        for row in ExamAttempt.objects.filter(
            supervisee_id__in=ids, submitted_at__date__gte=first, submitted_at__date__lte=last
        )
        .values("supervisee_id")
        .annotate(passed=Count("pk", filter=Q(passed=True)), best=Max("score"))
    }
    failures: dict[int, int] = defaultdict(int)
    for row in (
        StudyFaceCheck.objects.filter(
            supervisee_id__in=ids, requested_at__date__gte=first, requested_at__date__lte=last
        )
        .exclude(outcome=FaceCheckOutcome.PASSED)
        .values("supervisee_id")
        .annotate(n=Count("pk"))
    ):
        failures[row["supervisee_id"]] = row["n"]
    result = []
    for person in people:
        month_hours = hours.get(person.pk)
        a = assignments.get(person.pk, {})
        t = attempts.get(person.pk, {})
        result.append(
            PersonFigures(
                supervisee=person,
                online_hours=online.get(person.pk, {}).get(STUDY, ZERO),
                study_hours=month_hours.actual.get(STUDY, ZERO) if month_hours else ZERO,
                required_hours=month_hours.required.get(STUDY, ZERO) if month_hours else ZERO,
                assigned=a.get("assigned", 0),
                completed=a.get("completed", 0),
                overdue=a.get("overdue", 0),
                exams_passed=t.get("passed", 0),
                best_score=t.get("best"),
                face_check_failures=failures.get(person.pk, 0),
            )
        )
    return result


def office_figures(persons: list[PersonFigures]) -> list[OfficeFigures]:
    offices: dict[int, OfficeFigures] = {}
    for figures in persons:
        office = figures.supervisee.responsible_office
        row = offices.setdefault(office.pk, OfficeFigures(name=office.name))
        row.people += 1
        row.online_hours += figures.online_hours
        row.short_of_hours += int(figures.short)
        row.assigned += figures.assigned
        row.completed += figures.completed
        row.overdue += figures.overdue
        row.exams_passed += figures.exams_passed
        row.face_check_failures += figures.face_check_failures
        row.persons.append(figures)
    return sorted(offices.values(), key=lambda o: o.name)
