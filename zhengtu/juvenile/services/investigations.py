"""Social investigation (社会调查, CPL art. 279): request, interviews, draft, approval, sending to the requester."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import AGENCY_STAFF_ROLES, Capability, Role, can, is_prosecutor
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.documents.services import chinese_date
from zhengtu.workspace.services import notify

from ..documents import INVESTIGATION_REPORT, investigation_context
from ..models import REPORT_SECTIONS, Interview, InvestigationStatus, JuvenileCase, SocialInvestigation
from .cases import require_handler, store_document

SECTION_FIELDS = [field for field, _title in REPORT_SECTIONS]
EDITABLE = {InvestigationStatus.REQUESTED, InvestigationStatus.DRAFT, InvestigationStatus.AWAITING_APPROVAL}


@transaction.atomic
def request_investigation(
    *, actor: Actor, case: JuvenileCase, requesting_organ: str = "", due_on: dt.date | None = None
) -> SocialInvestigation:
    """A prosecutor asks for a report on a case they referred; staff register a court's request."""
    user = actor.user
    if user is None:
        raise PermissionDenied
    if is_prosecutor(user):
        if not can(user, Capability.REFER_JUVENILES) or case.referring_organisation_id != user.organisation_id:
            raise PermissionDenied
        requested_by = user.organisation
        requesting_organ = requesting_organ or (user.organisation.name if user.organisation else "")
    else:
        require_handler(user, case)
        requested_by = None
        if not requesting_organ.strip():
            raise ValidationError({"requesting_organ": _("Name the procuratorate or court that asked.")})
    investigation = SocialInvestigation.objects.create(
        case=case,
        requested_by=requested_by,
        requesting_organ=requesting_organ.strip(),
        requested_on=timezone.localdate(),
        due_on=due_on,
    )
    record_event(actor, action=Action.CREATE, target=case, detail={"investigation": investigation.pk})
    if case.agency is not None and requested_by is not None:
        notify(
            case.agency.members.filter(role__in=AGENCY_STAFF_ROLES),
            title=_("Social investigation requested for case %(number)s") % {"number": case.number},
            url=f"/juvenile/investigations/{investigation.pk}/",
            kind="juvenile_investigation",
        )
    return investigation


def _editable(user: Any, investigation: SocialInvestigation) -> None:
    require_handler(user, investigation.case)
    if investigation.status not in EDITABLE:
        raise ValidationError(_("The report has been approved and can no longer be changed."))


@transaction.atomic
def record_interview(
    *,
    actor: Actor,
    investigation: SocialInvestigation,
    informant_kind: str,
    informant_name: str,
    held_on: dt.date,
    section: str,
    statement: str,
    place: str = "",
) -> Interview:
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    _editable(user, investigation)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("An interview cannot be dated in the future.")})
    if not statement.strip():
        raise ValidationError({"statement": _("Write down what the informant said.")})
    if section not in SECTION_FIELDS:
        raise ValidationError({"section": _("Choose a section of the report.")})
    interview = Interview.objects.create(
        investigation=investigation,
        informant_kind=informant_kind,
        informant_name=informant_name.strip(),
        held_on=held_on,
        place=place,
        section=section,
        statement=statement.strip(),
        recorded_by=user,
    )
    if investigation.investigator_id is None:
        investigation.investigator = user
        investigation.save(update_fields=["investigator"])
    record_event(actor, action=Action.CREATE, target=investigation.case, detail={"interview": interview.pk})
    return interview


@transaction.atomic
def draft_from_interviews(*, actor: Actor, investigation: SocialInvestigation) -> SocialInvestigation:
    """Fill each empty section with what the informants said about it, attributed; existing text is kept."""
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    _editable(user, investigation)
    interviews = list(investigation.interviews.all())
    if not interviews:
        raise ValidationError(_("Record at least one interview before drafting the report."))
    for field in SECTION_FIELDS:
        if getattr(investigation, field).strip():
            continue
        parts = [
            f"据{i.get_informant_kind_display()}{i.informant_name}（{chinese_date(i.held_on)}）反映：{i.statement}"
            for i in interviews
            if i.section == field
        ]
        setattr(investigation, field, "\n".join(parts))
    investigation.status = InvestigationStatus.DRAFT
    investigation.investigator = investigation.investigator or user
    investigation.save()
    record_event(actor, action=Action.UPDATE, target=investigation.case, detail={"drafted": investigation.pk})
    return investigation


@transaction.atomic
def edit_report(*, actor: Actor, investigation: SocialInvestigation, sections: dict[str, str]) -> SocialInvestigation:
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    _editable(user, investigation)
    for field in SECTION_FIELDS:
        if field in sections:
            setattr(investigation, field, sections[field])
    investigation.status = InvestigationStatus.DRAFT
    investigation.save()
    record_event(actor, action=Action.UPDATE, target=investigation.case, detail={"edited": investigation.pk})
    return investigation


@transaction.atomic
def submit_report(*, actor: Actor, investigation: SocialInvestigation) -> SocialInvestigation:
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    _editable(user, investigation)
    if not (investigation.conclusions.strip() and investigation.recommendations.strip()):
        raise ValidationError(_("Write the conclusions and recommendations before submitting the report."))
    investigation.status = InvestigationStatus.AWAITING_APPROVAL
    investigation.save(update_fields=["status"])
    record_event(actor, action=Action.UPDATE, target=investigation.case, detail={"submitted": investigation.pk})
    return investigation


@transaction.atomic
def approve_report(*, actor: Actor, investigation: SocialInvestigation) -> SocialInvestigation:
    user = acting_user(actor, Capability.APPROVE_JUVENILE)
    if can(user, Capability.HANDLE_JUVENILE_CASES):  # an agency manager approves their own agency's reports
        require_handler(user, investigation.case)
    if investigation.status != InvestigationStatus.AWAITING_APPROVAL:
        raise ValidationError(_("Only a submitted report can be approved."))
    investigation.status = InvestigationStatus.APPROVED
    investigation.approved_by = user
    investigation.approved_at = timezone.now()
    investigation.save(update_fields=["status", "approved_by", "approved_at"])
    record_event(actor, action=Action.APPROVE, target=investigation.case, detail={"investigation": investigation.pk})
    return investigation


@transaction.atomic
def send_report(*, actor: Actor, investigation: SocialInvestigation) -> SocialInvestigation:
    """Generate the report in the procuratorial format and make it available to the requesting procuratorate."""
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    require_handler(user, investigation.case)
    if investigation.status != InvestigationStatus.APPROVED:
        raise ValidationError(_("Only an approved report can be sent."))
    document = store_document(
        actor=actor,
        case=investigation.case,
        code=INVESTIGATION_REPORT,
        extra=investigation_context(investigation),
    )
    investigation.document = document
    investigation.status = InvestigationStatus.SENT
    investigation.sent_at = timezone.now()
    investigation.save(update_fields=["document", "status", "sent_at"])
    record_event(actor, action=Action.OTHER, target=investigation.case, detail={"sent": investigation.pk})
    if investigation.requested_by is not None:
        notify(
            investigation.requested_by.members.filter(role=Role.PROSECUTOR),
            title=_("Social investigation report received: %(number)s") % {"number": investigation.case.number},
            url=f"/juvenile/investigations/{investigation.pk}/",
            kind="juvenile_report",
        )
    return investigation
