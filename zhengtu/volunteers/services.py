"""Writes of the volunteers app: registry, assignments, hours (logged, then confirmed by someone else),
training records, supervision sessions and talent studios. Keyword-only, transactional, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.juvenile.models import JuvenileCase
from zhengtu.juvenile.services.cases import require_handler
from zhengtu.orgs.models import Organisation
from zhengtu.privacy.crypto import encrypt, mask_phone
from zhengtu.supervision.models import TeamMember, TeamRole

from .models import (
    Studio,
    StudioMember,
    StudioOutput,
    SupervisionSession,
    TrainingRecord,
    Volunteer,
    VolunteerAssignment,
    VolunteerHours,
)
from .rules import background_check_years, max_hours_per_entry
from .selectors import pool_of, workers_of

if TYPE_CHECKING:
    from zhengtu.accounts.models import User
    from zhengtu.supervisees.models import Supervisee


def _manager(actor: Actor) -> User:
    user = acting_user(actor, Capability.MANAGE_VOLUNTEERS)
    return user


def _in_pool(user: User, organisation: Organisation) -> None:
    if not user.is_superuser and not pool_of(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied


@transaction.atomic
def register_volunteer(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    phone: str = "",
    skills: str = "",
    availability: str = "",
    background_checked_on: dt.date | None = None,
    training_hours: Decimal = Decimal(0),
) -> Volunteer:
    user = _manager(actor)
    _in_pool(user, organisation)
    if not name.strip():
        raise ValidationError({"name": _("Give the volunteer's name.")})
    if background_checked_on and background_checked_on > timezone.localdate():
        raise ValidationError({"background_checked_on": _("The background check cannot be dated in the future.")})
    volunteer = Volunteer.objects.create(
        organisation=organisation,
        name=name.strip(),
        phone_encrypted=encrypt(phone.strip()),
        phone_masked=mask_phone(phone.strip()) if phone.strip() else "",
        skills=skills,
        availability=availability,
        background_checked_on=background_checked_on,
        training_hours=training_hours or Decimal(0),
    )
    record_event(actor, action=Action.CREATE, target=volunteer)
    return volunteer


def _check_background(volunteer: Volunteer) -> None:
    checked = volunteer.background_checked_on
    limit = timezone.localdate() - dt.timedelta(days=365 * background_check_years())
    if checked is None or checked < limit:
        raise ValidationError(
            _("A volunteer works with children only after a background check in the last %(years)s years.")
            % {"years": background_check_years()}
        )


@transaction.atomic
def assign_volunteer(
    *,
    actor: Actor,
    volunteer: Volunteer,
    task: str,
    juvenile_case: JuvenileCase | None = None,
    supervisee: Supervisee | None = None,
    started_on: dt.date | None = None,
) -> VolunteerAssignment:
    """Assign to a juvenile case (handlers of the case only) or to a supervisee's correction team (staff who
    supervise); the team gets a "volunteer" member linked to this record."""
    user = _manager(actor)
    if (juvenile_case is None) == (supervisee is None):
        raise ValidationError(_("Choose either a juvenile case or a supervisee's correction team."))
    if not volunteer.is_active:
        raise ValidationError(_("This volunteer is no longer active."))
    if not task.strip():
        raise ValidationError({"task": _("Describe the volunteer's task.")})
    team_member = None
    if juvenile_case is not None:
        require_handler(user, juvenile_case)
        _check_background(volunteer)
    else:
        assert supervisee is not None
        if not can(user, Capability.SUPERVISE):
            raise PermissionDenied
        team_member = TeamMember.objects.create(
            supervisee=supervisee,
            role=TeamRole.VOLUNTEER,
            name=volunteer.name,
            unit=volunteer.organisation.name,
            phone=volunteer.phone_masked,
        )
    assignment = VolunteerAssignment.objects.create(
        volunteer=volunteer,
        juvenile_case=juvenile_case,
        supervisee=supervisee,
        team_member=team_member,
        task=task.strip(),
        started_on=started_on or timezone.localdate(),
        assigned_by=user,
    )
    record_event(actor, action=Action.CREATE, target=assignment, object_label=volunteer.name)
    return assignment


@transaction.atomic
def log_hours(
    *, actor: Actor, assignment: VolunteerAssignment, worked_on: dt.date, hours: Decimal, activity: str
) -> VolunteerHours:
    user = _manager(actor)
    if hours <= 0 or hours > max_hours_per_entry():
        raise ValidationError(
            {"hours": _("Hours must be more than 0 and at most %(max)s.") % {"max": max_hours_per_entry()}}
        )
    if worked_on > timezone.localdate() or worked_on < assignment.started_on:
        raise ValidationError({"worked_on": _("The date must fall between the assignment's start and today.")})
    if not activity.strip():
        raise ValidationError({"activity": _("Describe what the volunteer did.")})
    entry = VolunteerHours.objects.create(
        assignment=assignment, worked_on=worked_on, hours=hours, activity=activity.strip(), logged_by=user
    )
    record_event(actor, action=Action.CREATE, target=entry, object_label=assignment.volunteer.name)
    return entry


@transaction.atomic
def confirm_hours(*, actor: Actor, entry: VolunteerHours) -> VolunteerHours:
    """A second person confirms hours (not whoever logged them)."""
    user = _manager(actor)
    if entry.confirmed_at is not None:
        raise ValidationError(_("These hours are already confirmed."))
    if entry.logged_by_id == user.pk:
        raise ValidationError(_("Hours are confirmed by someone other than who logged them."))
    entry.confirmed_by, entry.confirmed_at = user, timezone.now()
    entry.save(update_fields=["confirmed_by", "confirmed_at"])
    record_event(actor, action=Action.APPROVE, target=entry)
    return entry


@transaction.atomic
def record_training(
    *, actor: Actor, worker: User, attended_on: dt.date, topic: str, hours: Decimal, provider: str = ""
) -> TrainingRecord:
    user = _manager(actor)
    if not workers_of(user).filter(pk=worker.pk).exists() and not user.is_superuser:
        raise PermissionDenied
    if hours <= 0 or hours > 24:
        raise ValidationError({"hours": _("Hours must be more than 0 and at most 24.")})
    if attended_on > timezone.localdate():
        raise ValidationError({"attended_on": _("Training cannot be dated in the future.")})
    record = TrainingRecord.objects.create(
        worker=worker, attended_on=attended_on, topic=topic, hours=hours, provider=provider, recorded_by=user
    )
    record_event(actor, action=Action.CREATE, target=record, object_label=worker.display_name)
    return record


@transaction.atomic
def record_supervision_session(
    *,
    actor: Actor,
    supervisor_name: str,
    held_on: dt.date,
    hours: Decimal,
    topic: str,
    workers: Iterable[User],
    notes: str = "",
) -> SupervisionSession:
    user = _manager(actor)
    chosen = list(workers)
    allowed = set(workers_of(user).values_list("pk", flat=True))
    if not chosen or any(w.pk not in allowed for w in chosen):
        raise ValidationError({"workers": _("Choose the social workers who took part.")})
    if user.organisation is None:
        raise PermissionDenied
    session = SupervisionSession.objects.create(
        organisation=user.organisation,
        supervisor_name=supervisor_name,
        held_on=held_on,
        hours=hours,
        topic=topic,
        notes=notes,
    )
    session.workers.set(chosen)
    record_event(actor, action=Action.CREATE, target=session)
    return session


@transaction.atomic
def create_studio(
    *, actor: Actor, organisation: Organisation, name: str, description: str = "", founded_on: dt.date | None = None
) -> Studio:
    user = _manager(actor)
    _in_pool(user, organisation)
    studio = Studio.objects.create(organisation=organisation, name=name, description=description, founded_on=founded_on)
    record_event(actor, action=Action.CREATE, target=studio)
    return studio


@transaction.atomic
def add_studio_member(
    *, actor: Actor, studio: Studio, name: str, role: str, background: str = "", member: User | None = None
) -> StudioMember:
    _manager(actor)
    if not name.strip():
        raise ValidationError({"name": _("Give the member's name.")})
    entry = StudioMember.objects.create(studio=studio, name=name.strip(), role=role, background=background, user=member)
    record_event(actor, action=Action.UPDATE, target=studio, detail={"member": entry.name})
    return entry


@transaction.atomic
def add_studio_output(
    *, actor: Actor, studio: Studio, title: str, kind: str, produced_on: dt.date, description: str = ""
) -> StudioOutput:
    _manager(actor)
    output = StudioOutput.objects.create(
        studio=studio, title=title, kind=kind, produced_on=produced_on, description=description
    )
    record_event(actor, action=Action.UPDATE, target=studio, detail={"output": title})
    return output


@transaction.atomic
def link_studio_case(*, actor: Actor, studio: Studio, case: JuvenileCase) -> Studio:
    user = _manager(actor)
    require_handler(user, case)
    studio.juvenile_cases.add(case)
    record_event(actor, action=Action.UPDATE, target=studio, detail={"case": case.pk})
    return studio
