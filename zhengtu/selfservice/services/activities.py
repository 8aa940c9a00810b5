"""Community-service activities: the office publishes, the person signs up and checks in and out on site with a
live photo and position, the office confirms and the hours enter the services ledger (monthly hours)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.faces.models import Purpose
from zhengtu.faces.services import check_face
from zhengtu.orgs.models import Organisation
from zhengtu.orgs.selectors import organisations_visible_to
from zhengtu.services.models import ServiceKind
from zhengtu.services.services import record_service
from zhengtu.supervisees.models import Supervisee

from .. import rules
from ..models import Activity, ActivitySignup, SignupStatus
from .checkin import RETAKE
from .common import require_active, require_self


@transaction.atomic
def publish_activity(
    *,
    actor: Actor,
    office: Organisation,
    title: str,
    place: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    hours: Decimal,
    capacity: int = 20,
) -> Activity:
    user = acting_user(actor, Capability.RECORD_SERVICES, refusal=_("You are not allowed to do this."))
    if not organisations_visible_to(user).filter(pk=office.pk).exists():
        raise PermissionDenied(_("You are not allowed to do this."))
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the activity a title.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    if hours <= 0 or hours > Decimal(str(rules.activity_max_hours())):
        errors["hours"] = _("Hours must be between 0 and %(max)s.") % {"max": rules.activity_max_hours()}
    if errors:
        raise ValidationError(errors)
    activity = Activity.objects.create(
        office=office,
        title=title.strip(),
        place=place.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        hours=hours,
        capacity=capacity,
        published_by=user,
    )
    record_event(actor, action=Action.CREATE, target=activity, detail={"office": office.pk})
    return activity


def activities_for(supervisee: Supervisee) -> list[Activity]:
    """Activities of the person's office and the offices above it, not yet over."""
    path = supervisee.responsible_office.path
    upcoming = Activity.objects.filter(ends_at__gte=timezone.now()).select_related("office").order_by("starts_at")
    return [activity for activity in upcoming if path.startswith(activity.office.path)]


@transaction.atomic
def sign_up(*, actor: Actor, supervisee: Supervisee, activity: Activity) -> ActivitySignup:
    require_self(actor, supervisee)
    require_active(supervisee)
    if activity not in activities_for(supervisee):
        raise ValidationError(_("This activity is not open to you."))
    Activity.objects.select_for_update().filter(pk=activity.pk).first()
    if activity.signups.count() >= activity.capacity:
        raise ValidationError(_("The activity is full."))
    signup, created = ActivitySignup.objects.get_or_create(activity=activity, supervisee=supervisee)
    if created:
        record_event(actor, action=Action.CREATE, target=signup, detail={"activity": activity.pk})
    return signup


def attend(
    *,
    actor: Actor,
    signup: ActivitySignup,
    photo: bytes,
    latitude: float,
    longitude: float,
    accuracy_m: float,
    leaving: bool,
) -> ActivitySignup:
    """Check in (or out, with `leaving`) on site: a live photo compared with the registry and the position."""
    require_self(actor, signup.supervisee)
    now = timezone.now()
    activity = signup.activity
    if now < activity.starts_at - dt.timedelta(minutes=30) or now > activity.ends_at + dt.timedelta(hours=2):
        raise ValidationError(_("Check-in is open from 30 minutes before the activity to 2 hours after it."))
    if leaving and signup.checked_in_at is None:
        raise ValidationError(_("Check in first."))
    if signup.status == SignupStatus.CONFIRMED:
        raise ValidationError(_("The hours of this activity are already confirmed."))
    face = check_face(supervisee=signup.supervisee, image=photo, purpose=Purpose.SERVICE, actor=actor)
    if face.outcome in RETAKE:
        raise ValidationError(str(RETAKE[face.outcome]))
    position = {"latitude": latitude, "longitude": longitude, "accuracy_m": accuracy_m}
    with transaction.atomic():
        if leaving:
            signup.checked_out_at, signup.check_out_face, signup.check_out_position = now, face, position
            signup.status = SignupStatus.ATTENDED
        else:
            signup.checked_in_at, signup.check_in_face, signup.check_in_position = now, face, position
        signup.save()
        record_event(
            actor,
            action=Action.UPDATE,
            target=signup,
            detail={"leaving": leaving, "face": face.outcome, "similarity": face.similarity},
        )
    return signup


@transaction.atomic
def confirm_hours(*, actor: Actor, activity: Activity, signups: Sequence[ActivitySignup]) -> int:
    """The office confirms who attended: one service record (community service) in the ledger with them."""
    user = acting_user(actor, Capability.RECORD_SERVICES, refusal=_("You are not allowed to do this."))
    chosen = [s for s in signups if s.activity_id == activity.pk and s.status == SignupStatus.ATTENDED]
    if not chosen:
        raise ValidationError(_("Nobody here is waiting for confirmation."))
    record = record_service(
        actor=actor,
        kind=ServiceKind.COMMUNITY_SERVICE,
        held_on=timezone.localdate(activity.starts_at),
        duration_hours=activity.hours,
        topic=activity.title,
        place=activity.place,
        attendees=[s.supervisee for s in chosen],
        summary=_(
            "Community-service activity published in the app; attendance checked in and out with face and location."
        ),
    )
    ActivitySignup.objects.filter(pk__in=[s.pk for s in chosen]).update(
        status=SignupStatus.CONFIRMED, confirmed_by=user
    )
    activity.service_record = record
    activity.save(update_fields=["service_record"])
    return len(chosen)
