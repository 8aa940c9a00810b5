"""Members: applications, the decision on them, member numbers and later status changes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import pgettext

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.orgs.models import Organisation

from ..models import MEMBERSHIP_TRANSITIONS, MemberKind, Membership, MembershipStatus
from ..rules import rule

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

OPEN_STATUSES = (MembershipStatus.APPLIED, MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED)


@transaction.atomic
def apply_for_membership(
    *,
    actor: Actor,
    association: Organisation,
    kind: str,
    name: str,
    organisation: Organisation | None = None,
    user: User | None = None,
    credit_code: str = "",
    employer: str = "",
    qualification: str = "",
    contact_person: str = "",
    phone: str = "",
    address: str = "",
    statement: str = "",
) -> Membership:
    """An application, made by the applicant themselves or typed in by the association from paper."""
    if kind not in MemberKind.values:
        raise ValidationError({"kind": pgettext("association", "Choose unit or individual membership.")})
    if kind == MemberKind.UNIT:
        user = None
    else:
        organisation = None
    membership = Membership(
        association=association,
        kind=kind,
        name=name.strip(),
        organisation=organisation,
        user=user,
        credit_code=credit_code.strip().upper(),
        employer=employer.strip(),
        qualification=qualification.strip(),
        contact_person=contact_person.strip(),
        phone=phone.strip(),
        address=address.strip(),
        statement=statement.strip(),
        applied_by=actor.user,
    )
    membership.full_clean()
    existing = Membership.objects.filter(association=association, status__in=OPEN_STATUSES)
    duplicate = (
        (organisation is not None and existing.filter(organisation=organisation).exists())
        or (user is not None and existing.filter(user=user).exists())
        or (bool(membership.credit_code) and existing.filter(credit_code=membership.credit_code).exists())
    )
    if duplicate:
        raise ValidationError(
            pgettext("association", "There is already an application or a membership for this applicant.")
        )
    membership.save()
    record_event(actor, action=Action.CREATE, target=membership, detail={"kind": kind})
    return membership


def _next_member_number(membership: Membership, year: int) -> str:
    # Lock the association row so two approvals at once cannot take the same number.
    Organisation.objects.select_for_update().filter(pk=membership.association_id).first()
    letter = "U" if membership.kind == MemberKind.UNIT else "I"
    stem = f"{rule('member_number_prefix')}-{letter}-{year}-"
    taken = Membership.objects.filter(association_id=membership.association_id, member_number__startswith=stem)
    numbers = [
        int(n.rsplit("-", 1)[1]) for n in taken.values_list("member_number", flat=True) if n[len(stem) :].isdigit()
    ]
    return f"{stem}{max(numbers, default=0) + 1:04d}"


@transaction.atomic
def decide_membership(
    *, actor: Actor, membership: Membership, approve: bool, note: str = "", on_date: dt.date | None = None
) -> Membership:
    if membership.status != MembershipStatus.APPLIED:
        raise ValidationError(pgettext("association", "This application has already been decided."))
    if not approve and not note.strip():
        raise ValidationError(
            {"decision_note": pgettext("association", "Give the reason for rejecting the application.")}
        )
    on_date = on_date or timezone.localdate()
    membership.status = MembershipStatus.ACTIVE if approve else MembershipStatus.REJECTED
    membership.decided_by = actor.user
    membership.decided_at = timezone.now()
    membership.decision_note = note.strip()
    if approve:
        membership.joined_on = on_date
        membership.member_number = _next_member_number(membership, on_date.year)
    membership.save()
    record_event(
        actor,
        action=Action.APPROVE if approve else Action.REJECT,
        target=membership,
        detail={"member_number": membership.member_number},
    )
    return membership


@transaction.atomic
def change_membership_status(*, actor: Actor, membership: Membership, status: str, note: str = "") -> Membership:
    if membership.status == MembershipStatus.APPLIED:
        raise ValidationError(pgettext("association", "Decide on the application first."))
    if status not in MEMBERSHIP_TRANSITIONS.get(membership.status, set()):
        raise ValidationError(pgettext("association", "A membership cannot go from this status to the one chosen."))
    if not note.strip():
        raise ValidationError({"decision_note": pgettext("association", "Give the reason for the change.")})
    previous = membership.status
    membership.status = status
    membership.decision_note = note.strip()
    membership.save(update_fields=["status", "decision_note"])
    record_event(actor, action=Action.STATUS, target=membership, detail={"from": previous, "to": status})
    return membership
