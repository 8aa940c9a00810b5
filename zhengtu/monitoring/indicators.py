"""What electronic monitoring contributes to project KPIs (projects.indicators).

Monitoring is run by the bureau's staff (location data is confidential, law art. 29: the agency's
social workers do not see it), so its records count for a project by area and period: the person
is supervised under the project's buying bureau, the day lies in the period.

- alerts handled: each alert whose handling (notes and actions taken) was recorded in the period;
- location-app installations: each phone app bound to a person in the period (person-times). The
  service ledger lists installations too; the rule `project_indicator_counted_by` says which of
  the two counts (the ledger by default), so an installation never counts twice.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from zhengtu.projects import indicators as kpi
from zhengtu.projects.models import ServiceProject

from .models import Alert, DeviceBinding, DeviceKind

OFFICE_PATH = "supervisee__responsible_office__path"


def _handled(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> QuerySet[Alert]:
    scope = kpi.ProjectScope(project, first_day, last_day)
    return Alert.objects.filter(scope.area(OFFICE_PATH), scope.moments("handled_at"))


def _count_handled(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> int:
    return _handled(project, first_day, last_day).count()


def _handled_evidence(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> list[kpi.Evidence]:
    rows = _handled(project, first_day, last_day).order_by("handled_at", "pk")
    return [
        kpi.Evidence(
            held_on=timezone.localdate(alert.handled_at) if alert.handled_at else first_day,
            title=str(alert.get_kind_display()),
            detail=alert.actions_taken[:100],
            url=reverse("monitoring:alert_detail", args=[alert.pk]),
        )
        for alert in rows
    ]


def _installs(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> QuerySet[DeviceBinding]:
    scope = kpi.ProjectScope(project, first_day, last_day)
    return DeviceBinding.objects.filter(
        scope.area(OFFICE_PATH), scope.moments("starts_at"), device__kind=DeviceKind.PHONE
    )


def _count_installs(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> int:
    return _installs(project, first_day, last_day).count()


def _install_evidence(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> list[kpi.Evidence]:
    rows = _installs(project, first_day, last_day).select_related("device").order_by("starts_at", "pk")
    return [
        kpi.Evidence(
            held_on=timezone.localdate(binding.starts_at),
            title=str(binding.device.get_kind_display()),
            detail=binding.device.identifier,
            url=reverse("monitoring:device_detail", args=[binding.device_id]),
        )
        for binding in rows
    ]


def indicator_sources() -> list[kpi.IndicatorSource]:
    """Declared on MonitoringConfig.indicator_sources."""
    return [
        kpi.IndicatorSource(kpi.ALERTS_HANDLED, _count_handled, _handled_evidence),
        kpi.IndicatorSource(kpi.LOCATION_INSTALLS, _count_installs, _install_evidence),
    ]
