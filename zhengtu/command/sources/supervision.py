"""Figures of the supervision workflow: terminations, approvals, sanctions, monitoring periods, check-ins, visits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.models import User
from zhengtu.selfservice.models import AppCheckIn, CheckInStatus, SpotCheck, SpotCheckStatus
from zhengtu.supervisees.selectors import supervisees_visible_to
from zhengtu.supervision.models import (
    ApprovalKind,
    ApprovalStatus,
    CheckIn,
    CheckInKind,
    DueItem,
    DueKind,
    MonitoringApproval,
    Sanction,
    SanctionKind,
    Termination,
    TerminationReason,
    Visit,
    VisitKind,
)
from zhengtu.supervision.models.absconding import SearchOutcome, SearchRecord
from zhengtu.supervision.selectors import approval_requests_visible_to

from ..figures import FLOW, STOCK, Figure, MissingFigure
from .common import file_link, local_zone

MOVEMENT = _("Intake and release")
MANAGEMENT = _("Daily management")
DECISIONS = _("Approvals, commendations and sanctions")
MONITORING = _("Electronic monitoring")


def _of_visible(model: Any) -> Any:
    def records(user: User) -> QuerySet[Any]:
        return model.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))

    return records


def _app_check_ins(user: User) -> QuerySet[Any]:
    flagged = AppCheckIn.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk")).exclude(flags=[])
    return flagged.annotate(stat_day=TruncDate("received_at", tzinfo=local_zone()))


def _missed_spot_checks(user: User) -> QuerySet[Any]:
    missed = SpotCheck.objects.filter(
        supervisee__in=supervisees_visible_to(user).values("pk"), status=SpotCheckStatus.MISSED
    )
    return missed.annotate(stat_day=TruncDate("due_at", tzinfo=local_zone()))


def _searches(user: User) -> QuerySet[Any]:
    opened = SearchRecord.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))
    return opened.annotate(stat_day=TruncDate("lost_contact_at", tzinfo=local_zone()))


def _approvals(user: User) -> QuerySet[Any]:
    # Only requests about people in the user's scope: approval_requests_visible_to also lets a receiving
    # bureau see transfers of people not yet theirs, which another office counts.
    scoped = approval_requests_visible_to(user).filter(supervisee__in=supervisees_visible_to(user).values("pk"))
    return scoped.annotate(stat_day=TruncDate("requested_at", tzinfo=local_zone()))


def _sanctions(user: User) -> QuerySet[Any]:
    return _of_visible(Sanction)(user).filter(approval__status=ApprovalStatus.APPROVED)


def _monitoring(user: User) -> QuerySet[Any]:
    return _of_visible(MonitoringApproval)(user).filter(approval__status=ApprovalStatus.APPROVED)


def _monitoring_on(queryset: QuerySet[Any], day: dt.date) -> QuerySet[Any]:
    return queryset.filter(start_date__lte=day, end_date__gte=day)


def _overdue_on(queryset: QuerySet[Any], day: dt.date) -> QuerySet[Any]:
    return queryset.filter(due_on__lt=day)


def _due_week_on(queryset: QuerySet[Any], day: dt.date) -> QuerySet[Any]:
    return queryset.filter(due_on__gte=day, due_on__lte=day + dt.timedelta(days=6))


def _approval_link(record: Any) -> tuple[str, str]:
    return f"{record.supervisee.name} · {record.get_kind_display()} · {record.get_status_display()}", reverse(
        "supervision:approval", args=[record.pk]
    )


def _named(label: str) -> Any:
    def describe(record: Any) -> tuple[str, str]:
        return file_link(record, f"{record.supervisee.name} · {getattr(record, label)()}")

    return describe


def sources() -> list[Any]:
    office = "supervisee__responsible_office_id"
    due: dict[str, Any] = {
        "section": MANAGEMENT,
        "records": _of_visible(DueItem),
        "office": office,
        "kind": STOCK,
        "breakdown": "kind",
        "choices": tuple(DueKind.choices),
        "describe": _named("get_kind_display"),
        "select_related": ("supervisee",),
        "in_tables": False,  # due items are today's state, not history
    }
    return [
        Figure(
            key="supervision.overdue",
            title=_("Overdue duties"),
            on_day=_overdue_on,
            note=_("What the rules of each person's level required before the day and is not recorded yet."),
            **due,
        ),
        Figure(key="supervision.due_this_week", title=_("Due in the next seven days"), on_day=_due_week_on, **due),
        Figure(
            key="supervision.flagged_app_check_ins",
            title=_("Flagged app check-ins"),
            section=MANAGEMENT,
            records=_app_check_ins,
            office=office,
            date="stat_day",
            breakdown="status",
            choices=tuple(CheckInStatus.choices),
            describe=_named("get_status_display"),
            select_related=("supervisee",),
            note=_("App check-ins stored with a flag (face, place, accuracy, time or device); by what became of them."),
        ),
        Figure(
            key="supervision.missed_spot_checks",
            title=_("Missed spot checks"),
            section=MANAGEMENT,
            records=_missed_spot_checks,
            office=office,
            date="stat_day",
            describe=_named("get_status_display"),
            select_related=("supervisee",),
        ),
        Figure(
            key="supervision.terminations",
            title=_("Terminations by reason"),
            section=MOVEMENT,
            records=_of_visible(Termination),
            office=office,
            date="effective_on",
            breakdown="reason",
            choices=tuple(TerminationReason.choices),
            describe=_named("get_reason_display"),
            select_related=("supervisee",),
        ),
        Figure(
            key="supervision.absconding",
            title=_("Absconding (脱管) and recovered"),
            section=MANAGEMENT,
            records=_searches,
            office=office,
            date="stat_day",
            breakdown="outcome",
            choices=(("", _("Still searched for")), *SearchOutcome.choices),
            describe=_named("get_trigger_display"),
            select_related=("supervisee",),
            note=_("Searches opened in the period for people out of contact, by how they ended."),
        ),
        MissingFigure(
            key="supervision.reoffending",
            title=_("Re-offending during the term"),
            section=MOVEMENT,
            reason=_(
                "No record says that a new offence was committed during the term; it is not guessed from terminations."
            ),
        ),
        Figure(
            key="supervision.approvals_by_kind",
            title=_("Approval requests by kind"),
            section=DECISIONS,
            records=_approvals,
            office=office,
            date="stat_day",
            breakdown="kind",
            choices=tuple(ApprovalKind.choices),
            describe=_approval_link,
            select_related=("supervisee",),
            note=_("Requests made in the period, whatever their outcome."),
        ),
        Figure(
            key="supervision.approvals_by_outcome",
            title=_("Approval requests by outcome"),
            section=DECISIONS,
            records=_approvals,
            office=office,
            date="stat_day",
            breakdown="status",
            choices=tuple(ApprovalStatus.choices),
            describe=_approval_link,
            select_related=("supervisee",),
        ),
        Figure(
            key="supervision.sanctions",
            title=_("Commendations and sanctions by kind"),
            section=DECISIONS,
            records=_sanctions,
            office=office,
            date="occurred_on",
            breakdown="kind",
            choices=tuple(SanctionKind.choices),
            describe=_named("get_kind_display"),
            select_related=("supervisee",),
            note=_("Approved decisions only, dated by the facts."),
        ),
        Figure(
            key="supervision.monitoring_in_force",
            title=_("Electronic monitoring in force"),
            section=MONITORING,
            records=_monitoring,
            office=office,
            kind=STOCK,
            on_day=_monitoring_on,
            describe=lambda r: file_link(r, f"{r.supervisee.name} · {r.start_date}–{r.end_date}"),
            select_related=("supervisee",),
            note=_("Approved monitoring periods covering the last day of the period."),
        ),
        Figure(
            key="supervision.check_ins",
            title=_("Check-ins and written reports"),
            section=MANAGEMENT,
            records=_of_visible(CheckIn),
            office=office,
            kind=FLOW,
            date="occurred_on",
            breakdown="kind",
            choices=tuple(CheckInKind.choices),
            describe=_named("get_kind_display"),
            select_related=("supervisee",),
        ),
        Figure(
            key="supervision.visits",
            title=_("Visits"),
            section=MANAGEMENT,
            records=_of_visible(Visit),
            office=office,
            date="visited_on",
            breakdown="kind",
            choices=tuple(VisitKind.choices),
            describe=_named("get_kind_display"),
            select_related=("supervisee",),
        ),
    ]
