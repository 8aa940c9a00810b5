"""Spot checks (点名 / 信息化核查): check in within N minutes; a missed one raises a monitoring alert."""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.monitoring.alerts import raise_alert
from zhengtu.monitoring.models import AlertKind
from zhengtu.supervisees.models import Status, Supervisee

from .. import rules
from ..models import SpotCheck, SpotCheckStatus
from .notifications import notify_supervisee


def _ask(supervisee: Supervisee, *, requested_by: User | None, scheduled: bool, now: dt.datetime) -> SpotCheck:
    minutes = rules.spot_check_minutes()
    item = SpotCheck.objects.create(
        supervisee=supervisee,
        requested_by=requested_by,
        scheduled=scheduled,
        requested_at=now,
        due_at=now + dt.timedelta(minutes=minutes),
    )
    notify_supervisee(
        supervisee,
        title=_("Spot check: check in within %(minutes)d minutes") % {"minutes": minutes},
        body=_("Open the app and check in with your face and location by %(time)s.")
        % {"time": timezone.localtime(item.due_at).strftime("%H:%M")},
        url=reverse("selfservice:checkin"),
        kind="app_spot_check",
    )
    return item


@transaction.atomic
def request_spot_check(*, actor: Actor, supervisee: Supervisee, now: dt.datetime | None = None) -> SpotCheck:
    """An officer asks the person to check in now."""
    user = acting_user(actor, Capability.SUPERVISE, refusal=_("You are not allowed to do this."))
    if supervisee.status != Status.UNDER_SUPERVISION:
        raise ValidationError(_("Spot checks are only for people under supervision."))
    if supervisee.user_id is None:
        raise ValidationError(_("%(name)s has no app account yet.") % {"name": supervisee.name})
    now = now or timezone.now()
    if SpotCheck.objects.filter(supervisee=supervisee, status=SpotCheckStatus.PENDING).exists():
        raise ValidationError(_("A spot check of this person is still open."))
    item = _ask(supervisee, requested_by=user, scheduled=False, now=now)
    record_event(actor, action=Action.CREATE, target=item, detail={"supervisee": supervisee.pk})
    return item


def schedule_spot_checks(*, now: dt.datetime | None = None, chance: random.Random | None = None) -> int:
    """Run hourly: ask people at random, so that each level gets its weekly number on average.

    Only within the permitted local hours, only people with an app account, never two open at once.
    """
    now = now or timezone.now()
    first_hour, last_hour = rules.spot_check_hours()
    local = timezone.localtime(now)
    if not first_hour <= local.hour < last_hour:
        return 0
    hours_per_week = max(1, (last_hour - first_hour) * 7)
    draw = chance or random.SystemRandom()
    asked = 0
    people = Supervisee.objects.filter(status=Status.UNDER_SUPERVISION, user__isnull=False).exclude(
        spot_checks__status=SpotCheckStatus.PENDING
    )
    for person in people.only("pk", "name", "supervision_level", "user_id", "responsible_officer_id"):
        per_week = rules.spot_checks_per_week(person.supervision_level)
        if per_week and draw.random() < per_week / hours_per_week:
            with transaction.atomic():
                _ask(person, requested_by=None, scheduled=True, now=now)
            asked += 1
    return asked


def expire_spot_checks(*, now: dt.datetime | None = None) -> int:
    """Run every minute: an unanswered spot check past its time becomes "missed" and raises a monitoring alert."""
    now = now or timezone.now()
    missed = 0
    for item in SpotCheck.objects.filter(status=SpotCheckStatus.PENDING, due_at__lte=now).select_related("supervisee"):
        with transaction.atomic():
            locked = SpotCheck.objects.select_for_update().filter(pk=item.pk, status=SpotCheckStatus.PENDING).first()
            if locked is None:
                continue
            person = item.supervisee
            alert = raise_alert(
                kind=AlertKind.MISSED_SPOT_CHECK,
                supervisee_id=person.pk,
                supervisee_name=person.name,
                officer_id=person.responsible_officer_id,
                office_id=person.responsible_office_id,
                detail=_("No check-in by %(time)s (asked at %(asked)s).")
                % {
                    "time": timezone.localtime(item.due_at).strftime("%H:%M"),
                    "asked": timezone.localtime(item.requested_at).strftime("%H:%M"),
                },
                now=now,
            )
            locked.status = SpotCheckStatus.MISSED
            locked.alert_id = alert.pk
            locked.save(update_fields=["status", "alert_id"])
            missed += 1
    return missed
