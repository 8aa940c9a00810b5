"""Scoped reads: a bureau sees the commissions it received (its subtree), an office those assigned to it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.core.lookups import get_or_404
from zhengtu.orgs.selectors import organisations_visible_to

from .models import CommissionDocument, Investigation, InvestigationStatus

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


def investigations_visible_to(user: User) -> QuerySet[Investigation]:
    organisations = organisations_visible_to(user).values("pk")
    return Investigation.objects.filter(Q(bureau__in=organisations) | Q(office__in=organisations)).select_related(
        "bureau", "office"
    )


def get_investigation_for_user(user: User, pk: object) -> Investigation:
    return get_or_404(investigations_visible_to(user), pk)


def get_commission_document(investigation: Investigation, pk: object) -> CommissionDocument:
    """One document of an investigation already fetched through get_investigation_for_user (404 otherwise)."""
    return get_or_404(investigation.documents, pk)


def my_tasks(user: User) -> list[Any]:
    """Investigations waiting for this user: to assign or approve (bureau), to investigate (office)."""
    from zhengtu.accounts.roles import Capability, can
    from zhengtu.workspace.registry import Task

    if not user.is_authenticated or user.organisation_id is None:
        return []
    tasks = []
    mine = investigations_visible_to(user)
    if can(user, Capability.APPROVE_BUREAU):
        waiting = mine.filter(
            bureau=user.organisation_id, status__in=(InvestigationStatus.RECEIVED, InvestigationStatus.SUBMITTED)
        )
    else:
        waiting = mine.filter(
            office=user.organisation_id,
            status__in=(InvestigationStatus.INVESTIGATING, InvestigationStatus.RETURNED),
        )
    today = timezone.localdate()
    for investigation in waiting.order_by("due_on")[:50]:
        tasks.append(
            Task(
                kind="investigation",
                title=_("Investigation: %(status)s") % {"status": investigation.get_status_display()},
                url=reverse("investigations:detail", args=[investigation.pk]),
                due=investigation.due_on,
                overdue=investigation.due_on < today,
                subject=investigation.person_name,
            )
        )
    return tasks
