"""KPI indicators and the registry of sources that count them.

A project's targets name an indicator by code ("education_sessions"). Which records count
towards it is not known here: any app declares sources on its AppConfig,

    indicator_sources = "zhengtu.services.indicators:indicator_sources"

a function returning a list of IndicatorSource. Several apps may be able to count the same
indicator (the services ledger and the supervision file both record visits; the ledger and the
assessment module both record psychological screenings). Counts are never added across apps:
each indicator is counted by exactly one app, named in one place, the rule
`project_indicator_counted_by` (projects/rules.py); an indicator only one app can count is
counted by that app.

Sources that count work done *for* a project without a project on the record (a check-in, a
scored questionnaire) use `ProjectScope`: the supervisee's office lies under the buying bureau,
the person who did the work is on the project's staff or works at the agency, and the day lies
in the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.workspace.registry import load_callable

from .rules import indicator_counted_by

if TYPE_CHECKING:
    from .models import ServiceProject


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Any  # lazy translation
    unit: Any  # lazy translation: sessions, person-times, people
    order: int = 100


@dataclass(frozen=True)
class Evidence:
    """One record behind a figure, for drilling down from the figure to the ledger."""

    held_on: dt.date
    title: str
    detail: str = ""
    url: str = ""
    counted: int = 1  # how much this record adds to the figure


@dataclass(frozen=True)
class IndicatorSource:
    indicator: Indicator
    # count(project, first_day, last_day) -> how many, both days included
    count: Callable[[ServiceProject, dt.date, dt.date], int]
    # evidence(project, first_day, last_day) -> the records behind the count
    evidence: Callable[[ServiceProject, dt.date, dt.date], list[Evidence]]
    # The label of the app that declared the source (filled in by the registry).
    app_label: str = ""


@dataclass(frozen=True)
class ProjectScope:
    """Which records count for a project when the record itself names no project."""

    project: ServiceProject
    first_day: dt.date
    last_day: dt.date

    def area(self, office_path_field: str) -> Q:
        """The record's organisation (through `office_path_field`, a path) lies under the buying bureau."""
        return Q(**{f"{office_path_field}__startswith": self.project.buying_bureau.path})

    def workers(self, user_field: str) -> Q:
        """The user in `user_field` is on the project's staff or works at the agency (or below it)."""
        from .models import ProjectStaff

        staff = ProjectStaff.objects.filter(project=self.project).values("user_id")
        return Q(**{f"{user_field}__in": staff}) | Q(
            **{f"{user_field}__organisation__path__startswith": self.project.agency.path}
        )

    def days(self, date_field: str) -> Q:
        return Q(**{f"{date_field}__gte": self.first_day, f"{date_field}__lte": self.last_day})

    def moments(self, datetime_field: str) -> Q:
        """A date-time field within the period's days, counted in local time (Asia/Shanghai)."""
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(self.first_day, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return Q(**{f"{datetime_field}__gte": start, f"{datetime_field}__lt": end})


SESSIONS = pgettext_lazy("indicator unit", "sessions")
PERSON_TIMES = pgettext_lazy("indicator unit", "person-times")
PEOPLE = pgettext_lazy("indicator unit", "people")
REPORTS = pgettext_lazy("indicator unit", "reports")
ALERTS = pgettext_lazy("indicator unit", "alerts")

# The indicators of a county's community-corrections service contract (seed 003). Apps add
# their own by declaring sources for new codes.
EDUCATION_SESSIONS = Indicator("education_sessions", _("Education sessions"), SESSIONS, 10)
PSYCHOLOGICAL_TESTS = Indicator("psychological_tests", _("Psychological screenings"), PERSON_TIMES, 20)
GROUP_COUNSELLING = Indicator("group_counselling", _("Group counselling sessions"), SESSIONS, 30)
INDIVIDUAL_COUNSELLING = Indicator("individual_counselling", _("Individual counselling cases"), PEOPLE, 40)
COMMUNITY_SERVICE_SESSIONS = Indicator("community_service_sessions", _("Community-service activities"), SESSIONS, 50)
ROUTINE_VISITS = Indicator("routine_visits", _("People given routine visits"), PEOPLE, 60)
FOCUS_VISITS = Indicator("focus_visits", _("People given focus visits"), PEOPLE, 70)
SPECIAL_VISITS = Indicator("special_visits", _("People given special visits"), PEOPLE, 80)
LOCATION_INSTALLS = Indicator("location_installs", _("Location app installations"), PERSON_TIMES, 90)


# Indicators counted outside the services ledger (declared here so that every app uses one code).
CHECK_INS = Indicator("check_ins", _("Check-ins and written reports received"), PERSON_TIMES, 100)
PSYCHOLOGICAL_REPORTS = Indicator("psychological_reports", _("Psychological screening reports issued"), REPORTS, 25)
ASSESSMENTS_SCORED = Indicator("assessments_scored", _("Needs questionnaires scored"), PERSON_TIMES, 110)
ASSESSMENT_REPORTS_ON_TIME = Indicator(
    "assessment_reports_on_time", _("Assessment reports issued within the deadline"), REPORTS, 120
)
ALERTS_HANDLED = Indicator("alerts_handled", _("Monitoring alerts handled"), ALERTS, 130)


@cache
def _declared_sources() -> tuple[IndicatorSource, ...]:
    found: list[IndicatorSource] = []
    for config in apps.get_app_configs():
        dotted = getattr(config, "indicator_sources", None)
        if dotted:
            found.extend(
                IndicatorSource(s.indicator, s.count, s.evidence, s.app_label or config.label)
                for s in load_callable(dotted)()
            )
    return tuple(found)


def declared_sources() -> tuple[IndicatorSource, ...]:
    """Every source every app declares, including those of an indicator another app counts."""
    return _declared_sources()


def contested() -> dict[str, list[str]]:
    """Indicators that several apps can count: code -> their app labels, in INSTALLED_APPS order."""
    by_code: dict[str, list[str]] = {}
    for source in declared_sources():
        labels = by_code.setdefault(source.indicator.code, [])
        if source.app_label not in labels:
            labels.append(source.app_label)
    return {code: labels for code, labels in by_code.items() if len(labels) > 1}


def counting_app(code: str) -> str | None:
    """The one app whose records count for `code`: the rule's choice when several can, else the only one."""
    labels = list(dict.fromkeys(s.app_label for s in declared_sources() if s.indicator.code == code))
    if not labels:
        return None
    chosen = indicator_counted_by().get(code)
    if chosen in labels:
        return chosen
    return labels[0]


def all_sources() -> tuple[IndicatorSource, ...]:
    """The sources that count: for each indicator, only those of its counting app (no double count)."""
    return tuple(s for s in declared_sources() if s.app_label == counting_app(s.indicator.code))


def indicators() -> dict[str, Indicator]:
    """Every indicator some app can count, in display order."""
    found = {source.indicator.code: source.indicator for source in declared_sources()}
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))


def indicator(code: str) -> Indicator:
    """The indicator for `code`; an unknown code (its app was removed) still displays by its code."""
    return indicators().get(code) or Indicator(code, code, "", 999)


def indicator_choices() -> list[tuple[str, Any]]:
    return [(code, item.label) for code, item in indicators().items()]


def measure(project: ServiceProject, code: str, first_day: dt.date, last_day: dt.date) -> int:
    if last_day < first_day:
        return 0
    return sum(source.count(project, first_day, last_day) for source in all_sources() if source.indicator.code == code)


def evidence(project: ServiceProject, code: str, first_day: dt.date, last_day: dt.date) -> list[Evidence]:
    rows: list[Evidence] = []
    for source in all_sources():
        if source.indicator.code == code and last_day >= first_day:
            rows.extend(source.evidence(project, first_day, last_day))
    return sorted(rows, key=lambda row: (row.held_on, row.title))
