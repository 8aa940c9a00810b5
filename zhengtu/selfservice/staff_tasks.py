""" "My tasks" entries of the app: flagged check-ins to verify and spot checks missed in the last week."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability, can
from zhengtu.workspace.registry import Task

from .selectors import flagged_check_ins_for, missed_spot_checks_for, submitted_requests_for

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def tasks_for(user: User) -> list[Task]:
    if not can(user, Capability.SUPERVISE):
        return []
    tasks = [
        Task(
            kind="app_checkin_flagged",
            title=_("Verify the app check-in: %(flags)s") % {"flags": "；".join(item.flag_labels)},
            url=reverse("appstaff:check_in", args=[item.pk]),
            due=timezone.localdate(item.received_at),
            overdue=True,
            subject=item.supervisee.name,
        )
        for item in flagged_check_ins_for(user)[:100]
    ]
    since = timezone.now() - dt.timedelta(days=7)
    tasks.extend(
        Task(
            kind="app_spot_check_missed",
            title=_("Missed spot check (asked %(time)s)")
            % {"time": timezone.localtime(item.requested_at).strftime("%m-%d %H:%M")},
            url=reverse("supervision:file", args=[item.supervisee_id]),
            due=timezone.localdate(item.due_at),
            overdue=True,
            subject=item.supervisee.name,
        )
        for item in missed_spot_checks_for(user, since=since)[:100]
    )
    tasks.extend(
        Task(
            kind="app_request_submitted",
            title=_("Request from the app to enter into approval: %(summary)s") % {"summary": item.summary[:80]},
            url=reverse("appstaff:request", args=[item.pk]),
            due=timezone.localdate(item.created_at),
            subject=item.supervisee.name,
        )
        for item in submitted_requests_for(user)[:100]
    )
    return tasks
