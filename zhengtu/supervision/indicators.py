"""What the supervision file contributes to project KPIs (projects.indicators).

The records name no project: a check-in or a visit counts for a project when the person is
supervised under the project's buying bureau, the record was made by the project's staff (or
the agency's) and its day lies in the period (projects.indicators.ProjectScope).

- check-ins and written reports received: one per record (person-times);
- routine / focus / special visits: each person once in the period. The service ledger can count
  visits too; the rule `project_indicator_counted_by` says which of the two counts (the ledger by
  default), so a visit written in both places never counts twice.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.urls import reverse

from zhengtu.projects import indicators as kpi
from zhengtu.projects.models import ServiceProject

from .models import CheckIn, Visit, VisitKind

OFFICE_PATH = "supervisee__responsible_office__path"


def _check_ins(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> QuerySet[CheckIn]:
    scope = kpi.ProjectScope(project, first_day, last_day)
    return CheckIn.objects.filter(scope.area(OFFICE_PATH), scope.workers("recorded_by"), scope.days("occurred_on"))


def _count_check_ins(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> int:
    return _check_ins(project, first_day, last_day).count()


def _check_in_evidence(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> list[kpi.Evidence]:
    rows = _check_ins(project, first_day, last_day).select_related("recorded_by").order_by("occurred_on", "pk")
    return [
        kpi.Evidence(
            held_on=row.occurred_on,
            title=f"{row.get_kind_display()} · {row.get_channel_display()}",
            detail=row.recorded_by.display_name if row.recorded_by else "",
            url=reverse("supervision:file", args=[row.supervisee_id]),
        )
        for row in rows
    ]


def _visits(project: ServiceProject, first_day: dt.date, last_day: dt.date, kind: str) -> QuerySet[Visit]:
    scope = kpi.ProjectScope(project, first_day, last_day)
    return Visit.objects.filter(
        scope.area(OFFICE_PATH), scope.workers("recorded_by"), scope.days("visited_on"), kind=kind
    )


def visited_people(indicator: kpi.Indicator, kind: str) -> kpi.IndicatorSource:
    def count(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> int:
        return _visits(project, first_day, last_day, kind).values("supervisee_id").distinct().count()

    def evidence(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> list[kpi.Evidence]:
        seen: set[int] = set()
        rows = []
        for visit in _visits(project, first_day, last_day, kind).order_by("visited_on", "pk"):
            rows.append(
                kpi.Evidence(
                    held_on=visit.visited_on,
                    title=f"{visit.get_kind_display()} · {visit.place}",
                    url=reverse("supervision:file", args=[visit.supervisee_id]),
                    counted=0 if visit.supervisee_id in seen else 1,
                )
            )
            seen.add(visit.supervisee_id)
        return rows

    return kpi.IndicatorSource(indicator, count, evidence)


def indicator_sources() -> list[kpi.IndicatorSource]:
    """Declared on SupervisionConfig.indicator_sources."""
    return [
        kpi.IndicatorSource(kpi.CHECK_INS, _count_check_ins, _check_in_evidence),
        visited_people(kpi.ROUTINE_VISITS, VisitKind.ROUTINE),
        visited_people(kpi.FOCUS_VISITS, VisitKind.FOCUS),
        visited_people(kpi.SPECIAL_VISITS, VisitKind.SPECIAL),
    ]
