"""/api/v1/statistics/ and /api/v1/dashboard/: the same figures as the pages, in the same scope,
so a province can pull them into its own platform."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from zhengtu.audit.services import record_event
from zhengtu.core.access import require_rule

from .dashboards import dashboard_for
from .figures import registry
from .periods import Period, parse_period
from .selectors import can_view_statistics, get_figure_or_404, get_organisation_for_user, statistics_root
from .statistics import all_tables, table_data
from .tables import GROUPINGS, default_grouping, drill_down

PERIOD = OpenApiParameter("period", OpenApiTypes.STR, description="2026-12, 2026-Q4 or 2026 (default: this month)")
GROUPING = OpenApiParameter("grouping", OpenApiTypes.STR, description="office, county or city")
RECORDS_PAGE = 100


def _period(request: Request) -> Period:
    period = parse_period(request.query_params.get("period", ""), today=timezone.localdate())
    if period is None:
        raise ApiValidationError({"period": ["写法：月 2026-12，季度 2026-Q4，年 2026。"]})
    return period


@extend_schema(responses=OpenApiTypes.OBJECT, summary="The figures this installation computes")
@api_view(["GET"])
def figure_list(request: Request) -> Response:
    require_rule(request.user, can_view_statistics)
    found = registry()
    return Response(
        {
            "figures": [
                {
                    "key": f.key,
                    "title": str(f.title),
                    "section": str(f.section),
                    "kind": f.kind,
                    "columns": [{"key": str(v), "label": str(label)} for v, label in f.choices],
                    "unit": str(f.unit),
                    "in_tables": f.in_tables,
                }
                for f in found.figures.values()
            ],
            "not_computed": [
                {"key": m.key, "title": str(m.title), "section": str(m.section), "reason": str(m.reason)}
                for m in found.missing.values()
            ],
        }
    )


@extend_schema(
    parameters=[PERIOD, GROUPING, OpenApiParameter("figure", OpenApiTypes.STR, many=True)],
    responses=OpenApiTypes.OBJECT,
    summary="The periodic tables for one period",
)
@api_view(["GET"])
def tables(request: Request) -> Response:
    require_rule(request.user, can_view_statistics)
    period = _period(request)
    grouping = request.query_params.get("grouping") or default_grouping(statistics_root(request.user))  # type: ignore[arg-type]
    if grouping not in GROUPINGS:
        raise ApiValidationError({"grouping": ["可选 office、county、city。"]})
    keys = request.query_params.getlist("figure") or None
    if keys:
        for key in keys:
            get_figure_or_404(key)
    sections = all_tables(request.user, period, grouping=grouping, today=timezone.localdate(), keys=keys)  # type: ignore[arg-type]
    record_event(request, action="statistics.api", detail={"period": period.code, "grouping": grouping})
    return Response(
        {
            "period": {"code": period.code, "start": period.start, "end": period.end},
            "grouping": grouping,
            "sections": [
                {
                    "title": s.title,
                    "tables": [table_data(t) for t in s.tables],
                    "not_computed": [{"key": m.key, "title": str(m.title), "reason": str(m.reason)} for m in s.missing],
                }
                for s in sections
            ],
        }
    )


@extend_schema(
    parameters=[
        PERIOD,
        OpenApiParameter("organisation", OpenApiTypes.INT),
        OpenApiParameter("value", OpenApiTypes.STR),
    ],
    responses=OpenApiTypes.OBJECT,
    summary="The records behind a figure, a row, a column or a cell",
)
@api_view(["GET"])
def figure_records(request: Request, key: str) -> Response:
    require_rule(request.user, can_view_statistics)
    figure = get_figure_or_404(key)
    period = _period(request)
    organisation = None
    if request.query_params.get("organisation"):
        organisation = get_organisation_for_user(request.user, request.query_params["organisation"])  # type: ignore[arg-type]
    value = request.query_params.get("value")
    user: Any = request.user
    records = drill_down(user, figure, period, today=timezone.localdate(), organisation=organisation, value=value)
    page = Paginator(records.order_by("-pk"), RECORDS_PAGE).get_page(request.query_params.get("page"))
    record_event(request, action="statistics.records", detail={"figure": key, "period": period.code, "api": True})
    results = []
    for record in page.object_list:
        label, url = figure.describe(record) if figure.describe else (str(record), "")
        results.append({"id": record.pk, "label": label, "url": url})
    if not page.object_list and page.number > 1:
        raise NotFound
    return Response(
        {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages, "results": results}
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@extend_schema(responses=OpenApiTypes.OBJECT, summary="The user's home dashboard figures")
@api_view(["GET"])
def dashboard(request: Request) -> Response:
    found = dashboard_for(request.user)  # type: ignore[arg-type]
    if found is None:
        raise NotFound
    return Response(_plain(asdict(found)))
