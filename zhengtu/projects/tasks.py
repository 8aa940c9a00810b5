""" "My tasks" entries of the projects app: adjustments to decide, indicators behind schedule."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability, can
from zhengtu.workspace.registry import Task

from .formatting import count, yuan
from .models import ProjectStatus
from .progress import Pace, current_progress, pending_adjustments
from .selectors import projects_visible_to

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def tasks_for(user: User, *, today: dt.date | None = None) -> list[Task]:
    if not can(user, Capability.MANAGE_PROJECTS):
        return []
    today = today or timezone.localdate()
    projects = projects_visible_to(user)
    tasks: list[Task] = []
    for adjustment in pending_adjustments(projects).exclude(requested_by=user):
        tasks.append(
            Task(
                kind="budget_adjustment",
                title=_("Decide on a budget adjustment: %(line)s +%(amount)s yuan")
                % {"line": adjustment.budget_line.name, "amount": yuan(adjustment.amount)},
                url=reverse("projects:detail", args=[adjustment.project_id]) + "#adjustments",
                subject=adjustment.project.name,
            )
        )
    for project in projects.filter(status=ProjectStatus.ACTIVE):
        for item in current_progress(project, as_of=today):
            if item.pace == Pace.BEHIND:
                tasks.append(
                    Task(
                        kind="kpi_behind",
                        title=_("%(indicator)s behind schedule: %(actual)s done, %(expected)s expected by now")
                        % {
                            "indicator": item.indicator.label,
                            "actual": item.actual,
                            "expected": count(item.expected),
                        },
                        url=reverse("projects:target_records", args=[project.pk, item.target.pk]),
                        due=item.target.period_end,
                        subject=project.name,
                    )
                )
    return tasks
