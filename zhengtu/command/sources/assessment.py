"""Figures of assessment: questionnaires received and reports issued within the working-day limit."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.models import User
from zhengtu.assessment.models import Assessment, AssessmentReport, AssessmentStatus
from zhengtu.assessment.permissions import can_view_figures
from zhengtu.supervisees.selectors import supervisees_visible_to

from ..figures import Figure
from .common import supervisee_link

SECTION = _("Assessment")
ON_TIME = "on_time"
LATE = "late"
NO_DEADLINE = "no_deadline"


def _reports(user: User) -> QuerySet[Any]:
    if not can_view_figures(user):
        return AssessmentReport.objects.none()
    return AssessmentReport.objects.filter(
        assessment__supervisee__in=supervisees_visible_to(user).values("pk")
    ).annotate(
        timeliness=Case(
            When(assessment__due_on__isnull=True, then=Value(NO_DEADLINE)),
            When(issued_on__lte=F("assessment__due_on"), then=Value(ON_TIME)),
            default=Value(LATE),
            output_field=CharField(),
        )
    )


def _received(user: User) -> QuerySet[Any]:
    if not can_view_figures(user):
        return Assessment.objects.none()
    return Assessment.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk")).exclude(
        Q(status=AssessmentStatus.CANCELLED)
    )


def sources() -> list[Figure]:
    return [
        Figure(
            key="assessment.received",
            title=_("Assessment questionnaires received"),
            section=SECTION,
            records=_received,
            office="supervisee__responsible_office_id",
            date="received_on",
            describe=lambda r: supervisee_link(r, f"{r.supervisee.name} · {r.received_on}"),
            select_related=("supervisee",),
        ),
        Figure(
            key="assessment.reports",
            title=_("Assessment reports issued, within the limit or late"),
            section=SECTION,
            records=_reports,
            office="assessment__supervisee__responsible_office_id",
            date="issued_on",
            breakdown="timeliness",
            choices=(
                (ON_TIME, _("Within the working-day limit")),
                (LATE, _("Late")),
                (NO_DEADLINE, _("No deadline recorded")),
            ),
            supervisee="assessment__supervisee",
            describe=lambda r: (
                f"{r.assessment.supervisee.name} · {r.number} · {r.issued_on}",
                f"/supervisees/{r.assessment.supervisee_id}/",
            ),
            select_related=("assessment__supervisee",),
            note=_("The limit is the report deadline counted in working days when the questionnaire was received."),
        ),
    ]
