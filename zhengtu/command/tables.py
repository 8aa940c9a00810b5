"""The periodic tables: each figure counted per office, county or city, for one period, in the user's scope.

Every number comes from `Figure.records(user)` (the owning app's scoped selector) and one GROUP BY;
nothing is typed in. Records that cannot be placed (no date) or must not be counted (sealed) are
counted separately and the table says how many and why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.supervisees.models import Assignment

from .figures import FLOW, STOCK, Figure, sealed_supervisees
from .periods import Period
from .rules import rule
from .selectors import statistics_root

OFFICE = "office"
COUNTY = "county"
CITY = "city"
PROVINCE = "province"
GROUPINGS = (OFFICE, COUNTY, CITY, PROVINCE)
TOTAL = ""  # the column key of a figure without breakdown
OTHER_KIND_LABEL = "?"

# Which kinds of organisation stand for a level of the tree when rows are grouped.
LEVEL_KINDS = {
    COUNTY: {OrganisationKind.COUNTY_BUREAU},
    CITY: {OrganisationKind.CITY_BUREAU},
    PROVINCE: {OrganisationKind.PROVINCE_BUREAU},
}

Number = int | Decimal


@dataclass
class Row:
    organisation: Organisation
    cells: dict[str, Number] = field(default_factory=dict)

    @property
    def total(self) -> Number:
        return sum(self.cells.values(), 0)


@dataclass
class LeftOut:
    count: int
    reason: str


@dataclass
class FigureTable:
    figure: Figure
    period: Period
    grouping: str
    columns: list[tuple[str, str]]
    rows: list[Row]
    left_out: list[LeftOut]
    counted_on: dt.date | None  # stocks: the day counted

    @property
    def totals(self) -> dict[str, Number]:
        return {key: sum((row.cells.get(key, 0) for row in self.rows), 0) for key, _label in self.columns}

    @property
    def grand_total(self) -> Number:
        return sum(self.totals.values(), 0)


def default_grouping(root: Organisation | None) -> str:
    """Rows one level below the user's own: a province sees its cities, a city its counties, a county its offices."""
    if root is not None and root.kind == OrganisationKind.PROVINCE_BUREAU:
        return CITY
    if root is not None and root.kind == OrganisationKind.CITY_BUREAU:
        return COUNTY
    return OFFICE


def _group_of(grouping: str, organisations: dict[int, Organisation]) -> dict[int, Organisation]:
    """For each organisation id: the organisation of the row it is counted in."""
    if grouping == OFFICE:
        return dict(organisations)
    by_path = {org.path: org for org in organisations.values()}
    kinds = LEVEL_KINDS[grouping]
    result: dict[int, Organisation] = {}
    for pk, org in organisations.items():
        group = org
        parts = [p for p in org.path.strip("/").split("/") if p]
        for depth in range(len(parts), 0, -1):
            ancestor = by_path.get("/" + "/".join(parts[:depth]) + "/")
            if ancestor is not None and ancestor.kind in kinds:
                group = ancestor
                break
        result[pk] = group
    return result


def _organisations(ids: set[int]) -> dict[int, Organisation]:
    """The organisations counted in, with all their ancestors (grouping walks up the paths)."""
    if not ids:
        return {}
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    ancestor_ids = {int(p) for org in found.values() for p in org.path.strip("/").split("/") if p} - set(found)
    found.update({o.pk: o for o in Organisation.objects.filter(pk__in=ancestor_ids)})
    return found


def exclude_sealed(figure: Figure, queryset: QuerySet[Any], sealed: set[int]) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """(counted, left out as sealed)."""
    if not sealed:
        return queryset, queryset.none()
    lookup = f"{figure.supervisee}__pk__in" if figure.supervisee else "pk__in"
    return queryset.exclude(**{lookup: sealed}), queryset.filter(**{lookup: sealed})


def in_period(figure: Figure, queryset: QuerySet[Any], period: Period, today: dt.date) -> QuerySet[Any]:
    if figure.kind == STOCK:
        assert figure.on_day is not None
        return figure.on_day(queryset, period.counted_on(today))
    return queryset.filter(**{f"{figure.date}__gte": period.start, f"{figure.date}__lte": period.end})


def aggregate(figure: Figure) -> Any:
    return Sum(figure.total_of) if figure.total_of else Count("pk", distinct=figure.kind == STOCK)


def figure_table(
    user: User,
    figure: Figure,
    period: Period,
    *,
    grouping: str = OFFICE,
    today: dt.date,
    sealed: set[int] | None = None,
) -> FigureTable:
    sealed = sealed_supervisees(user) if sealed is None else sealed
    counted, sealed_records = exclude_sealed(figure, figure.records(user), sealed)
    left_out: list[LeftOut] = []
    if figure.kind == FLOW and figure.date:
        undated = counted.filter(**{f"{figure.date}__isnull": True}).count()
        if undated:
            left_out.append(LeftOut(undated, str(figure.undated_reason or _("no date to place them in a period"))))
    if sealed:
        hidden = in_period(figure, sealed_records, period, today).count()
        if hidden:
            left_out.append(LeftOut(hidden, _("sealed juvenile records (not counted by law)")))
    offices = shared_scope(user, counted, sealed)
    if offices is not None:
        raw = [row for row in _all_office_rows(figure, period, today) if row[0] in offices]
    else:
        raw = _office_rows(figure, in_period(figure, counted, period, today))
    columns = [(str(v), str(label)) for v, label in figure.choices] if figure.breakdown else [(TOTAL, _("Total"))]
    known = {key for key, _label in columns}
    for _office, key, _n in raw:
        if key not in known:
            columns.append((key, key or OTHER_KIND_LABEL))
            known.add(key)
    organisations = _organisations({office for office, _k, _n in raw if office is not None})
    groups = _group_of(grouping, organisations)
    rows: dict[int, Row] = {}
    no_office = 0
    for office, key, n in raw:
        if office is None:
            no_office += int(n)
            continue
        group = groups[office]
        row = rows.setdefault(group.pk, Row(group))
        row.cells[key] = row.cells.get(key, 0) + n
    if no_office:
        left_out.append(LeftOut(no_office, _("no responsible office")))
    ordered = sorted(rows.values(), key=lambda r: r.organisation.path)
    return FigureTable(
        figure=figure,
        period=period,
        grouping=grouping,
        columns=columns,
        rows=ordered,
        left_out=left_out,
        counted_on=period.counted_on(today) if figure.kind == STOCK else None,
    )


def _office_rows(figure: Figure, records: QuerySet[Any]) -> list[tuple[int | None, str, Number]]:
    fields = [figure.office] + ([figure.breakdown] if figure.breakdown else [])
    grouped = records.order_by().values(*fields).annotate(n=aggregate(figure))
    return [
        (item[figure.office], str(item[figure.breakdown]) if figure.breakdown else TOTAL, item["n"] or 0)
        for item in grouped
    ]


def shared_scope(user: User, records: QuerySet[Any], sealed: set[int]) -> set[int] | None:
    """The offices whose counts make up this user's figure, when the user's scope is exactly an organisation
    subtree (no personal assignments, nothing sealed, the figure not refused to them): then the figure is the
    sum of per-office counts shared by every user (`_all_office_rows`). None: count for this user alone."""
    seconds = int(rule("SHARED_AGGREGATE_SECONDS"))
    if seconds <= 0 or sealed or user.is_superuser or user.organisation_id is None or records.query.is_empty():
        return None
    if Assignment.objects.filter(user=user, ended_at__isnull=True).exists():
        return None
    root = statistics_root(user)
    if root is None:
        return None
    return set(Organisation.objects.filter(path__startswith=root.path).values_list("pk", flat=True))


def _all_office_rows(figure: Figure, period: Period, today: dt.date) -> list[tuple[int | None, str, Number]]:
    """The figure counted per office over every record (precomputed, kept SHARED_AGGREGATE_SECONDS): a
    province's dashboard sums these instead of scanning its 50,000 people on every request."""
    key = f"command:office-rows:{figure.key}:{period.code}:{today.isoformat()}"
    rows: list[tuple[int | None, str, Number]] | None = cache.get(key)
    if rows is None:
        everyone = User(is_superuser=True, is_active=True)  # reads every record; filtered to offices by the caller
        rows = _office_rows(figure, in_period(figure, figure.records(everyone), period, today))
        cache.set(key, rows, int(rule("SHARED_AGGREGATE_SECONDS")))
    return rows


def people_counts(user: User, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Supervisees in the user's scope counted by `fields` (dashboards and the wall), from the shared
    per-office counts when the scope is an organisation subtree."""
    from zhengtu.supervisees.models import Supervisee
    from zhengtu.supervisees.selectors import supervisees_visible_to

    visible = supervisees_visible_to(user)
    sealed = sealed_supervisees(user)
    if sealed:
        visible = visible.exclude(pk__in=sealed)
    offices = shared_scope(user, visible, sealed)
    if offices is None:
        return list(visible.order_by().values(*fields).annotate(n=Count("pk")))
    key = f"command:people:{':'.join(fields)}"
    rows: list[dict[str, Any]] | None = cache.get(key)
    if rows is None:
        rows = list(Supervisee.objects.order_by().values("responsible_office_id", *fields).annotate(n=Count("pk")))
        cache.set(key, rows, int(rule("SHARED_AGGREGATE_SECONDS")))
    summed: dict[tuple[Any, ...], int] = {}
    for row in rows:
        if row["responsible_office_id"] in offices:
            values = tuple(row[f] for f in fields)
            summed[values] = summed.get(values, 0) + row["n"]
    return [{**dict(zip(fields, values, strict=True)), "n": n} for values, n in summed.items()]


def drill_down(
    user: User,
    figure: Figure,
    period: Period,
    *,
    today: dt.date,
    organisation: Organisation | None = None,
    value: str | None = None,
) -> QuerySet[Any]:
    """The records behind one cell (or a row, a column, the whole figure): the same filters as the count."""
    counted, _sealed = exclude_sealed(figure, figure.records(user), sealed_supervisees(user))
    records = in_period(figure, counted, period, today)
    if organisation is not None:
        offices = Organisation.objects.filter(path__startswith=organisation.path).values("pk")
        records = records.filter(**{f"{figure.office}__in": offices})
    if value is not None and figure.breakdown:
        records = records.filter(**{figure.breakdown: value})
    return records.select_related(*figure.select_related)


def monthly_trend(user: User, figure: Figure, months: list[Period], *, today: dt.date) -> list[Number]:
    """The figure's total per month (flows in one query; stocks counted at each month's end)."""
    counted, _sealed = exclude_sealed(figure, figure.records(user), sealed_supervisees(user))
    if figure.kind == STOCK:
        assert figure.on_day is not None
        values: list[Number] = []
        for month in months:
            if figure.total_of:
                values.append(figure.on_day(counted, month.counted_on(today)).aggregate(n=aggregate(figure))["n"] or 0)
            else:
                values.append(figure.on_day(counted, month.counted_on(today)).count())
        return values
    first, last = months[0].start, months[-1].end
    rows = (
        counted.filter(**{f"{figure.date}__gte": first, f"{figure.date}__lte": last})
        .annotate(stat_month=TruncMonth(figure.date))
        .order_by()
        .values("stat_month")
        .annotate(n=aggregate(figure))
    )
    by_month: dict[tuple[int, int], Number] = {}
    for row in rows:
        month_value = row["stat_month"]
        if month_value is not None:
            by_month[(month_value.year, month_value.month)] = row["n"] or 0
    return [by_month.get((m.start.year, m.start.month), 0) for m in months]


__all__ = ["GROUPINGS", "Q", "FigureTable", "figure_table", "drill_down", "monthly_trend"]
