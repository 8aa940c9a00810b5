"""Figures of electronic monitoring: alerts raised (a flow) and alerts still open (a stock)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.models import User
from zhengtu.monitoring.models import AlertKind, AlertStatus
from zhengtu.monitoring.selectors import alerts_visible_to

from ..figures import STOCK, Figure
from .common import local_zone

SECTION = _("Electronic monitoring")


def _alerts(user: User) -> QuerySet[Any]:
    return alerts_visible_to(user).annotate(stat_day=TruncDate("raised_at", tzinfo=local_zone()))


def _open_on(queryset: QuerySet[Any], day: dt.date) -> QuerySet[Any]:
    # Open at the end of `day`: raised by then and not closed by then.
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=local_zone())
    return queryset.filter(raised_at__lt=end).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))


def _describe(record: Any) -> tuple[str, str]:
    return (
        f"{record.supervisee.name} · {record.get_kind_display()} · {record.get_status_display()}",
        reverse("monitoring:alert_detail", args=[record.pk]),
    )


def sources() -> list[Figure]:
    common: dict[str, Any] = {
        "records": _alerts,
        "section": SECTION,
        "office": "supervisee__responsible_office_id",
        "breakdown": "kind",
        "choices": tuple(AlertKind.choices),
        "describe": _describe,
        "select_related": ("supervisee",),
    }
    return [
        Figure(key="monitoring.alerts", title=_("Alerts raised"), date="stat_day", **common),
        Figure(
            key="monitoring.open_alerts",
            title=_("Alerts open"),
            kind=STOCK,
            on_day=_open_on,
            note=_("Raised and not yet closed at the end of the day."),
            **common,
        ),
    ]


__all__ = ["AlertStatus", "sources"]
