"""Reads of instruments and assessments. Scope follows the registry's selectors: default deny."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from zhengtu.core.lookups import get_or_404
from zhengtu.orgs.models import Organisation
from zhengtu.supervisees.models import Assignment, AssignmentRole, Status, Supervisee
from zhengtu.supervisees.selectors import supervisees_visible_to

from .models import (
    Assessment,
    AssessmentStatus,
    CriticalAlert,
    Instrument,
    InstrumentKind,
    LevelOverride,
    OverrideStatus,
)
from .permissions import can_manage_instruments, can_view_figures, can_view_results, is_override_approver, is_supervisee
from .rules import reassessment_months

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


# ---------------------------------------------------------------- instruments


def instruments_visible_to(user: User) -> QuerySet[Instrument]:
    """Shipped instruments plus those owned by the user's organisation, its ancestors or its subtree."""
    if not (can_view_results(user) or can_manage_instruments(user)):
        return Instrument.objects.none()
    if user.is_superuser:
        return Instrument.objects.all()
    scope = Q(organisation__isnull=True)
    if user.organisation_id is not None:
        assert user.organisation is not None
        path = user.organisation.path
        ancestor_ids = [int(part) for part in path.strip("/").split("/") if part]
        scope |= Q(organisation_id__in=ancestor_ids) | Q(organisation__path__startswith=path)
    return Instrument.objects.filter(scope)


def usable_instruments(user: User) -> QuerySet[Instrument]:
    return (
        instruments_visible_to(user)
        .filter(is_active=True, current_version__isnull=False)
        .select_related("current_version")
    )


def get_instrument_for_user(user: User, pk: object) -> Instrument:
    return get_or_404(instruments_visible_to(user), pk)


# ---------------------------------------------------------------- assessments


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    """Assessments of supervisees the user sees; nobody without the right to read results."""
    if not can_view_results(user):
        return Assessment.objects.none()
    return Assessment.objects.filter(supervisee__in=supervisees_visible_to(user))


def get_assessment_for_user(user: User, pk: object) -> Assessment:
    """The one way to fetch an assessment named in a URL: 404 outside the user's scope."""
    return get_or_404(
        assessments_visible_to(user).select_related(
            "supervisee", "instrument_version", "instrument_version__instrument", "assessor", "office"
        ),
        pk,
    )


def own_assessments(user: User) -> QuerySet[Assessment]:
    """A supervisee's own assessments (nothing for anybody else)."""
    if not is_supervisee(user):
        return Assessment.objects.none()
    return Assessment.objects.filter(supervisee__user=user).exclude(status=AssessmentStatus.CANCELLED)


def own_results(user: User) -> QuerySet[Assessment]:
    """The screening results a supervisee may look up themselves."""
    return (
        own_assessments(user)
        .filter(status=AssessmentStatus.SUBMITTED, instrument_version__show_to_supervisee=True)
        .select_related("instrument_version")
    )


def get_own_assessment(user: User, pk: object) -> Assessment:
    return get_or_404(own_assessments(user).select_related("instrument_version", "supervisee"), pk)


def history_of(user: User, supervisee: Supervisee) -> QuerySet[Assessment]:
    return (
        assessments_visible_to(user)
        .filter(supervisee=supervisee)
        .exclude(status=AssessmentStatus.CANCELLED)
        .select_related("instrument_version", "instrument_version__instrument", "assessor")
        .order_by("received_on", "id")
    )


@dataclass(frozen=True)
class Reassessment:
    last_on: dt.date | None
    due_on: dt.date | None
    months: int
    overdue: bool


def reassessment_for(supervisee: Supervisee, *, today: dt.date | None = None) -> Reassessment:
    """When the next risk/needs assessment is due, by the supervisee's supervision level (a setting)."""
    today = today or timezone.localdate()
    months = reassessment_months().get(supervisee.supervision_level, 6)
    last = (
        Assessment.objects.filter(
            supervisee=supervisee,
            status=AssessmentStatus.SUBMITTED,
            instrument_version__instrument__kind=InstrumentKind.RISK_NEEDS,
        )
        .order_by("-received_on")
        .values_list("received_on", flat=True)
        .first()
    )
    if last is None:
        return Reassessment(last_on=None, due_on=None, months=months, overdue=False)
    due = last + relativedelta(months=months)
    return Reassessment(last_on=last, due_on=due, months=months, overdue=due < today)


def reassessments_due_for(
    user: User, *, within_days: int = 14, today: dt.date | None = None
) -> list[tuple[Supervisee, Reassessment]]:
    """People this user answers for (responsible officer or assigned) whose next risk/needs
    assessment falls within `within_days` or is overdue."""
    if not can_view_results(user):
        return []
    today = today or timezone.localdate()
    assigned = Assignment.objects.filter(user=user, ended_at__isnull=True).values("supervisee_id")
    people = (
        supervisees_visible_to(user)
        .filter(Q(responsible_officer=user) | Q(pk__in=assigned), status=Status.UNDER_SUPERVISION)
        .annotate(
            last_risk=Max(
                "assessments__received_on",
                filter=Q(
                    assessments__status=AssessmentStatus.SUBMITTED,
                    assessments__instrument_version__instrument__kind=InstrumentKind.RISK_NEEDS,
                ),
            )
        )
        .filter(last_risk__isnull=False)
    )
    months = reassessment_months()
    found = []
    for person in people:
        interval = months.get(person.supervision_level, 6)
        due = person.last_risk + relativedelta(months=interval)
        if due <= today + dt.timedelta(days=within_days):
            found.append(
                (person, Reassessment(last_on=person.last_risk, due_on=due, months=interval, overdue=due < today))
            )
    return sorted(found, key=lambda pair: pair[1].due_on or today)


# ---------------------------------------------------------------- overrides and alerts


def overrides_awaiting(user: User) -> QuerySet[LevelOverride]:
    """Pending overrides in the user's scope that the user may approve (never their own)."""
    if not is_override_approver(user):
        return LevelOverride.objects.none()
    return (
        LevelOverride.objects.filter(status=OverrideStatus.PENDING, assessment__in=assessments_visible_to(user))
        .exclude(requested_by=user)
        .exclude(assessment__assessor=user)
        .select_related("assessment", "assessment__supervisee", "requested_by")
    )


def get_override_for_user(user: User, pk: object) -> LevelOverride:
    return get_or_404(
        LevelOverride.objects.filter(assessment__in=assessments_visible_to(user)).select_related(
            "assessment", "assessment__supervisee", "assessment__instrument_version"
        ),
        pk,
    )


def open_alerts_for(user: User) -> QuerySet[CriticalAlert]:
    """Unacknowledged critical answers of supervisees this user answers for: as their responsible
    officer or as an assigned social worker (and in scope)."""
    if not can_view_results(user):
        return CriticalAlert.objects.none()
    assigned = Assignment.objects.filter(
        user=user, ended_at__isnull=True, role__in=[AssignmentRole.SOCIAL_WORKER, AssignmentRole.OFFICER]
    ).values("supervisee_id")
    return (
        CriticalAlert.objects.filter(acknowledged_at__isnull=True, assessment__in=assessments_visible_to(user))
        .filter(Q(assessment__supervisee__responsible_officer=user) | Q(assessment__supervisee_id__in=assigned))
        .select_related("assessment", "assessment__supervisee")
    )


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class MonthFigures:
    month: int
    received: int
    issued: int
    issued_on_time: int
    issued_late: int
    due_today: int
    overdue: int
    pending: int  # not yet issued and not yet due
    approximate: int  # deadlines counted on the weekday fallback

    @property
    def on_time_rate(self) -> float | None:
        return self.issued_on_time / self.issued * 100 if self.issued else None


def report_deadline_figures(
    user: User, *, year: int, office: Organisation | None = None, today: dt.date | None = None
) -> list[MonthFigures]:
    """Per month of receipt: questionnaires received, reports issued on time or late, due today, overdue."""
    today = today or timezone.localdate()
    if not can_view_figures(user):
        return []
    scope = Supervisee.objects.none()
    if can_view_results(user) or user.is_superuser:
        scope = supervisees_visible_to(user)
    elif user.organisation is not None:
        scope = Supervisee.objects.filter(responsible_office__path__startswith=user.organisation.path)
    rows = Assessment.objects.filter(supervisee__in=scope, received_on__year=year, due_on__isnull=False).exclude(
        status=AssessmentStatus.CANCELLED
    )
    if office is not None:
        rows = rows.filter(office__path__startswith=office.path)
    not_issued = Q(report__isnull=True)
    counted = (
        rows.values("received_on__month")
        .annotate(
            received=Count("id"),
            issued=Count("id", filter=Q(report__isnull=False)),
            issued_on_time=Count("id", filter=Q(report__issued_on__lte=F("due_on"))),
            issued_late=Count("id", filter=Q(report__issued_on__gt=F("due_on"))),
            due_today=Count("id", filter=not_issued & Q(due_on=today)),
            overdue=Count("id", filter=not_issued & Q(due_on__lt=today)),
            pending=Count("id", filter=not_issued & Q(due_on__gt=today)),
            approximate=Count("id", filter=Q(due_is_approximate=True)),
        )
        .order_by("received_on__month")
    )
    by_month = {row["received_on__month"]: row for row in counted}
    figures = []
    for month in range(1, 13):
        row = by_month.get(month)
        if row is None:
            figures.append(MonthFigures(month, 0, 0, 0, 0, 0, 0, 0, 0))
            continue
        figures.append(
            MonthFigures(
                month=month,
                received=row["received"],
                issued=row["issued"],
                issued_on_time=row["issued_on_time"],
                issued_late=row["issued_late"],
                due_today=row["due_today"],
                overdue=row["overdue"],
                pending=row["pending"],
                approximate=row["approximate"],
            )
        )
    return figures


def reports_due(user: User) -> QuerySet[Assessment]:
    """Assessments in scope whose report is not issued yet, soonest deadline first."""
    return (
        assessments_visible_to(user)
        .filter(report__isnull=True, due_on__isnull=False)
        .exclude(status=AssessmentStatus.CANCELLED)
        .select_related("supervisee", "instrument_version")
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class OverrideRate:
    assessor_id: int | None
    assessor_name: str
    assessments: int
    requested: int
    approved: int
    rejected: int

    @property
    def rate(self) -> float | None:
        return self.approved / self.assessments * 100 if self.assessments else None


def override_rates(user: User, *, since: dt.date, until: dt.date) -> list[OverrideRate]:
    """Per assessor: scored assessments in the period, overrides asked for, approved and rejected."""
    if not can_view_figures(user):
        return []
    rows = (
        assessments_visible_to(user)
        .filter(status=AssessmentStatus.SUBMITTED, received_on__gte=since, received_on__lte=until)
        .values("assessor_id", "assessor__full_name", "assessor__username")
        .annotate(
            total=Count("id", distinct=True),
            requested=Count("overrides", distinct=True),
            approved=Count("overrides", filter=Q(overrides__status=OverrideStatus.APPROVED), distinct=True),
            rejected=Count("overrides", filter=Q(overrides__status=OverrideStatus.REJECTED), distinct=True),
        )
        .order_by("-total")
    )
    return [
        OverrideRate(
            assessor_id=row["assessor_id"],
            assessor_name=row["assessor__full_name"] or row["assessor__username"] or "—",
            assessments=row["total"],
            requested=row["requested"],
            approved=row["approved"],
            rejected=row["rejected"],
        )
        for row in rows
    ]
