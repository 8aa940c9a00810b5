"""Monthly study and community-service hours per supervisee, against the rule of their level.

The requirement of a month in which the person was under community correction for only part
of the time is pro-rated by days, to the nearest half hour.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.supervisees.selectors import supervisees_visible_to

from .models import ServiceAttendance
from .rules import COMMUNITY_SERVICE, STUDY, hour_kinds, monthly_requirements

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

ZERO = Decimal("0")
TENTH = Decimal("0.1")
CATEGORY_LABELS = {STUDY: _("Study"), COMMUNITY_SERVICE: _("Community service")}


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def last_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month(day: dt.date) -> dt.date:
    return first_of_month(first_of_month(day) - dt.timedelta(days=1))


def next_month(day: dt.date) -> dt.date:
    return first_of_month(last_of_month(day) + dt.timedelta(days=1))


def parse_month(text: str | None, default: dt.date) -> dt.date:
    """ "2026-03" → 2026-03-01; anything unreadable → the default month."""
    try:
        year, month = (int(part) for part in (text or "").split("-")[:2])
        return dt.date(year, month, 1)
    except ValueError:
        return first_of_month(default)


def _round_half(value: Decimal) -> Decimal:
    return (value * 2).quantize(Decimal("1"), ROUND_HALF_UP) / 2


def required_hours(supervisee: Supervisee, month: dt.date) -> dict[str, Decimal]:
    """Hours the person's level requires in `month`, pro-rated to the days of their term in it."""
    rule = monthly_requirements().get(supervisee.supervision_level, {})
    first, last = first_of_month(month), last_of_month(month)
    start, end = max(first, supervisee.term_start), min(last, supervisee.term_end)
    if end < start:
        return dict.fromkeys(rule, ZERO)
    share = Decimal((end - start).days + 1) / Decimal((last - first).days + 1)
    return {category: _round_half(hours * share) for category, hours in rule.items()}


@dataclass(frozen=True)
class MonthlyHours:
    supervisee: Supervisee
    month: dt.date
    actual: dict[str, Decimal]
    required: dict[str, Decimal]

    @property
    def shortfalls(self) -> dict[str, Decimal]:
        return {
            category: needed - self.actual.get(category, ZERO)
            for category, needed in self.required.items()
            if self.actual.get(category, ZERO) < needed
        }

    @property
    def has_shortfall(self) -> bool:
        return bool(self.shortfalls)

    def rows(self) -> list[dict[str, object]]:
        """One row per category, for templates: label, actual, required, missing."""
        return [
            {
                "category": category,
                "label": CATEGORY_LABELS.get(category, category),
                "actual": self.actual.get(category, ZERO).quantize(TENTH),
                "required": needed.quantize(TENTH),
                "missing": max(needed - self.actual.get(category, ZERO), ZERO).quantize(TENTH),
            }
            for category, needed in self.required.items()
        ]


def _category_of_kind() -> dict[str, str]:
    return {kind: category for category, kinds in hour_kinds().items() for kind in kinds}


def actual_hours(supervisees: QuerySet[Supervisee] | Iterable[int], month: dt.date) -> dict[int, dict[str, Decimal]]:
    """{supervisee id: {category: hours}} for one month, in one aggregate query.

    Given a queryset, it is used as a subquery (no list of ids however many people a bureau sees).
    """
    categories = _category_of_kind()
    totals: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    people = supervisees.values("pk") if isinstance(supervisees, QuerySet) else list(supervisees)
    rows = (
        ServiceAttendance.objects.filter(
            supervisee_id__in=people,
            held_on__gte=first_of_month(month),
            held_on__lte=last_of_month(month),
            kind__in=list(categories),
        )
        .values("supervisee_id", "kind")
        .annotate(total=Sum("hours"))
    )
    for row in rows:
        totals[row["supervisee_id"]][categories[row["kind"]]] += row["total"] or ZERO
    # Hours other apps record themselves (online study, booked group sessions): added, never typed twice.
    for source in hour_sources():
        for supervisee_id, by_category in source(people, first_of_month(month), last_of_month(month)).items():
            for category, hours in by_category.items():
                totals[supervisee_id][category] += hours
    return totals


def hour_sources() -> list[Callable[[Any, dt.date, dt.date], dict[int, dict[str, Decimal]]]]:
    """Functions named by `service_hour_sources` on AppConfigs: (people, first day, last day) ->
    {supervisee id: {category: hours}}, `people` being ids or a values("pk") queryset."""
    from django.apps import apps

    from zhengtu.workspace.registry import load_callable

    return [load_callable(d) for c in apps.get_app_configs() if (d := getattr(c, "service_hour_sources", None))]


def monthly_hours(supervisees: QuerySet[Supervisee] | Iterable[Supervisee], month: dt.date) -> list[MonthlyHours]:
    people = list(supervisees)
    source = supervisees if isinstance(supervisees, QuerySet) else [p.pk for p in people]
    actual = actual_hours(source, month)
    return [
        MonthlyHours(
            supervisee=person,
            month=first_of_month(month),
            actual=dict(actual.get(person.pk, {})),
            required=required_hours(person, month),
        )
        for person in people
    ]


def hours_history(supervisee: Supervisee, *, until: dt.date, months: int = 12) -> list[MonthlyHours]:
    """The person's months under correction up to `until`, newest first (at most `months`)."""
    result: list[MonthlyHours] = []
    month = first_of_month(min(until, supervisee.term_end))
    while len(result) < months and month >= first_of_month(supervisee.term_start):
        result.extend(monthly_hours([supervisee], month))
        month = previous_month(month)
    return result


def people_under_supervision(user: User) -> QuerySet[Supervisee]:
    return (
        supervisees_visible_to(user)
        .filter(status=Status.UNDER_SUPERVISION)
        .select_related("responsible_office")
        .order_by("name_pinyin", "pk")
    )


def shortfalls_for(user: User, month: dt.date) -> list[MonthlyHours]:
    """People the user works with (under supervision now) who are short of hours in `month`."""
    return [m for m in monthly_hours(people_under_supervision(user), month) if m.has_shortfall]
