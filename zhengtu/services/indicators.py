"""What the service ledger contributes to project KPIs (see projects.indicators).

- sessions (education, community service, group counselling): one per record;
- person-times (psychological screening, location-app installation): one per attendee;
- people (individual counselling cases, routine/focus/special visits): each supervisee once in
  the period, however many records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import QuerySet
from django.urls import reverse

from zhengtu.projects import indicators as kpi
from zhengtu.projects.models import ServiceProject

from .models import ServiceAttendance, ServiceKind, ServiceMode, ServiceRecord, VisitType

Filter = dict[str, str]


def _records(project: ServiceProject, first_day: dt.date, last_day: dt.date, match: Filter) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.filter(project=project, held_on__gte=first_day, held_on__lte=last_day, **match)


def _attendances(
    project: ServiceProject, first_day: dt.date, last_day: dt.date, match: Filter
) -> QuerySet[ServiceAttendance]:
    return ServiceAttendance.objects.filter(
        record__project=project,
        held_on__gte=first_day,
        held_on__lte=last_day,
        **{f"record__{key}": value for key, value in match.items()},
    )


def _evidence_row(record: ServiceRecord, counted: int) -> kpi.Evidence:
    place = f" · {record.place}" if record.place else ""
    return kpi.Evidence(
        held_on=record.held_on,
        title=f"{record.get_kind_display()} · {record.topic}",
        detail=f"{record.get_mode_display()}{place}",
        url=reverse("services:record", args=[record.pk]),
        counted=counted,
    )


def _ordered(project: ServiceProject, first_day: dt.date, last_day: dt.date, match: Filter) -> QuerySet[ServiceRecord]:
    return _records(project, first_day, last_day, match).order_by("held_on", "pk").prefetch_related("attendances")


def sessions(indicator: kpi.Indicator, match: Filter) -> kpi.IndicatorSource:
    def count(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> int:
        return _records(project, first_day, last_day, match).count()

    def evidence(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> list[kpi.Evidence]:
        return [_evidence_row(r, 1) for r in _ordered(project, first_day, last_day, match)]

    return kpi.IndicatorSource(indicator, count, evidence)


def person_times(indicator: kpi.Indicator, match: Filter) -> kpi.IndicatorSource:
    def count(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> int:
        return _attendances(project, first_day, last_day, match).count()

    def evidence(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> list[kpi.Evidence]:
        return [_evidence_row(r, len(r.attendances.all())) for r in _ordered(project, first_day, last_day, match)]

    return kpi.IndicatorSource(indicator, count, evidence)


def people(indicator: kpi.Indicator, match: Filter) -> kpi.IndicatorSource:
    def count(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> int:
        return _attendances(project, first_day, last_day, match).values("supervisee_id").distinct().count()

    def evidence(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> list[kpi.Evidence]:
        seen: set[int] = set()
        rows = []
        for record in _ordered(project, first_day, last_day, match):
            new = {a.supervisee_id for a in record.attendances.all()} - seen
            seen |= new
            rows.append(_evidence_row(record, len(new)))
        return rows

    return kpi.IndicatorSource(indicator, count, evidence)


COUNSELLING = ServiceKind.COUNSELLING
VISIT = ServiceKind.VISIT

_DEFINITIONS: list[tuple[Callable[[kpi.Indicator, Filter], kpi.IndicatorSource], kpi.Indicator, Filter]] = [
    (sessions, kpi.EDUCATION_SESSIONS, {"kind": ServiceKind.EDUCATION}),
    (person_times, kpi.PSYCHOLOGICAL_TESTS, {"kind": ServiceKind.PSYCHOLOGICAL_TEST}),
    (sessions, kpi.GROUP_COUNSELLING, {"kind": COUNSELLING, "mode": ServiceMode.GROUP}),
    (people, kpi.INDIVIDUAL_COUNSELLING, {"kind": COUNSELLING, "mode": ServiceMode.INDIVIDUAL}),
    (sessions, kpi.COMMUNITY_SERVICE_SESSIONS, {"kind": ServiceKind.COMMUNITY_SERVICE}),
    (people, kpi.ROUTINE_VISITS, {"kind": VISIT, "visit_type": VisitType.ROUTINE}),
    (people, kpi.FOCUS_VISITS, {"kind": VISIT, "visit_type": VisitType.FOCUS}),
    (people, kpi.SPECIAL_VISITS, {"kind": VISIT, "visit_type": VisitType.SPECIAL}),
    (person_times, kpi.LOCATION_INSTALLS, {"kind": ServiceKind.LOCATION_SERVICE}),
]


def indicator_sources() -> list[kpi.IndicatorSource]:
    """Declared on ServicesConfig.indicator_sources."""
    return [make(indicator, match) for make, indicator, match in _DEFINITIONS]
