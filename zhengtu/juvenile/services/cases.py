"""Referral, the service process (接案 → 预估 → 计划 → 服务 → 评估 → 结案 → 跟进), members, guardians, documents."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import AGENCY_STAFF_ROLES, Capability, can, is_prosecutor
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.documents.registry import document_kind
from zhengtu.documents.rendering import render_docx, render_pdf_file
from zhengtu.documents.services import base_context, in_document_language
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.privacy.crypto import encrypt, mask_phone
from zhengtu.workspace.services import notify

from ..documents import SERVICE_DOCUMENT_CODES, case_context
from ..models import STAGE_ORDER, CaseMember, CaseRecord, Guardian, JuvenileCase, JuvenileDocument, ReferrerKind, Stage
from ..rules import retention_years
from ..selectors import county_of, is_member

if TYPE_CHECKING:
    from zhengtu.accounts.models import User
    from zhengtu.supervisees.models import Supervisee


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def may_handle(user: User, case: JuvenileCase) -> bool:
    """Social workers and managers of the serving agency (or on the case) write its records."""
    if not can(user, Capability.HANDLE_JUVENILE_CASES):
        return False
    if is_member(user, case):
        return True
    if case.is_sealed:
        return False
    org = user.organisation
    return org is not None and case.agency is not None and case.agency.is_within(org)


def require_handler(user: User, case: JuvenileCase) -> None:
    if not may_handle(user, case):
        raise PermissionDenied


@transaction.atomic
def refer_case(
    *,
    actor: Actor,
    service_type: str,
    child_name: str,
    sex: str,
    birth_date: dt.date,
    agency: Organisation | None,
    summary: str = "",
    school_or_work: str = "",
    address: str = "",
    referrer_kind: str = ReferrerKind.PROCURATORATE,
    referrer_name: str = "",
    referred_on: dt.date | None = None,
    child_consent: bool = False,
    guardian_consent: bool = False,
    guardian_name: str = "",
    guardian_relation: str = "",
    guardian_phone: str = "",
) -> JuvenileCase:
    """Open a child's file. A prosecutor refers to an agency of their county; staff register a referral they
    received (from a court, the police or a school) for their own county."""
    user = actor.user
    if user is None or not (can(user, Capability.REFER_JUVENILES) or can(user, Capability.HANDLE_JUVENILE_CASES)):
        raise PermissionDenied
    today = timezone.localdate()
    if birth_date >= today:
        raise ValidationError({"birth_date": _("The birth date must be in the past.")})
    organisation = user.organisation
    referring: Organisation | None = None
    if is_prosecutor(user):
        if organisation is None or organisation.parent is None:
            raise PermissionDenied
        county = organisation.parent
        referring = organisation
        referrer_kind = ReferrerKind.PROCURATORATE
        referrer_name = referrer_name or organisation.name
    else:
        found = county_of(user)
        if found is None:
            raise ValidationError(_("Your organisation does not belong to a county bureau."))
        county = found
        if agency is None and organisation is not None and organisation.kind == OrganisationKind.AGENCY:
            agency = organisation
    if agency is not None and (agency.kind != OrganisationKind.AGENCY or not agency.is_within(county)):
        raise ValidationError({"agency": _("Choose a social-work agency serving this county.")})
    case = JuvenileCase.objects.create(
        number=f"tmp-{uuid.uuid4().hex}",
        service_type=service_type,
        child_name=child_name.strip(),
        sex=sex,
        birth_date=birth_date,
        school_or_work=school_or_work,
        address=address,
        summary=summary,
        county=county,
        agency=agency,
        referrer_kind=referrer_kind,
        referring_organisation=referring,
        referrer_name=referrer_name,
        referred_on=referred_on or today,
        child_consent=child_consent,
        guardian_consent=guardian_consent,
        consent_recorded_on=today if (child_consent or guardian_consent) else None,
        created_by=user,
    )
    # 未 + year + county id + serial: readable, and unique because the serial is the primary key.
    case.number = f"未{case.referred_on.year}-{county.pk:03d}-{case.pk:05d}"
    case.save(update_fields=["number"])
    CaseMember.objects.create(case=case, user=user, role=_("Referrer") if referring else _("Registered the case"))
    if guardian_name.strip():
        add_guardian(actor=actor, case=case, name=guardian_name, relation=guardian_relation, phone=guardian_phone)
    record_event(actor, action=Action.CREATE, target=case, detail={"service_type": service_type})
    if agency is not None and referring is not None:
        staff = agency.members.filter(is_active=True, role__in=AGENCY_STAFF_ROLES)
        notify(
            staff,
            title=_("New juvenile case referred: %(number)s") % {"number": case.number},
            url=f"/juvenile/cases/{case.pk}/",
            kind="juvenile_referral",
        )
    return case


@transaction.atomic
def add_guardian(
    *, actor: Actor, case: JuvenileCase, name: str, relation: str, phone: str = "", is_appropriate_adult: bool = False
) -> Guardian:
    if not name.strip() or not relation.strip():
        raise ValidationError(_("Give the guardian's name and relation to the child."))
    guardian = Guardian.objects.create(
        case=case,
        name=name.strip(),
        relation=relation.strip(),
        phone_encrypted=encrypt(phone.strip()),
        phone_masked=mask_phone(phone.strip()) if phone.strip() else "",
        is_appropriate_adult=is_appropriate_adult,
    )
    record_event(actor, action=Action.UPDATE, target=case, detail={"guardian_added": guardian.pk})
    return guardian


@transaction.atomic
def record_consent(*, actor: Actor, case: JuvenileCase, child_consent: bool, guardian_consent: bool) -> JuvenileCase:
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    require_handler(user, case)
    case.child_consent = child_consent
    case.guardian_consent = guardian_consent
    case.consent_recorded_on = timezone.localdate()
    case.save(update_fields=["child_consent", "guardian_consent", "consent_recorded_on"])
    record_event(
        actor, action=Action.UPDATE, target=case, detail={"child": child_consent, "guardian": guardian_consent}
    )
    return case


@transaction.atomic
def add_member(*, actor: Actor, case: JuvenileCase, member: User, role: str) -> CaseMember:
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    require_handler(user, case)
    if not can(member, Capability.VIEW_JUVENILE_CASES):
        raise ValidationError(_("This person may not work on juvenile cases."))
    membership, _created = CaseMember.objects.get_or_create(case=case, user=member, defaults={"role": role})
    record_event(actor, action=Action.UPDATE, target=case, detail={"member_added": member.pk, "role": role})
    return membership


@transaction.atomic
def accept_case(*, actor: Actor, case: JuvenileCase, content: str) -> JuvenileCase:
    """接案: a social worker of the agency takes the case on and joins it."""
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    require_handler(user, case)
    if case.stage != Stage.REFERRED:
        raise ValidationError(_("This case has already been accepted."))
    if not (case.child_consent and case.guardian_consent):
        raise ValidationError(_("Record the consent of the child and of the guardian before accepting the case."))
    CaseMember.objects.get_or_create(case=case, user=user, defaults={"role": _("Social worker")})
    return advance_stage(actor=actor, case=case, content=content)


@transaction.atomic
def record_step(*, actor: Actor, case: JuvenileCase, content: str, recorded_on: dt.date | None = None) -> CaseRecord:
    """A record at the current stage (e.g. one more service session)."""
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    require_handler(user, case)
    if not content.strip():
        raise ValidationError({"content": _("Describe what was done.")})
    if case.stage == Stage.REFERRED:
        raise ValidationError(_("Accept the case before recording its service."))
    record = CaseRecord.objects.create(
        case=case, stage=case.stage, recorded_on=recorded_on or timezone.localdate(), content=content, recorded_by=user
    )
    record_event(actor, action=Action.UPDATE, target=case, detail={"record": record.pk, "stage": case.stage})
    return record


@transaction.atomic
def advance_stage(*, actor: Actor, case: JuvenileCase, content: str) -> JuvenileCase:
    """Move to the next step of the process, with the record of what closes the current one."""
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    require_handler(user, case)
    if not content.strip():
        raise ValidationError({"content": _("Describe what was done.")})
    position = STAGE_ORDER.index(case.stage)
    if position + 1 >= len(STAGE_ORDER):
        raise ValidationError(_("The case is already in follow-up; record follow-up visits instead."))
    previous = case.stage
    case.stage = STAGE_ORDER[position + 1]
    fields = ["stage"]
    if case.stage == Stage.CLOSED:
        case.closed_on = timezone.localdate()
        case.retain_until = _add_years(case.closed_on, retention_years())
        fields += ["closed_on", "retain_until"]
    case.save(update_fields=fields)
    CaseRecord.objects.create(
        case=case, stage=case.stage, recorded_on=timezone.localdate(), content=content, recorded_by=user
    )
    record_event(actor, action=Action.STATUS, target=case, detail={"from": previous, "to": case.stage})
    return case


@transaction.atomic
def link_supervisee(*, actor: Actor, case: JuvenileCase, supervisee: Supervisee) -> JuvenileCase:
    """The child later came under community correction: link the two files (each keeps its own access rule)."""
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    require_handler(user, case)
    case.supervisee = supervisee
    case.save(update_fields=["supervisee"])
    record_event(actor, action=Action.UPDATE, target=case, detail={"supervisee": supervisee.pk})
    return case


@in_document_language
def _render(case: JuvenileCase, code: str, extra: dict[str, object] | None = None) -> tuple[str, bytes, bytes | None]:
    kind = document_kind(code)
    organisation = case.agency or case.county
    context = {
        **base_context(kind=kind, organisation=organisation, number=""),
        **case_context(case, code),
        **(extra or {}),
    }
    try:
        pdf = render_pdf_file(code, kind.html_template, context, organisation=organisation)
        docx = render_docx(code, kind.docx_template, context, organisation=organisation) if kind.docx_template else None
        return str(kind.title), pdf, docx
    except Exception as error:  # noqa: BLE001 - a replaced template may be broken in any way
        raise ValidationError(
            _("The template of “%(title)s” could not be used (%(error)s). Ask an administrator to check it.")
            % {"title": kind.title, "error": str(error)[:200]}
        ) from error


@transaction.atomic
def issue_case_document(
    *, actor: Actor, case: JuvenileCase, code: str, extra: dict[str, object] | None = None
) -> JuvenileDocument:
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    require_handler(user, case)
    if code not in SERVICE_DOCUMENT_CODES and not extra:
        raise ValidationError(_("Unknown document."))
    return store_document(actor=actor, case=case, code=code, extra=extra)


def store_document(
    *, actor: Actor, case: JuvenileCase, code: str, extra: dict[str, object] | None = None
) -> JuvenileDocument:
    title, pdf, docx = _render(case, code, extra)
    document = JuvenileDocument(case=case, code=code, title=title, created_by=actor.user)
    stem = f"{code.replace('.', '-')}-{uuid.uuid4().hex[:12]}"
    document.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    if docx is not None:
        document.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
    document.save()
    record_event(actor, action=Action.CREATE, target=case, detail={"document": code})
    return document
