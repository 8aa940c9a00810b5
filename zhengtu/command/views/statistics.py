"""Statistics pages: the periodic tables with charts, one figure's trend, the records behind a figure, Excel."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.audit.services import record_event
from zhengtu.core.downloads import XLSX, download_response

from ..export import workbook
from ..periods import Period, months_back, parse_period
from ..selectors import get_figure_or_404, get_organisation_for_user, statistics_root
from ..statistics import all_tables, chart_of, drill_url, grouping_label
from ..tables import GROUPINGS, OFFICE, default_grouping, drill_down, figure_table, monthly_trend
from .access import statistics_view

TREND_MONTHS = 12
RECORDS_PAGE = 50


def _choices(request: AuthenticatedRequest) -> tuple[Period | None, str, str]:
    today = timezone.localdate()
    period = parse_period(request.GET.get("period", ""), today=today)
    grouping = request.GET.get("grouping") or default_grouping(statistics_root(request.user))
    error = ""
    if period is None:
        error = _("Period not understood: write a month as 2026-12, a quarter as 2026-Q4 or a year as 2026.")
    if grouping not in GROUPINGS:
        grouping = OFFICE
    return period, grouping, error


@require_GET
@statistics_view
def statistics_page(request: AuthenticatedRequest) -> HttpResponse:
    period, grouping, error = _choices(request)
    today = timezone.localdate()
    sections = []
    charts: dict[str, Any] = {}
    if period is not None:
        sections = all_tables(request.user, period, grouping=grouping, today=today)
        for section in sections:
            for table in section.tables:
                charts[table.figure.key] = chart_of(table)
    record_event(
        request, action="statistics.view", detail={"period": period.code if period else "", "grouping": grouping}
    )
    context = {
        "period": period,
        "period_text": request.GET.get("period", period.code if period else ""),
        "grouping": grouping,
        "groupings": [(g, grouping_label(g)) for g in GROUPINGS],
        "sections": sections,
        "charts_json": charts,
        "error": error,
        "root": statistics_root(request.user),
    }
    return render(request, "command/statistics.html", context, status=400 if error else 200)


@require_GET
@statistics_view
def figure_page(request: AuthenticatedRequest, key: str) -> HttpResponse:
    figure = get_figure_or_404(key)
    period, grouping, error = _choices(request)
    today = timezone.localdate()
    table = None
    trend: list[dict[str, Any]] = []
    if period is not None:
        table = figure_table(request.user, figure, period, grouping=grouping, today=today)
        months = months_back(period.end if period.end < today else today, TREND_MONTHS)
        values = monthly_trend(request.user, figure, months, today=today)
        trend = [
            {"label": m.code, "value": float(v), "url": drill_url(figure, m)}
            for m, v in zip(months, values, strict=True)
        ]
    record_event(request, action="statistics.view", detail={"figure": key, "period": period.code if period else ""})
    context = {
        "figure": figure,
        "table": table,
        "period": period,
        "period_text": request.GET.get("period", period.code if period else ""),
        "grouping": grouping,
        "groupings": [(g, grouping_label(g)) for g in GROUPINGS],
        "trend": trend,
        "chart_json": chart_of(table) if table else {},
        "trend_json": trend,
        "error": error,
    }
    return render(request, "command/figure.html", context, status=400 if error else 200)


@require_GET
@statistics_view
def records_page(request: AuthenticatedRequest) -> HttpResponse:
    """The records behind a figure, a row, a column or a cell: the same selection the count made."""
    figure = get_figure_or_404(request.GET.get("figure", ""))
    period, _grouping, error = _choices(request)
    if period is None:
        return render(request, "command/records.html", {"figure": figure, "error": error}, status=400)
    organisation = None
    if request.GET.get("organisation"):
        organisation = get_organisation_for_user(request.user, request.GET["organisation"])
    value = request.GET.get("value")
    today = timezone.localdate()
    records = drill_down(request.user, figure, period, today=today, organisation=organisation, value=value)
    page = Paginator(records.order_by("-pk"), RECORDS_PAGE).get_page(request.GET.get("page"))
    rows = [figure.describe(record) if figure.describe else (str(record), "") for record in page.object_list]
    value_label = {str(k): str(v) for k, v in figure.choices}.get(value or "", value or "")
    record_event(
        request,
        action="statistics.records",
        detail={
            "figure": figure.key,
            "period": period.code,
            "organisation": organisation.pk if organisation else None,
            "value": value,
            "count": page.paginator.count,
        },
    )
    context = {
        "figure": figure,
        "period": period,
        "organisation": organisation,
        "value_label": value_label,
        "page": page,
        "rows": rows,
        "counted_on": period.counted_on(today) if figure.kind == "stock" else None,
    }
    return render(request, "command/records.html", context)


@require_GET
@statistics_view
def export_page(request: AuthenticatedRequest) -> HttpResponse:
    period, grouping, error = _choices(request)
    if period is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    today = timezone.localdate()
    sections = all_tables(request.user, period, grouping=grouping, today=today)
    root = statistics_root(request.user)
    content = workbook(
        unit=root.name if root else "",
        period_label=period.label,
        grouping_label=grouping_label(grouping),
        tables=[table for section in sections for table in section.tables],
        made_on=today,
    )
    record_event(request, action="statistics.export", detail={"period": period.code, "grouping": grouping})
    return download_response(content, f"statistics-{period.code}.xlsx", XLSX)
