"""Appropriate adults (合适成年人, CPL art. 281) and conditional non-prosecution supervision (CPL arts. 282–284)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import AGENCY_STAFF_ROLES, Capability, Role, can, is_prosecutor
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.orgs.models import Organisation
from zhengtu.privacy.crypto import encrypt, mask_phone
from zhengtu.workspace.services import notify

from ..models import (
    AdultRequestStatus,
    AppropriateAdult,
    AppropriateAdultRequest,
    JuvenileCase,
    NonProsecutionStatus,
    NonProsecutionSupervision,
    PeriodicReport,
)
from ..rules import test_period_limits
from .cases import require_handler


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def add_adult(
    *, actor: Actor, county: Organisation, name: str, unit: str = "", phone: str = "", trained_on: dt.date | None = None
) -> AppropriateAdult:
    acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    if not name.strip():
        raise ValidationError({"name": _("Give the appropriate adult's name.")})
    adult = AppropriateAdult.objects.create(
        county=county,
        name=name.strip(),
        unit=unit,
        phone_encrypted=encrypt(phone.strip()),
        phone_masked=mask_phone(phone.strip()) if phone.strip() else "",
        trained_on=trained_on,
    )
    record_event(actor, action=Action.CREATE, target=adult)
    return adult


@transaction.atomic
def request_adult(
    *, actor: Actor, case: JuvenileCase, questioning_at: dt.datetime, place: str, requested_by: str = ""
) -> AppropriateAdultRequest:
    """The police or the procuratorate ask for an appropriate adult at a questioning."""
    user = actor.user
    if user is None:
        raise PermissionDenied
    if is_prosecutor(user):
        if not can(user, Capability.REFER_JUVENILES) or case.referring_organisation_id != user.organisation_id:
            raise PermissionDenied
        requested_by = user.organisation.name if user.organisation else requested_by
    else:
        require_handler(user, case)
        if not requested_by.strip():
            raise ValidationError({"requested_by": _("Name the police station or procuratorate that asked.")})
    if not place.strip():
        raise ValidationError({"place": _("Give the place of the questioning.")})
    request = AppropriateAdultRequest.objects.create(
        case=case, requested_by=requested_by.strip(), questioning_at=questioning_at, place=place.strip()
    )
    record_event(actor, action=Action.CREATE, target=case, detail={"adult_request": request.pk})
    if case.agency is not None and is_prosecutor(user):
        notify(
            case.agency.members.filter(role__in=AGENCY_STAFF_ROLES),
            title=_("Appropriate adult requested for case %(number)s") % {"number": case.number},
            url=f"/juvenile/cases/{case.pk}/",
            kind="juvenile_adult_request",
        )
    return request


@transaction.atomic
def assign_adult(*, actor: Actor, request: AppropriateAdultRequest, adult: AppropriateAdult) -> AppropriateAdultRequest:
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    require_handler(user, request.case)
    if not adult.is_active or adult.county_id != request.case.county_id:
        raise ValidationError({"adult": _("Choose an appropriate adult on this county's roster.")})
    if request.status in (AdultRequestStatus.ATTENDED, AdultRequestStatus.NOT_ATTENDED):
        raise ValidationError(_("The questioning has already been recorded."))
    request.adult = adult
    request.status = AdultRequestStatus.ASSIGNED
    request.save(update_fields=["adult", "status"])
    record_event(
        actor, action=Action.UPDATE, target=request.case, detail={"adult_request": request.pk, "adult": adult.pk}
    )
    return request


@transaction.atomic
def record_attendance(
    *,
    actor: Actor,
    request: AppropriateAdultRequest,
    attended: bool,
    attended_from: dt.datetime | None = None,
    attended_until: dt.datetime | None = None,
    notes: str = "",
) -> AppropriateAdultRequest:
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    require_handler(user, request.case)
    if request.adult_id is None:
        raise ValidationError(_("Assign an appropriate adult first."))
    if attended and (attended_from is None or attended_until is None or attended_until <= attended_from):
        raise ValidationError(_("Give when the adult arrived and left (leaving after arriving)."))
    request.status = AdultRequestStatus.ATTENDED if attended else AdultRequestStatus.NOT_ATTENDED
    request.attended_from, request.attended_until, request.notes = attended_from, attended_until, notes
    request.save(update_fields=["status", "attended_from", "attended_until", "notes"])
    record_event(actor, action=Action.UPDATE, target=request.case, detail={"adult_request": request.pk})
    return request


@transaction.atomic
def start_non_prosecution(
    *,
    actor: Actor,
    case: JuvenileCase,
    decided_on: dt.date,
    test_months: int,
    obligations: str,
    decision_number: str = "",
    report_every_days: int = 30,
) -> NonProsecutionSupervision:
    """Record the procuratorate's decision; the test period runs 6–12 months from it (limits are settings)."""
    user = actor.user
    if user is None:
        raise PermissionDenied
    if is_prosecutor(user):
        if case.referring_organisation_id != user.organisation_id:
            raise PermissionDenied
    else:
        require_handler(user, case)
    low, high = test_period_limits()
    if not low <= test_months <= high:
        raise ValidationError(
            {"test_months": _("The test period must be %(low)s to %(high)s months.") % {"low": low, "high": high}}
        )
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The decision date cannot be in the future.")})
    if not obligations.strip():
        raise ValidationError({"obligations": _("List the obligations set by the decision.")})
    if hasattr(case, "non_prosecution"):
        raise ValidationError(_("This case already has a conditional non-prosecution decision."))
    supervision = NonProsecutionSupervision.objects.create(
        case=case,
        decided_on=decided_on,
        test_months=test_months,
        ends_on=add_months(decided_on, test_months),
        obligations=obligations.strip(),
        decision_number=decision_number,
        report_every_days=report_every_days,
    )
    record_event(actor, action=Action.CREATE, target=case, detail={"non_prosecution": supervision.pk})
    return supervision


def _notify_procuratorate(case: JuvenileCase, title: str) -> None:
    if case.referring_organisation is not None:
        notify(
            case.referring_organisation.members.filter(role=Role.PROSECUTOR),
            title=title,
            url=f"/juvenile/cases/{case.pk}/",
            kind="juvenile_non_prosecution",
        )


@transaction.atomic
def add_periodic_report(
    *, actor: Actor, supervision: NonProsecutionSupervision, period_start: dt.date, period_end: dt.date, content: str
) -> PeriodicReport:
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    require_handler(user, supervision.case)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if period_start < supervision.decided_on or period_end > supervision.ends_on:
        raise ValidationError(_("A report covers days within the test period."))
    if supervision.status != NonProsecutionStatus.TESTING:
        raise ValidationError(_("The test period has been concluded."))
    if not content.strip():
        raise ValidationError({"content": _("Describe how the child kept the obligations.")})
    report = PeriodicReport.objects.create(
        supervision=supervision, period_start=period_start, period_end=period_end, content=content, written_by=user
    )
    record_event(actor, action=Action.CREATE, target=supervision.case, detail={"periodic_report": report.pk})
    _notify_procuratorate(
        supervision.case, _("Periodic report on case %(number)s") % {"number": supervision.case.number}
    )
    return report


@transaction.atomic
def conclude_non_prosecution(
    *, actor: Actor, supervision: NonProsecutionSupervision, outcome: str, assessment: str
) -> NonProsecutionSupervision:
    """The end-of-period assessment: the social worker's conclusion, for the procuratorate's decision."""
    user = acting_user(actor, Capability.HANDLE_JUVENILE_CASES)
    require_handler(user, supervision.case)
    if outcome not in (NonProsecutionStatus.COMPLETED, NonProsecutionStatus.REVOKED):
        raise ValidationError({"outcome": _("Choose how the test period ended.")})
    if supervision.status != NonProsecutionStatus.TESTING:
        raise ValidationError(_("The test period has been concluded."))
    if outcome == NonProsecutionStatus.COMPLETED and timezone.localdate() < supervision.ends_on:
        raise ValidationError(_("The test period has not ended yet."))
    if not assessment.strip():
        raise ValidationError({"assessment": _("Write the assessment.")})
    supervision.status, supervision.final_assessment = outcome, assessment.strip()
    supervision.assessed_on = timezone.localdate()
    supervision.save(update_fields=["status", "final_assessment", "assessed_on"])
    record_event(actor, action=Action.STATUS, target=supervision.case, detail={"non_prosecution": outcome})
    _notify_procuratorate(
        supervision.case, _("End-of-period assessment of case %(number)s") % {"number": supervision.case.number}
    )
    return supervision
