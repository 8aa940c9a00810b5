"""What the inspections app puts on a user's "my tasks" page.

- Agency managers: their agency's open rectification items that are overdue or due within the reminder
  window (rules.py: rectification_reminder_days).
- Inspectors: projects on their panels still waiting for their scoresheet.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from zhengtu.workspace.registry import Task

from .rules import rule
from .selectors import rectifications_for_agency, scoresheets_to_fill

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def tasks_for(user: User) -> list[Task]:
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=int(rule("rectification_reminder_days")))
    tasks = [
        Task(
            kind="rectification_due",
            title=pgettext("inspections", "Rectification: %(description)s") % {"description": item.description[:60]},
            url=reverse("inspections:rectification-close", args=[item.pk]),
            due=item.due_on,
            overdue=item.due_on < today,
            subject=item.inspection.project.name,
        )
        for item in rectifications_for_agency(user).filter(due_on__lte=horizon).order_by("due_on")[:100]
    ]
    tasks.extend(
        Task(
            kind="inspection_scoring",
            title=pgettext("inspections", "Score the project in “%(round)s”") % {"round": inspection.round.title},
            url=reverse("inspections:inspection-score", args=[inspection.pk]),
            due=inspection.round.ends_on,
            overdue=inspection.round.ends_on < today,
            subject=inspection.project.name,
        )
        for inspection in scoresheets_to_fill(user)[:100]
    )
    return tasks
