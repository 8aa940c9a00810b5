""" "My tasks" of the reintegration app: open needs with no referral after the set number of working days.

Shown to the person's responsible officer and to staff assigned to the person (social workers).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability, can
from zhengtu.workdays.calendar import WorkingDayCalendar
from zhengtu.workspace.registry import Task

from .rules import referral_days, referral_due, referral_overdue_found_by
from .selectors import needs_visible_to, unreferred

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def tasks_for(user: User, *, today: dt.date | None = None) -> list[Task]:
    if not can(user, Capability.RECORD_REINTEGRATION):
        return []
    today = today or timezone.localdate()
    days = referral_days()
    calendar = WorkingDayCalendar.load()
    mine = Q(supervisee__responsible_officer=user) | Q(
        supervisee__assignments__user=user, supervisee__assignments__ended_at__isnull=True
    )
    needs = (
        unreferred(needs_visible_to(user).filter(mine), found_by=referral_overdue_found_by(today, calendar))
        .select_related("supervisee")
        .distinct()
        .order_by("found_on", "pk")[:50]
    )
    return [
        Task(
            kind="reintegration_unreferred",
            title=_("Need not referred after %(days)s working days: %(kind)s")
            % {"days": days, "kind": need.get_kind_display()},
            url=reverse("reintegration:need", args=[need.pk]),
            due=referral_due(need.found_on, calendar),
            overdue=True,
            subject=need.supervisee.name,
        )
        for need in needs
    ]
