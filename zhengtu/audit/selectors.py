"""Reads of the audit log, scoped: bureau admins see their subtree and their supervisees' records."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from zhengtu.accounts.roles import Capability, can
from zhengtu.core.lookups import get_or_404
from zhengtu.supervisees.selectors import supervisees_visible_to

from .models import AuditEntry

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

SUPERVISEE_OBJECT_TYPE = "supervisees.supervisee"


def audit_entries_visible_to(user: User) -> QuerySet[AuditEntry]:
    """Entries written by someone in the user's subtree, or about a supervisee in their scope.

    Default deny: nothing without Capability.VIEW_AUDIT or without an organisation.
    """
    if not can(user, Capability.VIEW_AUDIT):
        return AuditEntry.objects.none()
    if user.is_superuser:
        return AuditEntry.objects.all()
    if user.organisation is None:
        return AuditEntry.objects.none()
    supervisee_ids = (
        supervisees_visible_to(user).annotate(id_text=Cast("pk", output_field=CharField())).values("id_text")
    )
    return AuditEntry.objects.filter(
        Q(organisation_path__startswith=user.organisation.path)
        | Q(object_type=SUPERVISEE_OBJECT_TYPE, object_id__in=supervisee_ids)
    )


def get_audit_entry_for_user(user: User, pk: object) -> AuditEntry:
    return get_or_404(audit_entries_visible_to(user), pk)


def filter_audit_entries(
    entries: QuerySet[AuditEntry],
    *,
    username: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    outcome: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """Dates are calendar days in the local time zone (Asia/Shanghai), both ends included."""
    if username:
        entries = entries.filter(username__icontains=username)
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if outcome:
        entries = entries.filter(outcome=outcome)
    if date_from:
        entries = entries.filter(occurred_at__gte=_start_of_day(date_from))
    if date_to:
        entries = entries.filter(occurred_at__lt=_start_of_day(date_to + dt.timedelta(days=1)))
    return entries.order_by("-sequence")


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())
