"""Absconding (脱管): open a search, record its steps, tell the police, close it when found or with a legal step.

``search_alerts`` says which limit a search has passed (no step in time, police not told, out of contact
past the month after which revocation is proposed); the limits are settings (``absconding_rules``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import ROLE_CAPABILITIES, Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.orgs.models import OrganisationKind
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.workspace.services import notify

from ..models import Sanction, SearchOutcome, SearchRecord, SearchStep, SearchStepKind, SearchTrigger
from ..rules import absconding_rules
from .access import NOT_ALLOWED, require_under_supervision


def _bureau_users(supervisee: Supervisee) -> list[User]:
    bureau = supervisee.responsible_office.nearest({OrganisationKind.COUNTY_BUREAU})
    roles = [role for role, capabilities in ROLE_CAPABILITIES.items() if Capability.APPROVE_BUREAU in capabilities]
    return list(User.objects.filter(organisation=bureau, role__in=roles, is_active=True)) if bureau else []


@transaction.atomic
def open_search(
    *, actor: Actor, supervisee: Supervisee, trigger: str, lost_contact_at: dt.datetime, notes: str = ""
) -> SearchRecord:
    user = acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    require_under_supervision(supervisee)
    errors: dict[str, str] = {}
    if trigger not in SearchTrigger.values:
        errors["trigger"] = _("Choose why the person cannot be reached.")
    if lost_contact_at > timezone.now():
        errors["lost_contact_at"] = _("The time cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    record = _create(actor, supervisee, trigger=trigger, lost_contact_at=lost_contact_at, notes=notes, user=user)
    if record is None:
        raise ValidationError(_("A search for this person is already open."))
    return record


def open_search_automatically(
    *, supervisee: Supervisee, trigger: str, lost_contact_at: dt.datetime, notes: str
) -> SearchRecord | None:
    """The system opens the search (services/contact.py): None when one is already open for the person."""
    if supervisee.status != Status.UNDER_SUPERVISION:
        return None
    with transaction.atomic():
        return _create(
            Actor(username="system"),
            supervisee,
            trigger=trigger,
            lost_contact_at=min(lost_contact_at, timezone.now()),
            notes=notes,
            user=None,
        )


def _create(
    actor: Actor, supervisee: Supervisee, *, trigger: str, lost_contact_at: dt.datetime, notes: str, user: User | None
) -> SearchRecord | None:
    # The person's row is locked so that a page and the hourly scan never both open a search; the partial unique
    # constraint "one_open_search" is the last line.
    Supervisee.objects.select_for_update(of=("self",)).filter(pk=supervisee.pk).first()
    if SearchRecord.objects.filter(supervisee=supervisee, closed_at__isnull=True).exists():
        return None
    record = SearchRecord.objects.create(
        supervisee=supervisee, trigger=trigger, lost_contact_at=lost_contact_at, notes=notes.strip(), opened_by=user
    )
    record_event(actor, action=Action.CREATE, target=record, detail={"trigger": trigger, "automatic": user is None})
    url = reverse("supervision:search", args=[supervisee.pk])
    title = _("Out of contact: %(name)s — search opened") % {"name": supervisee.name}
    notify(_bureau_users(supervisee), title=title, url=url, kind="absconding_opened")
    if user is None:
        notify(_officers_of(supervisee), title=title, body=notes.strip(), url=url, kind="absconding_opened")
    return record


def _officers_of(supervisee: Supervisee) -> list[User]:
    """Who works with the person day to day: the responsible officer and the team members with an account."""
    officers = [supervisee.responsible_officer] if supervisee.responsible_officer else []
    team = User.objects.filter(
        pk__in=supervisee.team_members.filter(left_on__isnull=True, user__isnull=False).values("user_id")
    )
    return [*officers, *team]


def _open(record: SearchRecord) -> None:
    if record.closed_at is not None:
        raise ValidationError(_("This search is closed."))


@transaction.atomic
def record_search_step(
    *, actor: Actor, record: SearchRecord, kind: str, taken_at: dt.datetime, notes: str
) -> SearchStep:
    user = acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    _open(record)
    errors: dict[str, str] = {}
    if kind not in SearchStepKind.values:
        errors["kind"] = _("Choose what was done.")
    if taken_at > timezone.now() or taken_at < record.lost_contact_at:
        errors["taken_at"] = _("The time must lie between the loss of contact and now.")
    if not notes.strip():
        errors["notes"] = _("Write down the result.")
    if errors:
        raise ValidationError(errors)
    step = SearchStep.objects.create(record=record, kind=kind, taken_at=taken_at, notes=notes.strip(), taken_by=user)
    record_event(actor, action=Action.CREATE, target=step, detail={"search": record.pk, "kind": kind})
    return step


@transaction.atomic
def notify_police(*, actor: Actor, record: SearchRecord, police_station: str) -> SearchRecord:
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    _open(record)
    if not police_station.strip():
        raise ValidationError({"police_station": _("Enter the police station that was notified.")})
    record.police_station = police_station.strip()
    record.police_notified_at = timezone.now()
    record.save(update_fields=["police_station", "police_notified_at"])
    record_event(actor, action=Action.UPDATE, target=record, detail={"police": record.police_station})
    return record


@transaction.atomic
def close_search(
    *, actor: Actor, record: SearchRecord, outcome: str, notes: str, next_step: Sanction | None = None
) -> SearchRecord:
    """Found, or the next legal step (a warning or a revocation/return-to-prison proposal) has been filed."""
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    _open(record)
    errors: dict[str, str] = {}
    if outcome not in SearchOutcome.values:
        errors["outcome"] = _("Choose how the search ended.")
    if not notes.strip():
        errors["notes"] = _("Describe how the search ended.")
    if outcome == SearchOutcome.LEGAL_STEP and (next_step is None or next_step.supervisee_id != record.supervisee_id):
        errors["next_step"] = _("Choose the sanction or proposal filed for this person.")
    if errors:
        raise ValidationError(errors)
    record.outcome = outcome
    record.outcome_notes = notes.strip()
    record.next_step = next_step if outcome == SearchOutcome.LEGAL_STEP else None
    record.closed_at = timezone.now()
    record.save(update_fields=["outcome", "outcome_notes", "next_step", "closed_at"])
    record_event(actor, action=Action.UPDATE, target=record, detail={"closed": outcome})
    return record


def search_alerts(record: SearchRecord, now: dt.datetime | None = None) -> list[str]:
    """The limits an open search has passed, in words for the officer."""
    if record.closed_at is not None:
        return []
    now = now or timezone.now()
    rules = absconding_rules()
    alerts = []
    # all() rather than a query of its own: "my tasks" prefetches the steps of many searches at once.
    first_step = min((step.taken_at for step in record.steps.all()), default=None)
    step_limit = record.lost_contact_at + dt.timedelta(hours=rules.first_step_hours)
    if (first_step is None and now > step_limit) or (first_step is not None and first_step > step_limit):
        alerts.append(_("No search step within %(hours)d hours of losing contact.") % {"hours": rules.first_step_hours})
    police_limit = record.lost_contact_at + dt.timedelta(hours=rules.police_notice_hours)
    notified = record.police_notified_at
    if (notified is None and now > police_limit) or (notified is not None and notified > police_limit):
        alerts.append(_("The police were not notified within %(hours)d hours.") % {"hours": rules.police_notice_hours})
    if now - record.lost_contact_at > dt.timedelta(days=rules.legal_step_days):
        alerts.append(
            _("Out of contact for more than %(days)d days: propose revoking probation or parole (or return to prison).")
            % {"days": rules.legal_step_days}
        )
    return alerts
