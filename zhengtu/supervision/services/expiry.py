"""Time-limited permits and leave about to expire: a task in "my tasks" and one notification, sent once.

A 经常性跨市县活动 approval lasts a period (at most six months), leave a few days; the officer is told
``expiry_reminder_days(kind)`` days before the last day, so the person can ask for a new approval in time or is
expected back. ``expiry_reminded_at`` on the permit or leave makes the notification go out once, whatever how
often the daily job runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.workspace.services import notify

from ..models import ApprovalStatus, LeaveRequest, Permit, PermitKind
from ..rules import expiry_reminder_days, permit_rules


@dataclass(frozen=True)
class Expiring:
    subject: LeaveRequest | Permit
    label: str
    end_date: dt.date

    @property
    def supervisee(self) -> Supervisee:
        return self.subject.supervisee

    @property
    def url(self) -> str:
        return reverse("supervision:approval", args=[self.subject.approval_id])


def time_limited_kinds() -> list[str]:
    """Permit kinds approved for a period (a change of residence, for one, does not expire)."""
    return [kind for kind in PermitKind.values if permit_rules(kind).max_days or permit_rules(kind).max_months]


def expiring_permits(today: dt.date, queryset: QuerySet[Permit] | None = None) -> QuerySet[Permit]:
    queryset = Permit.objects.all() if queryset is None else queryset
    queryset = queryset.filter(
        approval__status=ApprovalStatus.APPROVED,
        supervisee__status=Status.UNDER_SUPERVISION,
        end_date__gte=today,
        kind__in=time_limited_kinds(),
    )
    result = queryset.none()
    for kind in time_limited_kinds():
        horizon = today + dt.timedelta(days=expiry_reminder_days(kind))
        result |= queryset.filter(kind=kind, end_date__lte=horizon)
    return result.select_related("supervisee")


def expiring_leave(today: dt.date, queryset: QuerySet[LeaveRequest] | None = None) -> QuerySet[LeaveRequest]:
    queryset = LeaveRequest.objects.all() if queryset is None else queryset
    return queryset.filter(
        approval__status=ApprovalStatus.APPROVED,
        supervisee__status=Status.UNDER_SUPERVISION,
        returned_on__isnull=True,
        start_date__lte=today,
        end_date__gte=today,
        end_date__lte=today + dt.timedelta(days=expiry_reminder_days("leave")),
    ).select_related("supervisee")


def expiring(
    today: dt.date,
    *,
    permits: QuerySet[Permit] | None = None,
    leave: QuerySet[LeaveRequest] | None = None,
) -> Iterator[Expiring]:
    for permit in expiring_permits(today, permits).order_by("end_date", "pk"):
        yield Expiring(permit, str(permit.get_kind_display()), permit.end_date)
    for item in expiring_leave(today, leave).order_by("end_date", "pk"):
        yield Expiring(item, _("Leave to %(destination)s") % {"destination": item.destination}, item.end_date)


def _recipients(supervisee: Supervisee, filer: User | None) -> list[User]:
    team = User.objects.filter(
        pk__in=supervisee.team_members.filter(left_on__isnull=True, user__isnull=False).values("user_id")
    )
    return [user for user in (supervisee.responsible_officer, filer, *team) if user is not None]


def send_expiry_reminders(*, today: dt.date | None = None) -> int:
    """Notify the officers of every permit or leave entering its reminder window; each one once. Returns how many."""
    today = today or timezone.localdate()
    sent = 0
    for item in expiring(today):
        subject: Model = item.subject
        with transaction.atomic():
            claimed = (
                type(subject)
                ._default_manager.filter(pk=subject.pk, expiry_reminded_at__isnull=True)
                .update(expiry_reminded_at=timezone.now())
            )
            if not claimed:
                continue
            supervisee = item.supervisee
            notify(
                _recipients(supervisee, item.subject.approval.requested_by),
                title=_("%(kind)s of %(name)s ends on %(date)s")
                % {"kind": item.label, "name": supervisee.name, "date": item.end_date.isoformat()},
                url=item.url,
                kind="permit_expiring",
            )
            sent += 1
    return sent
