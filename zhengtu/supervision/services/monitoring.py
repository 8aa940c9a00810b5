"""Electronic monitoring approval (law art. 29): one of five situations, county bureau head, ≤3 months a period."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zhengtu.accounts.roles import Capability
from zhengtu.audit.services import Actor
from zhengtu.core.access import acting_user
from zhengtu.documents.services import chinese_date, in_document_language, issue_document
from zhengtu.supervisees.models import Supervisee

from ..documents import MONITORING_APPROVAL, supervisee_context
from ..models import (
    ApprovalKind,
    ApprovalLevel,
    ApprovalRequest,
    ApprovalStatus,
    MonitoringApproval,
    MonitoringSituation,
)
from ..rules import monitoring_rules
from .access import NOT_ALLOWED, require_under_supervision
from .approvals import Route, step_summaries, submit_request

ACTIVE_STATUSES = (ApprovalStatus.PENDING, ApprovalStatus.APPROVED)


def latest_period_end(start: dt.date, months: int) -> dt.date:
    """The last day of a period of `months` months starting on `start` (3 months from 1 March: 31 May)."""
    return start + relativedelta(months=months) - dt.timedelta(days=1)


def _months_message(months: int) -> str:
    return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}


@transaction.atomic
def request_monitoring(
    *,
    actor: Actor,
    supervisee: Supervisee,
    situation: str,
    facts: str,
    start_date: dt.date,
    end_date: dt.date,
    extends: MonitoringApproval | None = None,
) -> MonitoringApproval:
    """Ask the county bureau to approve a monitoring period, or to extend the current one."""
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    require_under_supervision(supervisee)
    rules = monitoring_rules()
    errors: dict[str, str] = {}
    if situation not in MonitoringSituation.values:
        errors["situation"] = _(
            "Electronic monitoring may only be used in one of the five situations of article 29 of the "
            "Community Corrections Law: choose one."
        )
    if not facts.strip():
        errors["facts"] = _("Describe the facts that justify electronic monitoring.")
    if extends is not None:
        if extends.supervisee_id != supervisee.pk or extends.approval.status != ApprovalStatus.APPROVED:
            raise ValidationError(_("Only an approved monitoring period of this person can be extended."))
        start_date = extends.end_date + dt.timedelta(days=1)
        limit_months = rules.max_extension_months
    else:
        limit_months = rules.max_period_months
    if end_date < start_date:
        errors["end_date"] = _("The period cannot end before it starts (%(start)s).") % {
            "start": start_date.isoformat()
        }
    elif end_date > latest_period_end(start_date, limit_months):
        errors["end_date"] = (
            _("A period of electronic monitoring may last at most %(limit)s: the latest end is %(date)s.")
            if extends is None
            else _("An extension may last at most %(limit)s: the latest end is %(date)s.")
        ) % {"limit": _months_message(limit_months), "date": latest_period_end(start_date, limit_months).isoformat()}
    if extends is None and start_date < timezone.localdate():
        errors["start_date"] = _("The period cannot start in the past.")
    if errors:
        raise ValidationError(errors)
    overlapping = MonitoringApproval.objects.filter(
        supervisee=supervisee,
        approval__status__in=ACTIVE_STATUSES,
        start_date__lte=end_date,
        end_date__gte=start_date,
    )
    if overlapping.exists():
        raise ValidationError(_("Another monitoring period already covers some of these days."))
    approval = submit_request(
        actor=actor,
        kind=ApprovalKind.MONITORING,
        supervisee=supervisee,
        summary=(
            _("%(name)s: extend electronic monitoring to %(end)s")
            if extends
            else _("%(name)s: electronic monitoring %(start)s to %(end)s")
        )
        % {"name": supervisee.name, "start": start_date.isoformat(), "end": end_date.isoformat()},
        route=Route((ApprovalLevel.COUNTY_BUREAU,), _("Electronic monitoring: the county bureau head decides.")),
        bureau_capability=Capability.APPROVE_BUREAU,
    )
    return MonitoringApproval.objects.create(
        approval=approval,
        supervisee=supervisee,
        situation=situation,
        facts=facts.strip(),
        start_date=start_date,
        end_date=end_date,
        extends=extends,
    )


@in_document_language
def apply_approved_monitoring(*, actor: Actor, request: ApprovalRequest) -> None:
    monitoring = request.monitoring
    context = {
        **supervisee_context(monitoring.supervisee),
        "situation": str(monitoring.get_situation_display()),
        "facts": monitoring.facts,
        "start_date": chinese_date(monitoring.start_date),
        "end_date": chinese_date(monitoring.end_date),
        "is_extension": monitoring.extends_id is not None,
        "steps": step_summaries(request),
    }
    issue_document(
        actor=actor,
        code=MONITORING_APPROVAL,
        organisation=monitoring.supervisee.responsible_office,
        supervisee=monitoring.supervisee,
        context=context,
    )
