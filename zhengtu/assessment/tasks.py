"""What the assessment app puts on a user's "my tasks" page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.workspace.registry import Task

from .permissions import can_assess, can_view_results
from .selectors import open_alerts_for, overrides_awaiting, reassessments_due_for, reports_due

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

MAX_TASKS = 50


def tasks_for(user: User) -> list[Task]:
    if not can_view_results(user):
        return []
    today = timezone.localdate()
    tasks = [
        Task(
            kind="assessment_critical",
            title=_("Critical answer to act on: %(item)s") % {"item": alert.item_label},
            url=reverse("assessment:detail", args=[alert.assessment_id]),
            due=timezone.localdate(alert.created_at),
            overdue=True,
            subject=alert.assessment.supervisee.name,
        )
        for alert in open_alerts_for(user)[:MAX_TASKS]
    ]
    tasks += [
        Task(
            kind="assessment_override",
            title=_("Approve a change of level: %(from)s → %(to)s") % {"from": o.from_label, "to": o.to_label},
            url=reverse("assessment:detail", args=[o.assessment_id]),
            due=timezone.localdate(o.requested_at),
            subject=o.assessment.supervisee.name,
        )
        for o in overrides_awaiting(user)[:MAX_TASKS]
    ]
    tasks += [
        Task(
            kind="assessment_reassessment_due",
            title=_("Reassess risk and needs (every %(months)d months at this level)") % {"months": plan.months},
            url=reverse("assessment:person", args=[person.pk]),
            due=plan.due_on,
            overdue=plan.overdue,
            subject=person.name,
        )
        for person, plan in reassessments_due_for(user)[:MAX_TASKS]
    ]
    if can_assess(user):
        tasks += [
            Task(
                kind="assessment_report_due",
                title=_("Issue the assessment report: %(instrument)s") % {"instrument": a.instrument_version.title},
                url=reverse("assessment:detail", args=[a.pk]),
                due=a.due_on,
                overdue=a.due_on is not None and a.due_on < today,
                subject=a.supervisee.name,
            )
            for a in reports_due(user).filter(assessor=user)[:MAX_TASKS]
        ]
    return tasks
