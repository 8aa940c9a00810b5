"""The statistics page's content: every registered figure's table for one period, grouped by section."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User

from .figures import Figure, MissingFigure, registry, sealed_supervisees
from .periods import Period
from .tables import CITY, COUNTY, OFFICE, PROVINCE, FigureTable, figure_table


def grouping_label(grouping: str) -> str:
    return {OFFICE: _("by justice office"), COUNTY: _("by county"), CITY: _("by city"), PROVINCE: _("by province")}.get(
        grouping, grouping
    )


@dataclass
class Section:
    title: str
    tables: list[FigureTable]
    missing: list[MissingFigure]


def drill_url(figure: Figure, period: Period, *, organisation_id: int | None = None, value: str | None = None) -> str:
    params: dict[str, Any] = {"figure": figure.key, "period": period.code}
    if organisation_id is not None:
        params["organisation"] = organisation_id
    if value is not None:
        params["value"] = value
    return reverse("command:records") + "?" + urlencode(params)


def all_tables(
    user: User, period: Period, *, grouping: str, today: dt.date, keys: list[str] | None = None
) -> list[Section]:
    found = registry()
    sealed = sealed_supervisees(user)
    sections: dict[str, Section] = {}
    for figure in found.figures.values():
        if (keys and figure.key not in keys) or (not keys and not figure.in_tables):
            continue
        table = figure_table(user, figure, period, grouping=grouping, today=today, sealed=sealed)
        sections.setdefault(str(figure.section), Section(str(figure.section), [], [])).tables.append(table)
    if not keys:
        for missing in found.missing.values():
            sections.setdefault(str(missing.section), Section(str(missing.section), [], [])).missing.append(missing)
    return list(sections.values())


def chart_of(table: FigureTable) -> dict[str, Any]:
    """ECharts data for an office comparison: one stacked bar per row, each bar links to its records."""
    return {
        "categories": [row.organisation.name for row in table.rows],
        "series": [
            {
                "name": label,
                "data": [
                    {
                        "value": float(row.cells.get(key, 0)),
                        "url": drill_url(
                            table.figure,
                            table.period,
                            organisation_id=row.organisation.pk,
                            value=key if table.figure.breakdown else None,
                        ),
                    }
                    for row in table.rows
                ],
            }
            for key, label in table.columns
        ],
    }


def table_data(table: FigureTable) -> dict[str, Any]:
    """A table as plain data (the API and the wall)."""
    return {
        "key": table.figure.key,
        "title": str(table.figure.title),
        "kind": table.figure.kind,
        "unit": str(table.figure.unit),
        "period": table.period.code,
        "counted_on": table.counted_on.isoformat() if table.counted_on else None,
        "grouping": table.grouping,
        "columns": [{"key": key, "label": label} for key, label in table.columns],
        "rows": [
            {
                "organisation": {"id": row.organisation.pk, "name": row.organisation.name},
                "cells": {key: _number(row.cells.get(key, 0)) for key, _label in table.columns},
                "total": _number(row.total),
            }
            for row in table.rows
        ],
        "totals": {key: _number(value) for key, value in table.totals.items()},
        "total": _number(table.grand_total),
        "left_out": [{"count": left.count, "reason": left.reason} for left in table.left_out],
        "records_url": drill_url(table.figure, table.period),
    }


def _number(value: Any) -> int | float:
    return value if isinstance(value, int) else float(value)
