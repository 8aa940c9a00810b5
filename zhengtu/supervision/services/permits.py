"""The permits (禁止令 exceptions, 会客, 迁居, 经常性跨市县活动, 病情复查延期): filed, routed by rule, in force.

Each kind's levels and longest period come from ``rules.permit_rules``; the approval engine routes the
request and, once the last step approves, ``apply_approved_permit`` issues the kind's approval form
and applies its effect (a change of residence updates the registry).
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability
from zhengtu.audit.services import Actor
from zhengtu.core.access import acting_user
from zhengtu.documents.services import chinese_date, in_document_language, issue_document
from zhengtu.supervisees.models import SentenceType, Supervisee
from zhengtu.supervisees.services import update_supervisee

from ..documents import PERMIT_DOCUMENTS, supervisee_context
from ..models import ApprovalLevel, ApprovalRequest, ApprovalStatus, Permit, PermitKind
from ..rules import permit_rules
from .access import NOT_ALLOWED, require_under_supervision
from .approvals import Route, step_summaries, submit_request

# The sentence type a kind is limited to: a medical review only concerns temporary execution outside prison.
ONLY_FOR_SENTENCE = {PermitKind.MEDICAL_EXTENSION: SentenceType.OUTSIDE_PRISON}
# Kinds that are exceptions to a prohibition order: the person must have one.
PROHIBITION_KINDS = (PermitKind.PROHIBITED_PLACE, PermitKind.PROHIBITED_CONTACT)


def latest_end(kind: str, start: dt.date) -> dt.date | None:
    """The last day one approval of `kind` may cover when it starts on `start` (None: no limit)."""
    rules = permit_rules(kind)
    ends = []
    if rules.max_days:
        ends.append(start + dt.timedelta(days=rules.max_days - 1))
    if rules.max_months:
        ends.append(start + relativedelta(months=rules.max_months) - dt.timedelta(days=1))
    return min(ends) if ends else None


def limit_text(kind: str) -> str:
    """The kind's limits in words, for the request page and the API's list of kinds."""
    rules = permit_rules(kind)
    levels = "、".join(str(ApprovalLevel(level).label) for level in rules.levels if level in ApprovalLevel.values)
    if rules.max_months:
        period = _("one approval lasts at most %(months)d months") % {"months": rules.max_months}
    elif rules.max_days:
        period = _("one approval lasts at most %(days)d days") % {"days": rules.max_days}
    else:
        period = _("no time limit")
    return _("Decided by: %(levels)s; %(period)s.") % {"levels": levels, "period": period}


def _check(supervisee: Supervisee, kind: str, start: dt.date, end: dt.date, subject: str, reason: str,
           new_address: str) -> None:  # fmt: skip
    errors: dict[str, str] = {}
    if kind not in PermitKind.values:
        raise ValidationError({"kind": _("Choose the kind of request.")})
    label = PermitKind(kind).label
    required_sentence = ONLY_FOR_SENTENCE.get(PermitKind(kind))
    if required_sentence and supervisee.sentence_type != required_sentence:
        errors["kind"] = _("A %(kind)s only concerns a person on %(sentence)s.") % {
            "kind": label,
            "sentence": SentenceType(required_sentence).label,
        }
    if kind in PROHIBITION_KINDS and not supervisee.prohibition_order.strip():
        errors["kind"] = _("%(name)s has no prohibition order: no approval is needed.") % {"name": supervisee.name}
    if not subject.strip():
        errors["subject"] = _("Enter the place, person or destination.")
    if not reason.strip():
        errors["reason"] = _("Enter the reason.")
    if start < timezone.localdate():
        errors["start_date"] = _("The period cannot start in the past.")
    if end < start:
        errors["end_date"] = _("The period cannot end before it starts.")
    elif end > supervisee.term_end:
        errors["end_date"] = _("The period cannot go beyond the end of the term (%(date)s).") % {
            "date": supervisee.term_end.isoformat()
        }
    else:
        last = latest_end(kind, start)
        if last is not None and end > last:
            errors["end_date"] = _("One approval of this kind may last until %(date)s at the latest (%(limit)s)") % {
                "date": last.isoformat(),
                "limit": limit_text(kind),
            }
    if kind == PermitKind.RESIDENCE_CHANGE and not new_address.strip():
        errors["new_address"] = _("Enter the new residence address.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def request_permit(
    *,
    actor: Actor,
    supervisee: Supervisee,
    kind: str,
    subject: str,
    reason: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    new_address: str = "",
) -> Permit:
    """File a permit request; the kind's rules choose who decides."""
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    require_under_supervision(supervisee)
    if kind == PermitKind.RESIDENCE_CHANGE or end_date is None:
        # A move has no end: it holds until the term ends.
        end_date = supervisee.term_end if kind == PermitKind.RESIDENCE_CHANGE else start_date
    _check(supervisee, kind, start_date, end_date, subject, reason, new_address)
    overlapping = Permit.objects.filter(
        supervisee=supervisee,
        kind=kind,
        approval__status__in=(ApprovalStatus.PENDING, ApprovalStatus.APPROVED),
        start_date__lte=end_date,
        end_date__gte=start_date,
    )
    if kind != PermitKind.RESIDENCE_CHANGE and overlapping.exists():
        raise ValidationError({"start_date": _("Another request of this kind already covers some of these days.")})
    rules = permit_rules(kind)
    unknown = [level for level in rules.levels if level not in ApprovalLevel.values]
    if unknown or not rules.levels:
        raise ValidationError(_("The permit rules name an unknown approval level: %(level)s.") % {"level": unknown})
    label = PermitKind(kind).label
    approval = submit_request(
        actor=actor,
        kind=kind,
        supervisee=supervisee,
        summary=_("%(name)s: %(kind)s — %(subject)s, %(start)s to %(end)s")
        % {
            "name": supervisee.name,
            "kind": label,
            "subject": subject.strip(),
            "start": start_date.isoformat(),
            "end": end_date.isoformat(),
        },
        route=Route(rules.levels, limit_text(kind)),
    )
    return Permit.objects.create(
        approval=approval,
        supervisee=supervisee,
        kind=kind,
        subject=subject.strip(),
        reason=reason.strip(),
        start_date=start_date,
        end_date=end_date,
        new_address=new_address.strip(),
    )


def permits_in_force(supervisee: Supervisee, kind: str, day: dt.date | None = None) -> QuerySet[Permit]:
    """The approved permits of a kind covering `day` (today by default): expired ones are not."""
    day = day or timezone.localdate()
    return Permit.objects.filter(
        supervisee=supervisee,
        kind=kind,
        approval__status=ApprovalStatus.APPROVED,
        start_date__lte=day,
        end_date__gte=day,
    )


@in_document_language
def apply_approved_permit(*, actor: Actor, request: ApprovalRequest) -> None:
    """Issue the kind's approval form; a change of residence also updates the registry."""
    permit = request.permit
    supervisee = permit.supervisee
    context = {
        **supervisee_context(supervisee),
        "form_title": str(PERMIT_TITLES[permit.kind]),
        "permit_kind": permit.kind,
        "kind_label": str(permit.get_kind_display()),
        "subject": permit.subject,
        "reason": permit.reason,
        "start_date": chinese_date(permit.start_date),
        "end_date": chinese_date(permit.end_date),
        "new_address": permit.new_address,
        "routing_reason": request.routing_reason,
        "steps": step_summaries(request),
        "outcome": str(request.get_status_display()),
    }
    issue_document(
        actor=actor,
        code=PERMIT_DOCUMENTS[permit.kind],
        organisation=supervisee.responsible_office,
        supervisee=supervisee,
        context=context,
    )
    if permit.kind == PermitKind.RESIDENCE_CHANGE:
        update_supervisee(actor=actor, supervisee=supervisee, residence_address=permit.new_address)


# The printed title of each kind's approval form (the document's own heading, in Chinese).
PERMIT_TITLES: dict[str, str] = {
    PermitKind.PROHIBITED_PLACE: "社区矫正对象进入特定区域（场所）审批表",
    PermitKind.PROHIBITED_CONTACT: "社区矫正对象接触特定人员审批表",
    PermitKind.VISITOR: "社区矫正对象会客审批表",
    PermitKind.RESIDENCE_CHANGE: "社区矫正对象居住地变更（迁居）审批表",
    PermitKind.CROSS_CITY: "社区矫正对象经常性跨市县活动审批表",
    PermitKind.MEDICAL_EXTENSION: "暂予监外执行社区矫正对象病情复查延期审批表",
}
