"""Reads of the app's records. The person's own reads take the supervisee (from their account, never from a URL);
staff reads take the acting user and go through the registry's scope (default deny)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can
from zhengtu.core.lookups import get_or_404
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.supervisees.selectors import supervisees_visible_to

from . import rules
from .models import (
    AppCheckIn,
    AppDevice,
    AppRequest,
    AppRequestStatus,
    CheckInStatus,
    Message,
    SpotCheck,
    SpotCheckStatus,
    WrittenReport,
)

# -- the person's own ------------------------------------------------------------------------


def own_check_ins(supervisee: Supervisee) -> QuerySet[AppCheckIn]:
    return AppCheckIn.objects.filter(supervisee=supervisee).select_related("face_check")


def own_pending_spot_check(supervisee: Supervisee, *, now: dt.datetime | None = None) -> SpotCheck | None:
    now = now or timezone.now()
    return (
        SpotCheck.objects.filter(supervisee=supervisee, status=SpotCheckStatus.PENDING, due_at__gt=now)
        .order_by("due_at")
        .first()
    )


def own_reports(supervisee: Supervisee) -> QuerySet[WrittenReport]:
    return WrittenReport.objects.filter(supervisee=supervisee).prefetch_related("photos")


def own_messages(supervisee: Supervisee) -> QuerySet[Message]:
    return Message.objects.filter(supervisee=supervisee).select_related("author")


# -- staff -----------------------------------------------------------------------------------


def _visible_supervisees(user: User) -> QuerySet[Supervisee]:
    if not can(user, Capability.VIEW_SUPERVISEES):
        return Supervisee.objects.none()
    return supervisees_visible_to(user)


def app_check_ins_visible_to(user: User) -> QuerySet[AppCheckIn]:
    return AppCheckIn.objects.filter(supervisee__in=_visible_supervisees(user)).select_related(
        "supervisee", "face_check", "reviewed_by"
    )


def get_app_check_in_for_user(user: User, pk: object) -> AppCheckIn:
    return get_or_404(app_check_ins_visible_to(user), pk)


def flagged_check_ins_for(user: User) -> QuerySet[AppCheckIn]:
    """Flagged check-ins of the people the user is responsible for (their "my tasks")."""
    return app_check_ins_visible_to(user).filter(status=CheckInStatus.FLAGGED, supervisee__responsible_officer=user)


def missed_spot_checks_for(user: User, *, since: dt.datetime) -> QuerySet[SpotCheck]:
    return SpotCheck.objects.filter(
        supervisee__in=_visible_supervisees(user),
        supervisee__responsible_officer=user,
        status=SpotCheckStatus.MISSED,
        due_at__gte=since,
    ).select_related("supervisee")


def spot_checks_of(user: User, supervisee: Supervisee) -> QuerySet[SpotCheck]:
    return SpotCheck.objects.filter(supervisee__in=_visible_supervisees(user), supervisee=supervisee)


def devices_of(user: User, supervisee: Supervisee) -> QuerySet[AppDevice]:
    return AppDevice.objects.filter(supervisee__in=_visible_supervisees(user), supervisee=supervisee)


def get_device_for_user(user: User, pk: object) -> AppDevice:
    return get_or_404(AppDevice.objects.filter(supervisee__in=_visible_supervisees(user)), pk)


def reports_visible_to(user: User) -> QuerySet[WrittenReport]:
    return WrittenReport.objects.filter(supervisee__in=_visible_supervisees(user)).prefetch_related("photos")


def get_report_for_user(user: User, pk: object) -> WrittenReport:
    return get_or_404(reports_visible_to(user), pk)


def app_activity_by_office(user: User, *, now: dt.datetime | None = None) -> list[dict[str, object]]:
    """Per responsible office: people under supervision, and how many used the app lately (seed 003's KPI)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=rules.active_days())
    people = _visible_supervisees(user).filter(status=Status.UNDER_SUPERVISION)
    rows = (
        people.values("responsible_office_id", "responsible_office__name")
        .annotate(
            total=Count("pk", distinct=True),
            active=Count(
                "pk",
                filter=Q(app_devices__last_seen_at__gte=since, app_devices__revoked_at__isnull=True),
                distinct=True,
            ),
        )
        .order_by("responsible_office__name")
    )
    return [{"office": row["responsible_office__name"], "total": row["total"], "active": row["active"]} for row in rows]


def app_requests_visible_to(user: User) -> QuerySet[AppRequest]:
    return AppRequest.objects.filter(supervisee__in=_visible_supervisees(user)).select_related("supervisee", "approval")


def get_app_request_for_user(user: User, pk: object) -> AppRequest:
    return get_or_404(app_requests_visible_to(user), pk)


def submitted_requests_for(user: User) -> QuerySet[AppRequest]:
    return app_requests_visible_to(user).filter(status=AppRequestStatus.SUBMITTED, supervisee__responsible_officer=user)
