"""Monitoring alerts waiting for the user, for the "my tasks" page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.workspace.registry import Task

from .models import AlertStatus
from .selectors import alerts_visible_to


def tasks_for(user: User) -> list[Task]:
    alerts = (
        alerts_visible_to(user)
        .filter(status__in=[AlertStatus.NEW, AlertStatus.ACKNOWLEDGED])
        .select_related("supervisee")
        .order_by("raised_at")[:50]
    )
    tasks = []
    for alert in alerts:
        verb = _("Acknowledge") if alert.status == AlertStatus.NEW else _("Handle")
        tasks.append(
            Task(
                kind="monitoring_alert",
                title=f"{verb}: {alert.get_kind_display()}",
                url=reverse("monitoring:alert_detail", args=[alert.pk]),
                due=timezone.localtime(alert.raised_at).date(),
                overdue=alert.escalated_at is not None,
                subject=alert.supervisee.name,
            )
        )
    return tasks
