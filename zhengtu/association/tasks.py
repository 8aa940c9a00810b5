"""What the association app puts on a user's "my tasks" page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from zhengtu.workspace.registry import Task

from .models import FilingStatus, MembershipStatus, SupervisorFiling
from .selectors import FilingState, filings_managed_by, memberships_managed_by, supervisor_filing_status

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def tasks_for(user: User) -> list[Task]:
    tasks: list[Task] = []
    for membership in memberships_managed_by(user).filter(status=MembershipStatus.APPLIED).order_by("applied_at")[:50]:
        tasks.append(
            Task(
                kind="membership_application",
                title=pgettext("association", "Decide the membership application"),
                url=reverse("association:member-detail", args=[membership.pk]),
                subject=membership.name,
            )
        )
    for filing in filings_managed_by(user).filter(status=FilingStatus.SUBMITTED).order_by("submitted_at")[:50]:
        tasks.append(
            Task(
                kind="supervisor_filing_review",
                title=pgettext("association", "Review the supervisor credential filing"),
                url=reverse("association:filing-detail", args=[filing.pk]),
                subject=filing.supervisor.display_name,
            )
        )
    if user.is_authenticated and SupervisorFiling.objects.filter(supervisor=user).exists():
        status = supervisor_filing_status(user, timezone.localdate())
        if status.state in (FilingState.EXPIRING, FilingState.LAPSED) and status.filing is not None:
            tasks.append(
                Task(
                    kind="supervisor_filing_renewal",
                    title=pgettext("association", "Renew your supervisor credential filing"),
                    url=reverse("association:filing-detail", args=[status.filing.pk]),
                    due=status.valid_until,
                    overdue=status.state == FilingState.LAPSED,
                    subject=user.display_name,
                )
            )
    return tasks
