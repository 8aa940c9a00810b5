"""What the assessment module contributes to project KPIs (projects.indicators).

An assessment counts for a project when the person's office (when the questionnaire was
received) lies under the buying bureau, the assessor or the person who scored or issued it is on
the project's staff (or works at the agency), and the day lies in the period.

- psychological screenings: each scored psychological questionnaire (seed 003: 255 tests). The
  service ledger can list screenings too; the rule `project_indicator_counted_by` says which of
  the two counts (the ledger by default), so a screening never counts twice;
- psychological screening reports issued (seed 003: 247 reports);
- needs questionnaires scored, and their reports issued within the deadline (seed 000: every
  report within 3 working days of receiving the questionnaire).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from zhengtu.projects import indicators as kpi
from zhengtu.projects.models import ServiceProject

from .models import Assessment, AssessmentReport, AssessmentStatus, InstrumentKind

KIND = "instrument_version__instrument__kind"


def _scored(project: ServiceProject, first_day: dt.date, last_day: dt.date, kind: str) -> QuerySet[Assessment]:
    scope = kpi.ProjectScope(project, first_day, last_day)
    return Assessment.objects.filter(
        scope.area("office__path"),
        scope.workers("assessor") | scope.workers("submitted_by"),
        scope.moments("submitted_at"),
        status=AssessmentStatus.SUBMITTED,
        **{KIND: kind},
    )


def _reports(project: ServiceProject, first_day: dt.date, last_day: dt.date, kind: str) -> QuerySet[AssessmentReport]:
    scope = kpi.ProjectScope(project, first_day, last_day)
    return AssessmentReport.objects.filter(
        scope.area("assessment__office__path"),
        scope.workers("issued_by") | scope.workers("assessment__assessor"),
        scope.days("issued_on"),
        **{f"assessment__{KIND}": kind},
    )


def _on_time_reports(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> QuerySet[AssessmentReport]:
    return _reports(project, first_day, last_day, InstrumentKind.RISK_NEEDS).filter(
        Q(assessment__due_on__isnull=True) | Q(issued_on__lte=F("assessment__due_on"))
    )


def scored_questionnaires(indicator: kpi.Indicator, kind: str) -> kpi.IndicatorSource:
    def count(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> int:
        return _scored(project, first_day, last_day, kind).count()

    def evidence(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> list[kpi.Evidence]:
        rows = _scored(project, first_day, last_day, kind).select_related("instrument_version", "assessor")
        return [
            kpi.Evidence(
                held_on=timezone.localdate(row.submitted_at) if row.submitted_at else row.received_on,
                title=row.instrument_version.title,
                detail=row.assessor.display_name if row.assessor else "",
                url=reverse("assessment:detail", args=[row.pk]),
            )
            for row in rows.order_by("submitted_at", "pk")
        ]

    return kpi.IndicatorSource(indicator, count, evidence)


Reports = Callable[[ServiceProject, dt.date, dt.date], QuerySet[AssessmentReport]]


def issued_reports(indicator: kpi.Indicator, reports: Reports) -> kpi.IndicatorSource:
    def count(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> int:
        return reports(project, first_day, last_day).count()

    def evidence(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> list[kpi.Evidence]:
        rows = reports(project, first_day, last_day).select_related("assessment__instrument_version")
        return [
            kpi.Evidence(
                held_on=row.issued_on,
                title=f"{row.number} · {row.assessment.instrument_version.title}",
                url=reverse("assessment:detail", args=[row.assessment_id]),
            )
            for row in rows.order_by("issued_on", "pk")
        ]

    return kpi.IndicatorSource(indicator, count, evidence)


def _psychological_reports(
    project: ServiceProject, first_day: dt.date, last_day: dt.date
) -> QuerySet[AssessmentReport]:
    return _reports(project, first_day, last_day, InstrumentKind.PSYCHOLOGICAL)


def indicator_sources() -> list[kpi.IndicatorSource]:
    """Declared on AssessmentConfig.indicator_sources."""
    return [
        scored_questionnaires(kpi.PSYCHOLOGICAL_TESTS, InstrumentKind.PSYCHOLOGICAL),
        issued_reports(kpi.PSYCHOLOGICAL_REPORTS, _psychological_reports),
        scored_questionnaires(kpi.ASSESSMENTS_SCORED, InstrumentKind.RISK_NEEDS),
        issued_reports(kpi.ASSESSMENT_REPORTS_ON_TIME, _on_time_reports),
    ]
