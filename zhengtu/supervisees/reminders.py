"""What the registry puts on a user's "my tasks" page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.workspace.registry import Task

from .rules import term_ending_reminder_days
from .selectors import supervisees_with_term_ending

MAX_TASKS = 100


def tasks_for(user: User) -> list[Task]:
    """Terms ending soon for the people a user is responsible for or assigned to."""
    today = timezone.localdate()
    tasks = []
    for supervisee in supervisees_with_term_ending(user, within_days=term_ending_reminder_days())[:MAX_TASKS]:
        days = (supervisee.term_end - today).days
        tasks.append(
            Task(
                kind="term_ending",
                title=_("Term ends in %(days)d days: prepare the release") % {"days": days},
                url=reverse("supervisees:detail", args=[supervisee.pk]),
                due=supervisee.term_end,
                overdue=False,
                subject=supervisee.name,
            )
        )
    return tasks
