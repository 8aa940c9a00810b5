"""Writes of the reintegration app: record a need, refer it, record what was done, close it with an outcome.

Keyword-only, transactional, audited. The status moves only forward:
open (awaiting referral) → referred → help under way → closed with an outcome; any open need may be withdrawn.
A closed or withdrawn need takes no referral, action or second outcome: the refusal says why, in Chinese.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.privacy.crypto import encrypt, mask_phone
from zhengtu.supervisees.models import Status
from zhengtu.supervisees.selectors import supervisees_visible_to
from zhengtu.workspace.services import notify

from .models import (
    AgencyKind,
    HelpAction,
    Need,
    NeedKind,
    NeedSource,
    NeedStatus,
    Outcome,
    Referral,
)

if TYPE_CHECKING:
    from zhengtu.accounts.models import User
    from zhengtu.assessment.models import Assessment
    from zhengtu.supervisees.models import Supervisee

PHONE_DIGITS = (7, 15)


def _recorder(actor: Actor, supervisee: Supervisee) -> User:
    user = actor.user
    if user is None or not can(user, Capability.RECORD_REINTEGRATION):
        raise PermissionDenied
    if not supervisees_visible_to(user).filter(pk=supervisee.pk).exists():
        raise PermissionDenied
    return user


def _check_date(value: dt.date, *, field: str, not_before: dt.date | None = None, label: str = "") -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not_before is not None and value < not_before:
        raise ValidationError(
            {field: _("The date cannot be before %(what)s (%(date)s).") % {"what": label, "date": not_before}}
        )


def _lock(need: Need) -> Need:
    return Need.objects.select_for_update(of=("self",)).select_related("supervisee").get(pk=need.pk)


def _refuse_if_finished(need: Need, doing: str) -> None:
    if need.status == NeedStatus.CLOSED:
        raise ValidationError(
            _("This need was closed with the outcome “%(outcome)s” on %(date)s: %(doing)s is no longer possible.")
            % {"outcome": need.get_outcome_display(), "date": need.outcome_on, "doing": doing}
        )
    if need.status == NeedStatus.CANCELLED:
        raise ValidationError(_("This need was withdrawn: %(doing)s is no longer possible.") % {"doing": doing})


def _officers_of(need: Need, except_user: User | None) -> list[User | None]:
    officer = need.supervisee.responsible_officer
    return [officer] if officer is not None and officer != except_user else []


def _need_url(need: Need) -> str:
    return reverse("reintegration:need", args=[need.pk])


@transaction.atomic
def record_need(
    *,
    actor: Actor,
    supervisee: Supervisee,
    kind: str,
    description: str,
    found_on: dt.date,
    source: str = NeedSource.OFFICER,
    assessment: Assessment | None = None,
    assessment_domain: str = "",
) -> Need:
    user = _recorder(actor, supervisee)
    if kind not in NeedKind.values:
        raise ValidationError({"kind": _("Choose the kind of need.")})
    if source not in NeedSource.values:
        raise ValidationError({"source": _("Choose who found the need.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe the need.")})
    if supervisee.status in (Status.RELEASED, Status.TERMINATED):
        raise ValidationError(_("%(name)s is no longer under community correction.") % {"name": supervisee.name})
    _check_date(found_on, field="found_on")
    if source == NeedSource.ASSESSMENT:
        if assessment is None or assessment.supervisee_id != supervisee.pk:
            raise ValidationError({"source": _("A need found by the assessment names that person's assessment.")})
        if Need.objects.filter(assessment=assessment, assessment_domain=assessment_domain).exists():
            raise ValidationError(_("This need of the assessment has already been recorded."))
    need = Need.objects.create(
        supervisee=supervisee,
        kind=kind,
        source=source,
        assessment=assessment if source == NeedSource.ASSESSMENT else None,
        assessment_domain=assessment_domain if source == NeedSource.ASSESSMENT else "",
        description=description.strip(),
        found_on=found_on,
        recorded_by=user,
    )
    record_event(actor, action=Action.CREATE, target=need, detail={"kind": kind, "source": source})
    notify(
        _officers_of(need, user),
        title=_("New need of %(name)s: %(kind)s") % {"name": supervisee.name, "kind": need.get_kind_display()},
        url=_need_url(need),
        kind="reintegration_need",
    )
    return need


@transaction.atomic
def refer_need(
    *,
    actor: Actor,
    need: Need,
    agency_kind: str,
    agency_name: str,
    referred_on: dt.date,
    contact_name: str = "",
    contact_phone: str = "",
    notes: str = "",
) -> Referral:
    user = _recorder(actor, need.supervisee)
    need = _lock(need)
    _refuse_if_finished(need, _("a referral"))
    if agency_kind not in AgencyKind.values:
        raise ValidationError({"agency_kind": _("Choose the kind of agency.")})
    if not agency_name.strip():
        raise ValidationError({"agency_name": _("Name the agency the need is referred to.")})
    phone = "".join(ch for ch in contact_phone if ch.isdigit() or ch == "-").strip("-")
    digits = sum(ch.isdigit() for ch in phone)
    if contact_phone.strip() and not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise ValidationError({"contact_phone": _("Enter a phone number of 7 to 15 digits.")})
    _check_date(referred_on, field="referred_on", not_before=need.found_on, label=_("the day the need was found"))
    referral = Referral.objects.create(
        need=need,
        agency_kind=agency_kind,
        agency_name=agency_name.strip(),
        contact_name=contact_name.strip(),
        contact_phone_encrypted=encrypt(phone) if phone else "",
        contact_phone_masked=mask_phone(phone) if phone else "",
        referred_on=referred_on,
        notes=notes.strip(),
        referred_by=user,
    )
    if need.status == NeedStatus.OPEN:
        need.status = NeedStatus.REFERRED
        need.save(update_fields=["status", "updated_at"])
    record_event(actor, action=Action.CREATE, target=referral, detail={"need": need.pk, "agency_kind": agency_kind})
    notify(
        _officers_of(need, user),
        title=_("Need of %(name)s referred to %(agency)s") % {"name": need.supervisee.name, "agency": agency_name},
        url=_need_url(need),
        kind="reintegration_referral",
    )
    return referral


@transaction.atomic
def record_action(*, actor: Actor, need: Need, done_on: dt.date, description: str) -> HelpAction:
    user = _recorder(actor, need.supervisee)
    need = _lock(need)
    _refuse_if_finished(need, _("recording an action"))
    if not description.strip():
        raise ValidationError({"description": _("Describe what was done.")})
    _check_date(done_on, field="done_on", not_before=need.found_on, label=_("the day the need was found"))
    action = HelpAction.objects.create(need=need, done_on=done_on, description=description.strip(), recorded_by=user)
    if need.status in (NeedStatus.OPEN, NeedStatus.REFERRED):
        need.status = NeedStatus.IN_PROGRESS
        need.save(update_fields=["status", "updated_at"])
    record_event(actor, action=Action.CREATE, target=action, detail={"need": need.pk})
    return action


@transaction.atomic
def record_outcome(*, actor: Actor, need: Need, outcome: str, outcome_on: dt.date, notes: str = "") -> Need:
    user = _recorder(actor, need.supervisee)
    need = _lock(need)
    _refuse_if_finished(need, _("recording an outcome"))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if outcome == Outcome.UNRESOLVED and not notes.strip():
        raise ValidationError({"notes": _("Say why the need could not be resolved.")})
    _check_date(outcome_on, field="outcome_on", not_before=need.found_on, label=_("the day the need was found"))
    need.status = NeedStatus.CLOSED
    need.outcome, need.outcome_on, need.outcome_notes = outcome, outcome_on, notes.strip()
    need.save(update_fields=["status", "outcome", "outcome_on", "outcome_notes", "updated_at"])
    record_event(actor, action=Action.STATUS, target=need, detail={"outcome": outcome, "outcome_on": str(outcome_on)})
    notify(
        _officers_of(need, user),
        title=_("Need of %(name)s closed: %(outcome)s")
        % {"name": need.supervisee.name, "outcome": need.get_outcome_display()},
        url=_need_url(need),
        kind="reintegration_outcome",
    )
    return need


@transaction.atomic
def withdraw_need(*, actor: Actor, need: Need, reason: str) -> Need:
    """A need recorded by mistake or no longer there (the person found work alone): withdrawn, never deleted."""
    _recorder(actor, need.supervisee)
    need = _lock(need)
    _refuse_if_finished(need, _("withdrawing it"))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for withdrawing the need.")})
    need.status, need.cancel_reason = NeedStatus.CANCELLED, reason.strip()[:200]
    need.save(update_fields=["status", "cancel_reason", "updated_at"])
    record_event(actor, action=Action.STATUS, target=need, detail={"withdrawn": need.cancel_reason})
    return need


def reveal_contact_phone(*, actor: Actor, referral: Referral) -> str:
    """The clear contact phone of a referral (audited), for staff who may reveal numbers."""
    from zhengtu.privacy.crypto import decrypt

    if actor.user is None or not can(actor.user, Capability.REVEAL_IDENTITY):
        raise PermissionDenied
    record_event(actor, action=Action.REVEAL, target=referral, detail={"field": "contact_phone"})
    return decrypt(referral.contact_phone_encrypted) if referral.contact_phone_encrypted else ""
