"""Leave requests (外出请假): routing by the leave rules, the approved effect, the return (销假)."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.documents.services import chinese_date, in_document_language, issue_document
from zhengtu.supervisees.models import Supervisee

from ..documents import LEAVE_APPROVAL, supervisee_context
from ..models import ApprovalKind, ApprovalLevel, ApprovalRequest, ApprovalStatus, LeaveRequest
from ..rules import leave_rules
from .access import NOT_ALLOWED, require_under_supervision
from .approvals import Route, step_summaries, submit_request

COUNTED_STATUSES = (ApprovalStatus.PENDING, ApprovalStatus.APPROVED)


def _overlap_days(start: dt.date, end: dt.date, window_start: dt.date, window_end: dt.date) -> int:
    first, last = max(start, window_start), min(end, window_end)
    return max(0, (last - first).days + 1)


def leave_days_in_window(supervisee: Supervisee, start: dt.date, end: dt.date, *, exclude_pk: int | None = None) -> int:
    """Days of leave (this one plus others pending or approved) in the busiest two-month window around it.

    Two windows are checked: the one ending on this leave's last day and the one starting on its first day,
    so earlier and later leaves both count.
    """
    months = leave_rules().window_months
    windows = [
        (end - relativedelta(months=months) + dt.timedelta(days=1), end),
        (start, start + relativedelta(months=months) - dt.timedelta(days=1)),
    ]
    others = LeaveRequest.objects.filter(supervisee=supervisee, approval__status__in=COUNTED_STATUSES)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    periods = [(start, end), *others.values_list("start_date", "end_date")]
    return max(sum(_overlap_days(s, e, ws, we) for s, e in periods) for ws, we in windows)


def route_leave(supervisee: Supervisee, start: dt.date, end: dt.date) -> Route:
    """Who approves: the office up to 7 days; the county bureau beyond; the city bureau past 30 days."""
    rules = leave_rules()
    days = (end - start).days + 1
    in_window = leave_days_in_window(supervisee, start, end)
    if days > rules.single_approval_max_days:
        return Route(
            (ApprovalLevel.OFFICE, ApprovalLevel.COUNTY_BUREAU, ApprovalLevel.CITY_BUREAU),
            _("%(days)d days: more than %(max)d days in one approval, so the level above the county bureau decides.")
            % {"days": days, "max": rules.single_approval_max_days},
        )
    if in_window > rules.window_max_days:
        return Route(
            (ApprovalLevel.OFFICE, ApprovalLevel.COUNTY_BUREAU, ApprovalLevel.CITY_BUREAU),
            _(
                "%(total)d days of leave within %(months)d months (more than %(max)d), so the level above the "
                "county bureau decides."
            )
            % {"total": in_window, "months": rules.window_months, "max": rules.window_max_days},
        )
    if days > rules.office_max_days:
        return Route(
            (ApprovalLevel.OFFICE, ApprovalLevel.COUNTY_BUREAU),
            _("%(days)d days: more than %(max)d days, so the county bureau decides after the justice office.")
            % {"days": days, "max": rules.office_max_days},
        )
    return Route(
        (ApprovalLevel.OFFICE,),
        _("%(days)d days: up to %(max)d days, the justice office decides.")
        % {"days": days, "max": rules.office_max_days},
    )


@transaction.atomic
def request_leave(
    *,
    actor: Actor,
    supervisee: Supervisee,
    start_date: dt.date,
    end_date: dt.date,
    destination: str,
    reason: str,
) -> LeaveRequest:
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    require_under_supervision(supervisee)
    errors: dict[str, str] = {}
    if end_date < start_date:
        errors["end_date"] = _("The leave cannot end before it starts.")
    if start_date < timezone.localdate():
        errors["start_date"] = _("The leave cannot start in the past.")
    if end_date > supervisee.term_end:
        errors["end_date"] = _("The leave cannot go beyond the end of the term (%(date)s).") % {
            "date": supervisee.term_end.isoformat()
        }
    if not destination.strip():
        errors["destination"] = _("Enter the destination.")
    if not reason.strip():
        errors["reason"] = _("Enter the reason for the leave.")
    if errors:
        raise ValidationError(errors)
    overlapping = LeaveRequest.objects.filter(
        supervisee=supervisee,
        approval__status__in=COUNTED_STATUSES,
        start_date__lte=end_date,
        end_date__gte=start_date,
    )
    if overlapping.exists():
        raise ValidationError({"start_date": _("Another leave request already covers some of these days.")})
    route = route_leave(supervisee, start_date, end_date)
    days = (end_date - start_date).days + 1
    approval = submit_request(
        actor=actor,
        kind=ApprovalKind.LEAVE,
        supervisee=supervisee,
        summary=_("%(name)s: leave to %(destination)s, %(start)s to %(end)s (%(days)d days)")
        % {
            "name": supervisee.name,
            "destination": destination.strip(),
            "start": start_date.isoformat(),
            "end": end_date.isoformat(),
            "days": days,
        },
        route=route,
    )
    return LeaveRequest.objects.create(
        approval=approval,
        supervisee=supervisee,
        start_date=start_date,
        end_date=end_date,
        destination=destination.strip(),
        reason=reason.strip(),
    )


def leave_document_context(leave: LeaveRequest) -> dict[str, object]:
    approval = leave.approval
    return {
        **supervisee_context(leave.supervisee),
        "destination": leave.destination,
        "start_date": chinese_date(leave.start_date),
        "end_date": chinese_date(leave.end_date),
        "days": leave.days,
        "reason": leave.reason,
        "routing_reason": approval.routing_reason,
        "steps": step_summaries(approval),
        "outcome": str(approval.get_status_display()),
    }


@in_document_language
def apply_approved_leave(*, actor: Actor, request: ApprovalRequest) -> None:
    """An approved leave is recorded in the approval form, issued into the execution file."""
    leave = request.leave
    office = leave.supervisee.responsible_office
    issue_document(
        actor=actor,
        code=LEAVE_APPROVAL,
        organisation=office,
        supervisee=leave.supervisee,
        context=leave_document_context(leave),
    )


@transaction.atomic
def record_return(*, actor: Actor, leave: LeaveRequest, returned_on: dt.date) -> LeaveRequest:
    """The supervisee reported back (销假)."""
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    if leave.approval.status != ApprovalStatus.APPROVED:
        raise ValidationError(_("Only an approved leave can be closed with a return."))
    if returned_on < leave.start_date:
        raise ValidationError({"returned_on": _("The return cannot be before the leave started.")})
    if returned_on > timezone.localdate():
        raise ValidationError({"returned_on": _("The return cannot be in the future.")})
    leave.returned_on = returned_on
    leave.save(update_fields=["returned_on"])
    record_event(
        actor,
        action=Action.UPDATE,
        target=leave.approval,
        detail={"returned_on": returned_on.isoformat(), "late": returned_on > leave.end_date},
    )
    return leave
