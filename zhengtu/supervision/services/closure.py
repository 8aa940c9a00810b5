"""Release at the end of the term and termination, both through the supervisee state machine."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.documents.models import GeneratedDocument
from zhengtu.documents.services import chinese_date, in_document_language, issue_document
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.supervisees.services import change_status

from ..documents import RELEASE_ANNOUNCEMENT, RELEASE_CERTIFICATE, supervisee_context
from ..models import DueItem, Release, TeamMember, Termination, TerminationReason
from .access import NOT_ALLOWED, require_under_supervision


@transaction.atomic
def prepare_release(*, actor: Actor, supervisee: Supervisee, self_summary: str, appraisal: str) -> Release:
    """Record the supervisee's self-summary and the office's appraisal before the term ends."""
    user = acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    require_under_supervision(supervisee)
    errors = {}
    if not self_summary.strip():
        errors["self_summary"] = _("Enter the supervisee's self-summary.")
    if not appraisal.strip():
        errors["appraisal"] = _("Enter the office's appraisal.")
    if errors:
        raise ValidationError(errors)
    release, _created = Release.objects.get_or_create(supervisee=supervisee)
    release.self_summary = self_summary.strip()
    release.appraisal = appraisal.strip()
    release.prepared_by = user
    release.save(update_fields=["self_summary", "appraisal", "prepared_by"])
    record_event(actor, action=Action.UPDATE, target=release, detail={"prepared": True})
    return release


@transaction.atomic
def complete_release(
    *,
    actor: Actor,
    supervisee: Supervisee,
    released_on: dt.date,
    announcement_place: str,
    by_pardon: bool = False,
    pardon_decision: str = "",
) -> list[GeneratedDocument]:
    """Release on or after the last day of the term, or earlier by pardon (赦免, law art. 44): status →
    released, announcement and certificate issued."""
    user = acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    release = Release.objects.filter(supervisee=supervisee).first()
    if supervisee.status == Status.UNDER_SUPERVISION:
        if release is None or not release.appraisal:
            raise ValidationError(_("Record the self-summary and the office's appraisal before the release."))
        if by_pardon and not pardon_decision.strip():
            raise ValidationError({"pardon_decision": _("Enter the pardon order or decision the release follows.")})
        if released_on < supervisee.term_end and not by_pardon:
            raise ValidationError(
                {
                    "released_on": _("The term has not ended yet: it ends on %(date)s.")
                    % {"date": supervisee.term_end.isoformat()}
                }
            )
        if released_on > timezone.localdate():
            raise ValidationError({"released_on": _("The release date cannot be in the future.")})
    if not announcement_place.strip():
        raise ValidationError({"announcement_place": _("Enter where the release was announced.")})
    # The state machine refuses releasing anyone not under supervision, with its own message.
    change_status(
        actor=actor,
        supervisee=supervisee,
        to_status=Status.RELEASED,
        reason=_("Pardoned") if by_pardon else _("Term completed"),
    )
    assert release is not None
    release.released_on = released_on
    release.announcement_place = announcement_place.strip()
    release.completed_by = user
    release.completed_at = timezone.now()
    release.by_pardon = by_pardon
    release.pardon_decision = pardon_decision.strip() if by_pardon else ""
    release.save(
        update_fields=[
            "released_on",
            "announcement_place",
            "completed_by",
            "completed_at",
            "by_pardon",
            "pardon_decision",
        ]
    )
    _close_file(supervisee, released_on)
    return _issue_release_documents(actor=actor, supervisee=supervisee, release=release)


@in_document_language
def _issue_release_documents(*, actor: Actor, supervisee: Supervisee, release: Release) -> list[GeneratedDocument]:
    context = {
        **supervisee_context(supervisee),
        "released_on": chinese_date(release.released_on),
        "announcement_place": release.announcement_place,
        "appraisal": release.appraisal,
        "by_pardon": release.by_pardon,
        "pardon_decision": release.pardon_decision,
        # Dated on the day of the release announcement, not on the day the file is printed.
        "issued_on": chinese_date(release.released_on),
    }
    office = supervisee.responsible_office
    return [
        issue_document(actor=actor, code=code, organisation=office, supervisee=supervisee, context=context)
        for code in (RELEASE_ANNOUNCEMENT, RELEASE_CERTIFICATE)
    ]


def _close_file(supervisee: Supervisee, on: dt.date) -> None:
    TeamMember.objects.filter(supervisee=supervisee, left_on__isnull=True).update(left_on=on)
    DueItem.objects.filter(supervisee=supervisee).delete()


@transaction.atomic
def terminate_supervision(
    *, actor: Actor, supervisee: Supervisee, reason: str, effective_on: dt.date, decision: str = "", notes: str = ""
) -> Termination:
    """End supervision by revocation, return to prison or death (status → terminated)."""
    acting_user(actor, Capability.DECIDE_SANCTIONS, refusal=NOT_ALLOWED)
    errors = {}
    if reason not in TerminationReason.values:
        errors["reason"] = _("Choose why supervision ends.")
    if effective_on > timezone.localdate():
        errors["effective_on"] = _("The date cannot be in the future.")
    if reason in (TerminationReason.REVOCATION, TerminationReason.RETURN_TO_PRISON) and not decision.strip():
        errors["decision"] = _("Enter the court's or deciding organ's decision number.")
    if errors:
        raise ValidationError(errors)
    change_status(
        actor=actor, supervisee=supervisee, to_status=Status.TERMINATED, reason=str(TerminationReason(reason).label)
    )
    termination = Termination.objects.create(
        supervisee=supervisee,
        reason=reason,
        effective_on=effective_on,
        decision=decision.strip(),
        notes=notes.strip(),
        recorded_by=actor.user,
    )
    _close_file(supervisee, effective_on)
    record_event(actor, action=Action.CREATE, target=termination, detail={"reason": reason})
    return termination
