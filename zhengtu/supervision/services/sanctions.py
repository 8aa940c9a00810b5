"""Commendations and sanctions (law art. 28): proposed with facts and evidence, decided by approval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.documents.services import chinese_date, in_document_language, issue_document
from zhengtu.supervisees.models import SentenceType, Supervisee, SupervisionLevel

from ..documents import SANCTION_DOCUMENTS, facts_sentence, supervisee_context
from ..models import (
    ApprovalKind,
    ApprovalLevel,
    ApprovalRequest,
    DecisionOutcome,
    LevelChangeSource,
    Sanction,
    SanctionKind,
)
from ..rules import (
    sanction_approval_levels,
    sanction_level_effect,
    sanction_needs_evidence,
    sanction_receiving_organ,
)
from .access import NOT_ALLOWED, require_under_supervision
from .approvals import Route, step_summaries, submit_request
from .attachments import attach_files, check_upload
from .levels import change_supervision_level


@transaction.atomic
def propose_sanction(
    *,
    actor: Actor,
    supervisee: Supervisee,
    kind: str,
    facts: str,
    occurred_on: dt.date,
    legal_basis: str = "",
    receiving_organ: str = "",
    evidence: Sequence[UploadedFile] = (),
) -> Sanction:
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    require_under_supervision(supervisee)
    errors: dict[str, str] = {}
    if kind not in SanctionKind.values:
        errors["kind"] = _("Choose the kind of commendation or sanction.")
    if not facts.strip():
        errors["facts"] = _("Describe the facts.")
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The facts cannot be in the future.")
    if kind in SanctionKind.values and sanction_needs_evidence(kind) and not evidence:
        errors["evidence"] = _("Attach at least one piece of evidence for a %(kind)s.") % {
            "kind": SanctionKind(kind).label
        }
    organ_kind = sanction_receiving_organ(kind) if kind in SanctionKind.values else None
    if organ_kind and not receiving_organ.strip():
        errors["receiving_organ"] = _("Enter the court, procuratorate or police that receives this request.")
    if kind == SanctionKind.OUTSIDE_REVOCATION and supervisee.sentence_type != SentenceType.OUTSIDE_PRISON:
        errors["kind"] = _("Only a person on temporary execution outside prison can have it revoked.")
    if kind == SanctionKind.REVOCATION and supervisee.sentence_type not in (
        SentenceType.PROBATION,
        SentenceType.PAROLE,
    ):
        errors["kind"] = _("Only probation or parole can be revoked.")
    if errors:
        raise ValidationError(errors)
    for upload in evidence:
        check_upload(upload)
    levels = sanction_approval_levels(kind)
    unknown = [level for level in levels if level not in ApprovalLevel.values]
    if unknown:
        raise ValidationError(
            _("The sanction rules name an unknown approval level: %(level)s.") % {"level": unknown[0]}
        )
    label = SanctionKind(kind).label
    approval = submit_request(
        actor=actor,
        kind=ApprovalKind.SANCTION,
        supervisee=supervisee,
        summary=_("%(name)s: %(kind)s") % {"name": supervisee.name, "kind": label},
        route=Route(levels, _("%(kind)s: proposed by the justice office, decided by the bureau.") % {"kind": label}),
        bureau_capability=Capability.DECIDE_SANCTIONS,
    )
    sanction = Sanction.objects.create(
        approval=approval,
        supervisee=supervisee,
        kind=kind,
        facts=facts.strip(),
        legal_basis=legal_basis.strip(),
        occurred_on=occurred_on,
        receiving_organ_kind=organ_kind or "",
        receiving_organ=receiving_organ.strip() if organ_kind else "",
    )
    if evidence:
        attach_files(
            actor=actor,
            supervisee=supervisee,
            uploads=evidence,
            subject=sanction,
            execution_archive=True,
            work_archive=True,
        )
    return sanction


@in_document_language
def apply_approved_sanction(*, actor: Actor, request: ApprovalRequest) -> None:
    """Issue the decision and move the level as the rules say (e.g. a warning → strict)."""
    sanction = request.sanction
    supervisee = sanction.supervisee
    new_level = sanction_level_effect(sanction.kind)
    if new_level is not None and new_level in SupervisionLevel.values:
        change_supervision_level(
            actor=actor,
            supervisee=supervisee,
            to_level=new_level,
            source=LevelChangeSource.SANCTION,
            reason=str(sanction.get_kind_display()),
        )
    context = {
        **supervisee_context(supervisee),
        "sanction_kind": sanction.kind,
        "facts": sanction.facts,
        "legal_basis": sanction.legal_basis,
        "occurred_on": chinese_date(sanction.occurred_on),
        "facts_sentence": facts_sentence(sanction.occurred_on, sanction.facts),
        "new_level": str(SupervisionLevel(new_level).label) if new_level in SupervisionLevel.values else "",
        "steps": step_summaries(request),
        "receiving_organ": sanction.receiving_organ,
    }
    if sanction.receiving_organ:
        sanction.sent_on = timezone.localdate()
        sanction.save(update_fields=["sent_on"])
    issue_document(
        actor=actor,
        code=SANCTION_DOCUMENTS[sanction.kind],
        organisation=supervisee.responsible_office,
        supervisee=supervisee,
        context=context,
    )


@transaction.atomic
def record_request_decision(
    *,
    actor: Actor,
    sanction: Sanction,
    decision_number: str,
    decided_on: dt.date,
    outcome: str,
    attachments: Sequence[UploadedFile] = (),
) -> Sanction:
    """The receiving court's (or police's) decision on a request sent to it, with a scan of the decision."""
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    errors: dict[str, str] = {}
    if not sanction.receiving_organ or sanction.approval.status != "approved":
        raise ValidationError(_("Only an approved request sent to another organ receives a decision."))
    if sanction.decision_outcome:
        raise ValidationError(_("The decision on this request is already recorded."))
    if sanction.sent_on and decided_on < sanction.sent_on:
        errors["decided_on"] = _("The decision cannot predate the request (sent on %(date)s).") % {
            "date": sanction.sent_on.isoformat()
        }
    if not decision_number.strip():
        errors["decision_number"] = _("Enter the number of the decision.")
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = _("Choose whether the request was granted.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    for upload in attachments:
        check_upload(upload)
    sanction.decision_number = decision_number.strip()
    sanction.decided_on = decided_on
    sanction.decision_outcome = outcome
    sanction.save(update_fields=["decision_number", "decided_on", "decision_outcome"])
    record_event(actor, action=Action.UPDATE, target=sanction, detail={"decision": outcome, "number": decision_number})
    if attachments:
        attach_files(
            actor=actor,
            supervisee=sanction.supervisee,
            uploads=attachments,
            subject=sanction,
            title=_("Decision %(number)s") % {"number": sanction.decision_number},
            execution_archive=True,
            work_archive=True,
        )
    return sanction
