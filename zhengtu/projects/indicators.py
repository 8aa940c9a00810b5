"""KPI indicators and the registry of sources that count them.

A project's targets name an indicator by code ("education_sessions"). Which records count
towards it is not known here: any app declares sources on its AppConfig,

    indicator_sources = "zhengtu.services.indicators:indicator_sources"

a function returning a list of IndicatorSource. When several apps count the same indicator
(the services ledger today, the supervision app's visits later) their counts are added, so
each record must be counted by exactly one source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.workspace.registry import load_callable

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


SESSIONS = pgettext_lazy("indicator unit", "sessions")
PERSON_TIMES = pgettext_lazy("indicator unit", "person-times")
PEOPLE = pgettext_lazy("indicator unit", "people")

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


@cache
def _all_sources() -> tuple[IndicatorSource, ...]:
    found: list[IndicatorSource] = []
    for config in apps.get_app_configs():
        dotted = getattr(config, "indicator_sources", None)
        if dotted:
            found.extend(load_callable(dotted)())
    return tuple(found)


def all_sources() -> tuple[IndicatorSource, ...]:
    return _all_sources()


def indicators() -> dict[str, Indicator]:
    """Every indicator some app can count, in display order."""
    found = {source.indicator.code: source.indicator for source in all_sources()}
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
