""" "My tasks" entries of juvenile work: referrals waiting to be accepted, investigations to write or approve,
periodic reports due in a conditional non-prosecution test period, sealed-record reads to decide.

Built from cases_visible_to, so a sealed case shows only to the people on it, and tasks name the case number,
never the child.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability, can
from zhengtu.workspace.registry import Task

from .models import InvestigationStatus, NonProsecutionStatus, SealedReadStatus, Stage
from .selectors import cases_visible_to, investigations_of, read_requests_to_decide, reports_due
from .services.cases import may_handle

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def tasks_for(user: User, *, today: dt.date | None = None) -> list[Task]:
    if not can(user, Capability.VIEW_JUVENILE_CASES):
        return []
    today = today or timezone.localdate()
    tasks: list[Task] = []
    if can(user, Capability.HANDLE_JUVENILE_CASES):
        cases = cases_visible_to(user).select_related("agency")
        for case in cases.filter(stage=Stage.REFERRED)[:50]:
            if may_handle(user, case):
                tasks.append(
                    Task(
                        kind="juvenile_referral",
                        title=_("Accept the referred case %(number)s") % {"number": case.number},
                        url=reverse("juvenile:case", args=[case.pk]),
                        subject=case.number,
                    )
                )
        for investigation in investigations_of(user).filter(
            status__in=[InvestigationStatus.REQUESTED, InvestigationStatus.DRAFT]
        )[:50]:
            if may_handle(user, investigation.case):
                tasks.append(
                    Task(
                        kind="juvenile_investigation",
                        title=_("Social investigation for case %(number)s") % {"number": investigation.case.number},
                        url=reverse("juvenile:investigation", args=[investigation.pk]),
                        due=investigation.due_on,
                        overdue=investigation.due_on is not None and investigation.due_on < today,
                        subject=investigation.case.number,
                    )
                )
        testing = cases.filter(non_prosecution__status=NonProsecutionStatus.TESTING).select_related("non_prosecution")
        for case in testing[:50]:
            if may_handle(user, case) and reports_due(case, today):
                tasks.append(
                    Task(
                        kind="juvenile_periodic_report",
                        title=_("Periodic report due for case %(number)s") % {"number": case.number},
                        url=reverse("juvenile:periodic_report_new", args=[case.pk]),
                        subject=case.number,
                    )
                )
    if can(user, Capability.APPROVE_JUVENILE):
        for investigation in investigations_of(user).filter(status=InvestigationStatus.AWAITING_APPROVAL)[:50]:
            tasks.append(
                Task(
                    kind="juvenile_report_approval",
                    title=_("Approve the social investigation report of case %(number)s")
                    % {"number": investigation.case.number},
                    url=reverse("juvenile:investigation", args=[investigation.pk]),
                    subject=investigation.case.number,
                )
            )
        pending = read_requests_to_decide(user).filter(status=SealedReadStatus.PENDING).count()
        if pending:
            tasks.append(
                Task(
                    kind="juvenile_sealed_read",
                    title=_("%(count)s request(s) to read a sealed case") % {"count": pending},
                    url=reverse("juvenile:sealed"),
                )
            )
    return tasks
