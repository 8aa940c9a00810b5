"""The lecturer pool and booked group sessions: QR sign-in on the phone (signed token as the association's
trainings do), a short evaluation, attendance hours counted in the services hours rule (learning.hours)."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.orgs.models import Organisation
from zhengtu.privacy.crypto import encrypt, mask_phone
from zhengtu.supervisees.models import Supervisee

from ..models import GroupAttendance, GroupSession, Lecturer
from .content import _check_owner, _manager

SALT = "zhengtu.learning.group-session-sign-in"
# Sign-in is open from this long before the start until this long after it.
SIGN_IN_WINDOW = dt.timedelta(hours=4)


@transaction.atomic
def add_lecturer(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    profession: str,
    topics: str,
    work_unit: str = "",
    availability: str = "",
    phone: str = "",
) -> Lecturer:
    user = _manager(actor)
    _check_owner(user, organisation)
    lecturer = Lecturer(
        organisation=organisation,
        name=name.strip(),
        profession=profession,
        topics=topics.strip(),
        work_unit=work_unit.strip(),
        availability=availability.strip(),
        phone_encrypted=encrypt(phone.strip()) if phone.strip() else "",
        phone_masked=mask_phone(phone.strip()),
    )
    lecturer.full_clean()
    lecturer.save()
    record_event(actor, action=Action.CREATE, target=lecturer)
    return lecturer


@transaction.atomic
def book_session(
    *,
    actor: Actor,
    organisation: Organisation,
    lecturer: Lecturer,
    topic: str,
    starts_at: dt.datetime,
    hours: Decimal,
    place: str = "",
) -> GroupSession:
    user = _manager(actor)
    _check_owner(user, organisation)
    if not organisation.is_within(lecturer.organisation) and not lecturer.organisation.is_within(organisation):
        raise ValidationError({"lecturer": _("This lecturer is not in your pool.")})
    session = GroupSession(
        organisation=organisation,
        lecturer=lecturer,
        topic=topic.strip(),
        starts_at=starts_at,
        hours=hours,
        place=place.strip(),
        created_by=user,
    )
    session.full_clean()
    session.save()
    record_event(actor, action=Action.CREATE, target=session, detail={"lecturer": lecturer.pk})
    return session


def _mac(session: GroupSession) -> str:
    digest = salted_hmac(f"{SALT}:{session.sign_in_key}", str(session.pk), algorithm="sha256").digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign_in_token(session: GroupSession) -> str:
    return f"{session.pk}-{_mac(session)}"


def session_for_token(token: str) -> GroupSession:
    pk, _sep, mac = token.partition("-")
    session = GroupSession.objects.select_related("lecturer").filter(pk=int(pk)).first() if pk.isdigit() else None
    if session is None or not constant_time_compare(mac, _mac(session)):
        raise Http404
    return session


@transaction.atomic
def sign_in(*, actor: Actor, supervisee: Supervisee, token: str, now: dt.datetime | None = None) -> GroupAttendance:
    if actor.user is None or supervisee.user_id != actor.user.pk:
        raise PermissionDenied
    session = session_for_token(token)
    now = now or timezone.now()
    if abs(now - session.starts_at) > SIGN_IN_WINDOW:
        raise ValidationError(_("Sign-in for this session is not open now."))
    if not supervisee.responsible_office.is_within(session.organisation):
        raise ValidationError(_("This session is not for your office."))
    try:
        with transaction.atomic():
            attendance = GroupAttendance.objects.create(
                session=session, supervisee=supervisee, signed_in_at=now, held_on=timezone.localdate(session.starts_at)
            )
    except IntegrityError:
        return GroupAttendance.objects.get(session=session, supervisee=supervisee)
    record_event(actor, action=Action.CREATE, target=session, detail={"signed_in": supervisee.pk})
    return attendance


@transaction.atomic
def evaluate(*, actor: Actor, attendance: GroupAttendance, rating: int, comment: str = "") -> GroupAttendance:
    if actor.user is None or attendance.supervisee.user_id != actor.user.pk:
        raise PermissionDenied
    if not 1 <= rating <= 5:
        raise ValidationError(_("Give one to five stars."))
    attendance.rating, attendance.comment = rating, comment.strip()[:500]
    attendance.save(update_fields=["rating", "comment"])
    return attendance
