""" "My tasks" entries of the services app: supervisees short of their monthly hours.

During the last days of a month the people still short of this month's hours are listed (due at
month end); during the first days of the next month, those who ended last month short (overdue).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability, can
from zhengtu.workspace.registry import Task

from .hours import CATEGORY_LABELS, MonthlyHours, first_of_month, last_of_month, previous_month, shortfalls_for
from .rules import reminder_days

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def _describe(item: MonthlyHours) -> str:
    parts = [
        _("%(category)s %(actual)s of %(required)s h")
        % {
            "category": CATEGORY_LABELS.get(category, category),
            "actual": item.actual.get(category, 0),
            "required": item.required[category],
        }
        for category in item.shortfalls
    ]
    return "；".join(parts)


def tasks_for(user: User, *, today: dt.date | None = None) -> list[Task]:
    if not can(user, Capability.RECORD_SERVICES):
        return []
    today = today or timezone.localdate()
    window = reminder_days()
    tasks: list[Task] = []
    month_end = last_of_month(today)
    if (month_end - today).days < window:
        for item in shortfalls_for(user, today):
            tasks.append(
                Task(
                    kind="service_hours_short",
                    title=_("Short of hours this month: %(detail)s") % {"detail": _describe(item)},
                    url=reverse("services:person", args=[item.supervisee.pk]) + f"?month={today:%Y-%m}",
                    due=month_end,
                    subject=item.supervisee.name,
                )
            )
    if (today - first_of_month(today)).days < window:
        last_month = previous_month(today)
        for item in shortfalls_for(user, last_month):
            tasks.append(
                Task(
                    kind="service_hours_missed",
                    title=_("Ended %(month)s short of hours: %(detail)s")
                    % {"month": f"{last_month:%Y-%m}", "detail": _describe(item)},
                    url=reverse("services:person", args=[item.supervisee.pk]) + f"?month={last_month:%Y-%m}",
                    due=last_of_month(last_month),
                    overdue=True,
                    subject=item.supervisee.name,
                )
            )
    return tasks
