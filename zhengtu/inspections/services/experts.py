"""The expert pool (专家库): experts, their declared conflicts and absences."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import pgettext

from zhengtu.accounts.roles import may_be_expert
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.orgs.models import Organisation

from ..models import Expert, ExpertAbsence, ExpertConflict

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

EXPERT_FIELDS = (
    "user",
    "name",
    "specialty",
    "employer",
    "employer_name",
    "title",
    "phone",
    "term_start",
    "term_end",
    "is_available",
    "availability_note",
)


def _check(expert: Expert) -> None:
    if expert.term_start and expert.term_end and expert.term_end < expert.term_start:
        raise ValidationError({"term_end": pgettext("inspections", "The term must end after it starts.")})
    user: User | None = expert.user
    if user is not None and not may_be_expert(user):
        raise ValidationError(
            {"user": pgettext("inspections", "Only an account with the inspector role can be linked to an expert.")}
        )
    if (
        user is not None
        and Expert.objects.filter(association=expert.association, user=user).exclude(pk=expert.pk).exists()
    ):
        raise ValidationError(
            {"user": pgettext("inspections", "This account is already linked to another expert of the pool.")}
        )
    if not expert.employer_name and expert.employer is not None:
        expert.employer_name = expert.employer.name
    expert.full_clean()


@transaction.atomic
def create_expert(
    *,
    actor: Actor,
    association: Organisation,
    name: str,
    specialty: str,
    term_start: dt.date,
    term_end: dt.date,
    user: User | None = None,
    employer: Organisation | None = None,
    employer_name: str = "",
    title: str = "",
    phone: str = "",
    is_available: bool = True,
    availability_note: str = "",
) -> Expert:
    expert = Expert(
        association=association,
        user=user,
        name=name.strip(),
        specialty=specialty,
        employer=employer,
        employer_name=employer_name.strip(),
        title=title.strip(),
        phone=phone.strip(),
        term_start=term_start,
        term_end=term_end,
        is_available=is_available,
        availability_note=availability_note.strip(),
    )
    _check(expert)
    expert.save()
    record_event(actor, action=Action.CREATE, target=expert)
    return expert


@transaction.atomic
def update_expert(*, actor: Actor, expert: Expert, **fields: object) -> Expert:
    changed: dict[str, str] = {}
    for name, value in fields.items():
        if name not in EXPERT_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        if getattr(expert, name) != value:
            changed[name] = str(value)
            setattr(expert, name, value)
    _check(expert)
    expert.save()
    record_event(actor, action=Action.UPDATE, target=expert, detail={"changed": changed})
    return expert


@transaction.atomic
def declare_conflict(*, actor: Actor, expert: Expert, organisation: Organisation, reason: str = "") -> ExpertConflict:
    try:
        with transaction.atomic():
            conflict = ExpertConflict.objects.create(expert=expert, organisation=organisation, reason=reason.strip())
    except IntegrityError as error:
        raise ValidationError(pgettext("inspections", "This conflict has already been declared.")) from error
    record_event(actor, action=Action.CREATE, target=conflict, detail={"expert": expert.pk})
    return conflict


@transaction.atomic
def withdraw_conflict(*, actor: Actor, conflict: ExpertConflict) -> None:
    record_event(actor, action=Action.DELETE, target=conflict, detail={"expert": conflict.expert_id})
    conflict.delete()


@transaction.atomic
def record_absence(
    *, actor: Actor, expert: Expert, starts_on: dt.date, ends_on: dt.date, reason: str = ""
) -> ExpertAbsence:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": pgettext("inspections", "The absence must end after it starts.")})
    absence = ExpertAbsence.objects.create(expert=expert, starts_on=starts_on, ends_on=ends_on, reason=reason.strip())
    record_event(actor, action=Action.CREATE, target=absence, detail={"expert": expert.pk})
    return absence
