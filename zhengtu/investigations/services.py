"""Writes of the pre-sentence investigation: commission → assignment → interviews → opinion → approval → outcome.

Every write is audited; the office is notified when assigned, the bureau when the opinion waits for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.documents.models import GeneratedDocument
from zhengtu.documents.services import chinese_date, in_document_language, issue_document
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.privacy.crypto import blind_index, encrypt, mask_identity_number
from zhengtu.supervisees.models import SentenceType, Supervisee
from zhengtu.workdays.calendar import add_working_days
from zhengtu.workspace.services import notify

from .documents import ASSESSMENT_OPINION
from .models import (
    CommissionDocument,
    CommissioningOrgan,
    Interview,
    InterviewKind,
    Investigation,
    InvestigationStatus,
    Opinion,
    Outcome,
    PersonType,
)
from .rules import answer_working_days

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


# What a refused caller is told (core.access.acting_user raises it).
NOT_ALLOWED = gettext_lazy("You are not allowed to do this.")


def _url(investigation: Investigation) -> str:
    return reverse("investigations:detail", args=[investigation.pk])


def answer_due(received_on: dt.date, *, urgent: bool) -> tuple[dt.date, bool]:
    """The last day to answer, in working days after receipt (holidays and make-up days counted)."""
    deadline = add_working_days(received_on, answer_working_days(urgent=urgent))
    return deadline.due, deadline.is_approximate


def _status(investigation: Investigation, *allowed: str) -> None:
    if investigation.status not in allowed:
        raise ValidationError(
            _("This investigation is %(status)s: this step is not possible now.")
            % {"status": investigation.get_status_display()}
        )


@transaction.atomic
def receive_commission(
    *,
    actor: Actor,
    bureau: Organisation,
    organ_kind: str,
    organ_name: str,
    commission_number: str,
    received_on: dt.date,
    person_name: str,
    person_type: str,
    crime: str,
    proposed_sentence: str,
    identity_number: str = "",
    sex: str = "",
    birth_date: dt.date | None = None,
    residence_address: str = "",
    urgent: bool = False,
    documents: Sequence[UploadedFile] = (),
    document_titles: Sequence[str] = (),
) -> Investigation:
    """Register a commission received by the county bureau; the answer deadline is set from the rules."""
    user = acting_user(actor, Capability.APPROVE_BUREAU, refusal=NOT_ALLOWED)
    errors: dict[str, str] = {}
    if bureau.kind != OrganisationKind.COUNTY_BUREAU:
        errors["bureau"] = _("A commission is received by a county bureau.")
    if organ_kind not in CommissioningOrgan.values:
        errors["organ_kind"] = _("Choose the commissioning organ.")
    if not organ_name.strip():
        errors["organ_name"] = _("Enter the name of the commissioning organ.")
    if not commission_number.strip():
        errors["commission_number"] = _("Enter the number of the commission letter.")
    if received_on > timezone.localdate():
        errors["received_on"] = _("The date cannot be in the future.")
    if not person_name.strip():
        errors["person_name"] = _("Enter the name of the person to investigate.")
    if person_type not in PersonType.values:
        errors["person_type"] = _("Choose whether the person is a defendant or a convicted offender.")
    if not crime.strip():
        errors["crime"] = _("Enter the crime.")
    if proposed_sentence not in SentenceType.values:
        errors["proposed_sentence"] = _("Choose the community sentence proposed.")
    if errors:
        raise ValidationError(errors)
    due_on, approximate = answer_due(received_on, urgent=urgent)
    identity = identity_number.strip().upper()
    investigation = Investigation.objects.create(
        bureau=bureau,
        organ_kind=organ_kind,
        organ_name=organ_name.strip(),
        commission_number=commission_number.strip(),
        received_on=received_on,
        urgent=urgent,
        due_on=due_on,
        due_approximate=approximate,
        person_name=person_name.strip(),
        person_type=person_type,
        identity_number_encrypted=encrypt(identity) if identity else "",
        identity_number_index=blind_index(identity) if identity else "",
        identity_number_masked=mask_identity_number(identity) if identity else "",
        sex=sex,
        birth_date=birth_date,
        residence_address=residence_address.strip(),
        crime=crime.strip(),
        proposed_sentence=proposed_sentence,
        created_by=user,
    )
    for index, upload in enumerate(documents):
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError({"documents": _("A document is larger than 20 MB.")})
        title = document_titles[index] if index < len(document_titles) else (upload.name or "")
        document = CommissionDocument(investigation=investigation, title=title[:200] or _("Document"))
        document.file.save(upload.name or "document", upload, save=False)
        document.save()
    record_event(
        actor,
        action=Action.CREATE,
        target=investigation,
        detail={"organ": organ_kind, "number": investigation.commission_number, "due_on": due_on.isoformat()},
    )
    return investigation


@transaction.atomic
def add_commission_document(*, investigation: Investigation, title: str) -> CommissionDocument:
    """A document that came with the commission as data (an exchange file), with no scanned file."""
    return CommissionDocument.objects.create(investigation=investigation, title=title[:200])


@transaction.atomic
def assign(*, actor: Actor, investigation: Investigation, office: Organisation) -> Investigation:
    acting_user(actor, Capability.APPROVE_BUREAU, refusal=NOT_ALLOWED)
    _status(investigation, InvestigationStatus.RECEIVED, InvestigationStatus.INVESTIGATING)
    if office.kind != OrganisationKind.JUSTICE_OFFICE or not office.path.startswith(investigation.bureau.path):
        raise ValidationError({"office": _("Choose a justice office under the bureau.")})
    investigation.office = office
    investigation.status = InvestigationStatus.INVESTIGATING
    investigation.save(update_fields=["office", "status"])
    record_event(actor, action=Action.UPDATE, target=investigation, detail={"assigned_to": office.pk})
    notify(
        User.objects.filter(organisation=office, is_active=True),
        title=_("Investigate: %(name)s (answer by %(date)s)")
        % {"name": investigation.person_name, "date": investigation.due_on.isoformat()},
        url=_url(investigation),
        kind="investigation_assigned",
    )
    return investigation


@transaction.atomic
def record_interview(
    *, actor: Actor, investigation: Investigation, kind: str, person: str, held_on: dt.date, notes: str
) -> Interview:
    user = acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    _status(investigation, InvestigationStatus.INVESTIGATING, InvestigationStatus.RETURNED)
    errors: dict[str, str] = {}
    if kind not in InterviewKind.values:
        errors["kind"] = _("Choose whom you interviewed.")
    if not person.strip():
        errors["person"] = _("Enter who was interviewed.")
    if held_on > timezone.localdate():
        errors["held_on"] = _("The date cannot be in the future.")
    if not notes.strip():
        errors["notes"] = _("Write down what was said.")
    if errors:
        raise ValidationError(errors)
    interview = Interview.objects.create(
        investigation=investigation,
        kind=kind,
        person=person.strip(),
        held_on=held_on,
        notes=notes.strip(),
        recorded_by=user,
    )
    record_event(actor, action=Action.CREATE, target=interview, detail={"investigation": investigation.pk})
    return interview


@transaction.atomic
def submit_opinion(
    *,
    actor: Actor,
    investigation: Investigation,
    home_circumstances: str,
    attitude: str,
    opinion: str,
    opinion_text: str,
) -> Investigation:
    """The office's findings and opinion, for the bureau to approve."""
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    _status(investigation, InvestigationStatus.INVESTIGATING, InvestigationStatus.RETURNED)
    errors: dict[str, str] = {}
    if not investigation.interviews.exists():
        errors["opinion"] = _("Record at least one interview before writing the opinion.")
    if not home_circumstances.strip():
        errors["home_circumstances"] = _("Describe the home and living circumstances.")
    if not attitude.strip():
        errors["attitude"] = _("Describe the person's attitude to the offence.")
    if opinion not in Opinion.values:
        errors["opinion"] = _("Choose the opinion.")
    if not opinion_text.strip():
        errors["opinion_text"] = _("Give the reasons of the opinion.")
    if errors:
        raise ValidationError(errors)
    investigation.home_circumstances = home_circumstances.strip()
    investigation.attitude = attitude.strip()
    investigation.opinion = opinion
    investigation.opinion_text = opinion_text.strip()
    investigation.status = InvestigationStatus.SUBMITTED
    investigation.submitted_at = timezone.now()
    investigation.save()
    record_event(actor, action=Action.UPDATE, target=investigation, detail={"submitted": opinion})
    notify(
        User.objects.filter(organisation=investigation.bureau, is_active=True, role__in=_bureau_roles()),
        title=_("To approve: investigation opinion on %(name)s") % {"name": investigation.person_name},
        url=_url(investigation),
        kind="investigation_submitted",
    )
    return investigation


def _bureau_roles() -> list[str]:
    from zhengtu.accounts.roles import ROLE_CAPABILITIES

    return [role for role, capabilities in ROLE_CAPABILITIES.items() if Capability.APPROVE_BUREAU in capabilities]


@transaction.atomic
def decide_opinion(*, actor: Actor, investigation: Investigation, approve: bool, comment: str = "") -> Investigation:
    """The bureau approves (the opinion is issued and sent back) or returns it to the office with a reason."""
    user = acting_user(actor, Capability.APPROVE_BUREAU, refusal=NOT_ALLOWED)
    _status(investigation, InvestigationStatus.SUBMITTED)
    if user.organisation_id != investigation.bureau_id and not user.is_superuser:
        raise PermissionDenied(_("Only the commissioned bureau decides this opinion."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Give the reason for sending the opinion back.")})
    investigation.decided_by = user
    investigation.decision_comment = comment.strip()
    if approve:
        investigation.status = InvestigationStatus.ANSWERED
        investigation.answered_on = timezone.localdate()
        investigation.document = _issue_opinion(actor=actor, investigation=investigation)
    else:
        investigation.status = InvestigationStatus.RETURNED
    investigation.save()
    record_event(
        actor,
        action=Action.APPROVE if approve else Action.REJECT,
        target=investigation,
        detail={"comment": comment.strip()[:500]},
    )
    if not approve and investigation.office is not None:
        notify(
            User.objects.filter(organisation=investigation.office, is_active=True),
            title=_("Sent back: investigation opinion on %(name)s") % {"name": investigation.person_name},
            body=comment.strip(),
            url=_url(investigation),
            kind="investigation_returned",
        )
    return investigation


def opinion_context(investigation: Investigation) -> dict[str, object]:
    return {
        "organ_name": investigation.organ_name,
        "commission_number": investigation.commission_number,
        "received_on": chinese_date(investigation.received_on),
        "person_name": investigation.person_name,
        "person_type": str(investigation.get_person_type_display()),
        "sex": {"male": "男", "female": "女"}.get(investigation.sex, ""),
        "birth_date": chinese_date(investigation.birth_date),
        "identity_number_masked": investigation.identity_number_masked,
        "residence_address": investigation.residence_address,
        "crime": investigation.crime,
        "proposed_sentence": str(investigation.get_proposed_sentence_display()),
        "interviews": [
            {
                "held_on": chinese_date(interview.held_on),
                "kind": str(interview.get_kind_display()),
                "person": interview.person,
                "notes": interview.notes,
            }
            for interview in investigation.interviews.all()
        ],
        "home_circumstances": investigation.home_circumstances,
        "attitude": investigation.attitude,
        "opinion": str(investigation.get_opinion_display()),
        "opinion_text": investigation.opinion_text,
    }


@in_document_language
def _issue_opinion(*, actor: Actor, investigation: Investigation) -> GeneratedDocument:
    return issue_document(
        actor=actor, code=ASSESSMENT_OPINION, organisation=investigation.bureau, context=opinion_context(investigation)
    )


@transaction.atomic
def record_outcome(
    *, actor: Actor, investigation: Investigation, outcome: str, outcome_on: dt.date, adopted: bool | None = None
) -> Investigation:
    """What the commissioning organ decided; a sentence of community correction awaits its intake."""
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    _status(investigation, InvestigationStatus.ANSWERED, InvestigationStatus.CONCLUDED)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if outcome_on < investigation.received_on or outcome_on > timezone.localdate():
        raise ValidationError({"outcome_on": _("The date must lie between the commission and today.")})
    if adopted is None:
        adopted = (outcome == Outcome.SENTENCED) == (investigation.opinion == Opinion.SUITABLE)
    investigation.outcome = outcome
    investigation.outcome_on = outcome_on
    investigation.outcome_adopted = adopted
    investigation.status = InvestigationStatus.CONCLUDED
    investigation.save(update_fields=["outcome", "outcome_on", "outcome_adopted", "status"])
    record_event(actor, action=Action.UPDATE, target=investigation, detail={"outcome": outcome, "adopted": adopted})
    return investigation


def link_intake(supervisee: Supervisee) -> Investigation | None:
    """At intake, the person's latest answered investigation (same identity number) is linked to them."""
    if not supervisee.identity_number_index:
        return None
    investigation = (
        Investigation.objects.filter(
            identity_number_index=supervisee.identity_number_index,
            status__in=(InvestigationStatus.ANSWERED, InvestigationStatus.CONCLUDED),
            supervisee__isnull=True,
        )
        .order_by("-received_on", "-pk")
        .first()
    )
    if investigation is not None:
        investigation.supervisee = supervisee
        investigation.save(update_fields=["supervisee"])
        # The opinion joins the person's execution file (its archive bundle lists it with the other documents).
        if investigation.document is not None and investigation.document.supervisee_id is None:
            investigation.document.supervisee = supervisee
            investigation.document.save(update_fields=["supervisee"])
    return investigation
