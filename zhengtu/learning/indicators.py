"""What online education contributes to project KPIs (see projects.indicators and projects/README.md).

- `online_courses_completed` (person-times): courses people supervised under the buying bureau completed online
  in the period. Online study is the bureau's own platform, so it counts by area (like monitoring's
  installations), not by who did the work.
Group education sessions ("教育学习 场次") stay counted by the services ledger.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from zhengtu.projects import indicators as kpi
from zhengtu.projects.models import ServiceProject

from .models import CourseAssignment

ONLINE_COURSES_COMPLETED = kpi.Indicator(
    "online_courses_completed", _("Online courses completed"), kpi.PERSON_TIMES, 15
)


def _completed(project: ServiceProject, first_day: dt.date, last_day: dt.date):  # type: ignore[no-untyped-def]
    scope = kpi.ProjectScope(project, first_day, last_day)
    return CourseAssignment.objects.filter(
        scope.area("supervisee__responsible_office__path"), scope.moments("completed_at")
    ).select_related("course", "supervisee")


def count(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> int:
    return int(_completed(project, first_day, last_day).count())


def evidence(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> list[kpi.Evidence]:
    return [
        kpi.Evidence(
            held_on=a.completed_at.date() if a.completed_at else first_day,
            title=f"{a.course.title} · {a.supervisee.name}",
        )
        for a in _completed(project, first_day, last_day).order_by("completed_at", "pk")
    ]


def indicator_sources() -> list[kpi.IndicatorSource]:
    """Declared on LearningConfig.indicator_sources."""
    return [kpi.IndicatorSource(ONLINE_COURSES_COMPLETED, count, evidence)]
