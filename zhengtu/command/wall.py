"""The command-centre wall's figures: counts by status, level and sentence type, today's check-ins,
the alert lifecycle and fourteen-day sparklines, each with the link to its records."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.monitoring.models import AlertStatus
from zhengtu.monitoring.selectors import alerts_visible_to
from zhengtu.orgs.models import Division, Organisation, OrganisationKind
from zhengtu.supervisees.models import SentenceType, Status, SupervisionLevel
from zhengtu.supervisees.selectors import supervisees_visible_to
from zhengtu.supervision.models import CheckIn

from .figures import get_figure, registry, sealed_supervisees
from .periods import MONTH, period_containing
from .rules import rule
from .selectors import statistics_root
from .sources.common import local_zone
from .statistics import drill_url
from .tables import people_counts


def _registry(**params: str) -> str:
    return reverse("supervisees:list") + "?" + urlencode(params)


def _days(today: dt.date, count: int) -> list[dt.date]:
    return [today - dt.timedelta(days=count - 1 - i) for i in range(count)]


def wall_figures(user: User, *, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    people = supervisees_visible_to(user)
    sealed = sealed_supervisees(user)
    if sealed:
        people = people.exclude(pk__in=sealed)
    rows = people_counts(user, ("status", "supervision_level", "sentence_type"))
    active = [r for r in rows if r["status"] == Status.UNDER_SUPERVISION]
    by_status = [
        {
            "key": value,
            "label": str(label),
            "value": sum(r["n"] for r in rows if r["status"] == value),
            "url": _registry(status=value),
        }
        for value, label in Status.choices
    ]
    by_level = [
        {
            "key": value,
            "label": str(label),
            "value": sum(r["n"] for r in active if r["supervision_level"] == value),
            "url": _registry(status=Status.UNDER_SUPERVISION, supervision_level=value),
        }
        for value, label in SupervisionLevel.choices
    ]
    by_type = [
        {
            "key": value,
            "label": str(label),
            "value": sum(r["n"] for r in active if r["sentence_type"] == value),
            "url": _registry(status=Status.UNDER_SUPERVISION, sentence_type=value),
        }
        for value, label in SentenceType.choices
    ]
    days = _days(today, int(rule("SPARKLINE_DAYS")))
    check_ins = CheckIn.objects.filter(supervisee__in=people.values("pk"), occurred_on__gte=days[0])
    per_day = dict(check_ins.order_by().values_list("occurred_on").annotate(n=Count("pk")))
    alerts = alerts_visible_to(user)
    if sealed:
        alerts = alerts.exclude(supervisee_id__in=sealed)
    start = dt.datetime.combine(days[0], dt.time(), tzinfo=local_zone())
    alert_days = dict(
        alerts.filter(raised_at__gte=start)
        .annotate(day=TruncDate("raised_at", tzinfo=local_zone()))
        .order_by()
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    lifecycle = dict(alerts.exclude(status=AlertStatus.CLOSED).order_by().values_list("status").annotate(n=Count("pk")))
    month = period_containing(MONTH, today)
    check_in_figure = get_figure("supervision.check_ins")
    alerts_figure = get_figure("monitoring.alerts")
    spot_missing = registry().missing.get("supervision.missed_spot_checks")
    spot_figure = get_figure("supervision.missed_spot_checks")
    return {
        "computed_at": now.isoformat(),
        "status": by_status,
        "level": by_level,
        "sentence_type": by_type,
        "alerts_open": [
            {
                "key": value,
                "label": str(label),
                "value": lifecycle.get(value, 0),
                "url": reverse("monitoring:alerts") + f"?status={value}",
            }
            for value, label in AlertStatus.choices
            if value != AlertStatus.CLOSED
        ],
        "check_ins_today": {
            "value": per_day.get(today, 0),
            "url": drill_url(check_in_figure, month) if check_in_figure else "",
        },
        "missed_spot_checks": (
            {
                "value": spot_figure.records(user).filter(stat_day=today).count(),
                "url": drill_url(spot_figure, month),
                "note": "",
            }
            if spot_figure is not None
            else {"value": None, "note": str(spot_missing.reason) if spot_missing else ""}
        ),
        "sparklines": {
            "days": [d.isoformat() for d in days],
            "check_ins": [per_day.get(d, 0) for d in days],
            "alerts": [alert_days.get(d, 0) for d in days],
            "alerts_url": drill_url(alerts_figure, month) if alerts_figure else "",
        },
    }


def base_map_area(user: User) -> dict[str, Any]:
    """Which boundaries the offline base map draws for the user: the province file of their area and the
    county codes of their subtree (highlighted)."""
    root = statistics_root(user)
    codes: set[str] = set()
    if user.is_superuser:
        organisations = Organisation.objects.filter(division__isnull=False)
    elif root is not None:
        organisations = Organisation.objects.filter(path__startswith=root.path, division__isnull=False)
        # The root itself, or its nearest ancestor with a division, names the province.
        ancestors = [int(p) for p in root.path.strip("/").split("/") if p]
        codes.update(
            Organisation.objects.filter(pk__in=ancestors, division__isnull=False).values_list("division_id", flat=True)
        )
    else:
        organisations = Organisation.objects.none()
    counties = set(organisations.filter(kind=OrganisationKind.COUNTY_BUREAU).values_list("division_id", flat=True))
    codes.update(organisations.values_list("division_id", flat=True))
    provinces = sorted({code[:2] for code in codes if code})
    focus = sorted(counties) or sorted(code for code in codes if code and Division.objects.filter(code=code).exists())
    return {"provinces": provinces, "focus": focus}
