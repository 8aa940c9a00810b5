"""Random face checks while a person studies or takes an exam.

The server decides when a check is due (at random, on average `learning_face_checks_per_hour`,
the first within `learning_face_check_first_within_seconds`); the page learns it from the heartbeat
answer, takes a photo with the camera and posts it. Until a check passes, nothing counts. A failed
check, a photo without a face, a refused camera or no answer in time pauses counting and is
flagged to the person's officers, who see the photo beside the registered one.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action, Outcome
from zhengtu.audit.services import Actor, record_event
from zhengtu.faces.models import FaceCheck
from zhengtu.supervisees.models import Supervisee

from ..face_matching import match_face
from ..models import FaceCheckOutcome, SessionState, StudyFaceCheck, StudySession
from ..rules import rule

_random = random.SystemRandom()
# Read at most this much of an upload; the faces app refuses anything above its own limit with a clear message.
MAX_PHOTO_BYTES = 8 * 1024 * 1024


def _per_hour() -> float:
    return float(rule("learning_face_checks_per_hour"))


def first_check_at(now: dt.datetime) -> dt.datetime | None:
    if _per_hour() <= 0:
        return None
    return now + dt.timedelta(seconds=_random.uniform(0, float(rule("learning_face_check_first_within_seconds"))))


def next_check_at(now: dt.datetime) -> dt.datetime | None:
    """Uniform around the mean gap, so that checks come at unpredictable moments at the set rate."""
    if _per_hour() <= 0:
        return None
    mean = 3600 / _per_hour()
    return now + dt.timedelta(seconds=_random.uniform(0.5 * mean, 1.5 * mean))


def request_if_due(session: StudySession, *, now: dt.datetime) -> None:
    """Mark the session as waiting for a photo (the caller saves the session)."""
    if session.next_face_check_at is not None and now >= session.next_face_check_at:
        session.state = SessionState.FACE_CHECK_DUE
        session.face_check_requested_at = now


def _officers(person: Supervisee) -> list[User]:
    found = [person.responsible_officer] if person.responsible_officer_id else []
    found += [a.user for a in person.assignments.filter(ended_at__isnull=True).select_related("user")]
    return [u for u in found if u is not None]


def _flag(check: StudyFaceCheck) -> None:
    from zhengtu.workspace.services import notify

    person = check.supervisee
    notify(
        _officers(person),
        title=_("Face check during study not passed: %(name)s") % {"name": person.name},
        body=str(check.get_outcome_display()),
        url=reverse("learning:face_check", args=[check.pk]),
        kind="learning_face_check",
    )


def expire_unanswered(session: StudySession, *, now: dt.datetime) -> StudyFaceCheck | None:
    """A check not answered in time counts as refused (the caller holds the session's lock)."""
    if session.state != SessionState.FACE_CHECK_DUE or session.face_check_requested_at is None:
        return None
    if (now - session.face_check_requested_at).total_seconds() <= float(rule("learning_face_check_answer_seconds")):
        return None
    return _finish(session, outcome=FaceCheckOutcome.REFUSED, now=now)


def _finish(
    session: StudySession,
    *,
    outcome: str,
    now: dt.datetime,
    face_check: FaceCheck | None = None,
) -> StudyFaceCheck:
    check = StudyFaceCheck(
        session=session,
        supervisee=session.supervisee,
        requested_at=session.face_check_requested_at or now,
        answered_at=now,
        outcome=outcome,
        face_check=face_check,
    )
    check.save()
    if outcome == FaceCheckOutcome.PASSED:
        session.state = SessionState.COUNTING
        session.next_face_check_at = next_check_at(now)
    else:
        session.state = SessionState.PAUSED
        _flag(check)
    session.face_check_requested_at = None
    session.save(update_fields=["state", "next_face_check_at", "face_check_requested_at"])
    return check


@transaction.atomic
def answer_face_check(
    *, actor: Actor, session: StudySession, image: bytes | None, now: dt.datetime | None = None
) -> StudyFaceCheck:
    """The photo the page took (None: camera refused). Also how a paused session asks to resume.

    A photo the matcher cannot read raises ValidationError (nothing stored, the check stays due)."""
    now = now or timezone.now()
    session = StudySession.objects.select_for_update(of=("self",)).select_related("supervisee").get(pk=session.pk)
    if actor.user is None or session.supervisee.user_id != actor.user.pk:
        raise PermissionDenied
    if session.state == SessionState.COUNTING:
        raise ValidationError(_("No face check is waiting."))
    if session.face_check_requested_at is None:
        session.face_check_requested_at = now
    if image is None:
        check = _finish(session, outcome=FaceCheckOutcome.REFUSED, now=now)
    else:
        match = match_face(supervisee=session.supervisee, image=image, actor=actor, exam=session.attempt_id is not None)
        check = _finish(session, outcome=match.outcome, now=now, face_check=match.face_check)
    record_event(
        actor,
        action=Action.OTHER,
        target=check,
        outcome=Outcome.SUCCESS if check.outcome == FaceCheckOutcome.PASSED else Outcome.FAILURE,
        detail={"learning_face_check": check.outcome, "session": session.pk},
    )
    return check


@transaction.atomic
def mark_reviewed(*, actor: Actor, check: StudyFaceCheck) -> StudyFaceCheck:
    if actor.user is None or not can(actor.user, Capability.SUPERVISE):
        raise PermissionDenied
    check.reviewed_by = actor.user
    check.reviewed_at = timezone.now()
    check.save(update_fields=["reviewed_by", "reviewed_at"])
    record_event(actor, action=Action.UPDATE, target=check, detail={"reviewed": True})
    return check
