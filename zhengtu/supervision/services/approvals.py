"""The one approval mechanism: submit with steps chosen by rule → decide step by step → apply the effect.

Approvers are found by organisation and capability: the supervisee's justice office (APPROVE_OFFICE),
its county bureau (APPROVE_BUREAU, or DECIDE_SANCTIONS for sanctions), the city bureau above it, or
the receiving county bureau of a transfer. Every decision is audited (APPROVE/REJECT) and the next
approvers, or the requester, are notified.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import ROLE_CAPABILITIES, Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.supervisees.models import Supervisee
from zhengtu.workdays.calendar import add_working_days
from zhengtu.workspace.services import notify

from ..models import ApprovalKind, ApprovalLevel, ApprovalRequest, ApprovalStatus, ApprovalStep, StepStatus
from ..rules import approval_decision_working_days

if TYPE_CHECKING:
    from collections.abc import Callable

LEVEL_CAPABILITY: dict[str, str] = {
    ApprovalLevel.OFFICE: Capability.APPROVE_OFFICE,
    ApprovalLevel.COUNTY_BUREAU: Capability.APPROVE_BUREAU,
    ApprovalLevel.CITY_BUREAU: Capability.APPROVE_BUREAU,
    ApprovalLevel.RECEIVING_BUREAU: Capability.APPROVE_BUREAU,
}


@dataclass(frozen=True)
class Route:
    """The steps a request goes through, and why, in words the approvers read."""

    levels: tuple[str, ...]
    reason: str


def organisation_for_level(
    level: str, *, supervisee: Supervisee, receiving_office: Organisation | None = None
) -> Organisation:
    office = supervisee.responsible_office
    county = office.nearest({OrganisationKind.COUNTY_BUREAU})
    found: Organisation | None
    if level == ApprovalLevel.OFFICE:
        found = office
    elif level == ApprovalLevel.COUNTY_BUREAU:
        found = county
    elif level == ApprovalLevel.CITY_BUREAU:
        found = county.nearest({OrganisationKind.CITY_BUREAU}) if county else None
    elif level == ApprovalLevel.RECEIVING_BUREAU:
        found = receiving_office.nearest({OrganisationKind.COUNTY_BUREAU}) if receiving_office else None
    else:
        raise ValueError(level)
    if found is None:
        raise ValidationError(
            _("No organisation at the level “%(level)s” was found above %(office)s to decide this request.")
            % {"level": ApprovalLevel(level).label, "office": office.name}
        )
    return found


def approvers_for(step: ApprovalStep) -> QuerySet[User]:
    """Who may decide a step: its organisation's holders of its capability, never the person who filed it."""
    roles = [role for role, capabilities in ROLE_CAPABILITIES.items() if step.capability in capabilities]
    queryset = User.objects.filter(organisation=step.organisation, role__in=roles, is_active=True)
    if step.request.requested_by_id is not None:
        queryset = queryset.exclude(pk=step.request.requested_by_id)
    return queryset


def is_filer(user: User, request: ApprovalRequest) -> bool:
    """Separation of duties: the person who filed a request never decides any step of it."""
    return request.requested_by_id is not None and user.pk == request.requested_by_id


def can_decide(user: User, step: ApprovalStep) -> bool:
    if step.status != StepStatus.PENDING or not user.is_authenticated:
        return False
    if not can(user, step.capability) or is_filer(user, step.request):
        return False
    return user.is_superuser or user.organisation_id == step.organisation_id


def _request_url(request: ApprovalRequest) -> str:
    return reverse("supervision:approval", args=[request.pk])


def _decision_due(step: ApprovalStep) -> None:
    deadline = add_working_days(timezone.localdate(), approval_decision_working_days())
    step.due_on = deadline.due
    step.due_approximate = deadline.is_approximate


def _notify_approvers(step: ApprovalStep) -> None:
    request = step.request
    notify(
        approvers_for(step),
        title=_("To decide: %(request)s") % {"request": request},
        body=_("%(name)s — %(reason)s") % {"name": request.supervisee.name, "reason": request.routing_reason},
        url=_request_url(request),
        kind="approval_pending",
    )


@transaction.atomic
def submit_request(
    *,
    actor: Actor,
    kind: str,
    supervisee: Supervisee,
    summary: str,
    route: Route,
    receiving_office: Organisation | None = None,
    bureau_capability: str | None = None,
) -> ApprovalRequest:
    """Create a request with its steps; the first step awaits its approvers, who are notified."""
    if kind not in ApprovalKind.values:
        raise ValueError(kind)
    if not route.levels:
        raise ValueError("a route needs at least one step")
    organisations = [
        organisation_for_level(level, supervisee=supervisee, receiving_office=receiving_office)
        for level in route.levels
    ]
    request = ApprovalRequest.objects.create(
        kind=kind,
        supervisee=supervisee,
        summary=summary[:300],
        routing_reason=route.reason[:300],
        requested_by=actor.user,
    )
    for order, (level, organisation) in enumerate(zip(route.levels, organisations, strict=True)):
        capability = LEVEL_CAPABILITY[level]
        if bureau_capability and level != ApprovalLevel.OFFICE:
            capability = bureau_capability
        step = ApprovalStep(
            request=request,
            order=order,
            level=level,
            organisation=organisation,
            capability=capability,
            status=StepStatus.PENDING if order == 0 else StepStatus.WAITING,
        )
        if order == 0:
            _decision_due(step)
        step.save()
    record_event(
        actor,
        action=Action.CREATE,
        target=request,
        detail={"kind": kind, "levels": list(route.levels), "supervisee": supervisee.pk},
    )
    first = request.steps.get(order=0)
    _notify_approvers(first)
    return request


def _effect_handlers() -> dict[str, Callable[..., None]]:
    # Imported here: each registered kind's service imports this engine.
    from ..approval_kinds import registry

    return {kind: spec.apply for kind, spec in registry().items()}


@transaction.atomic
def decide(*, actor: Actor, request: ApprovalRequest, approve: bool, comment: str = "") -> ApprovalRequest:
    """Approve or reject the current step. A rejection needs a reason; the last approval applies the effect."""
    locked = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ApprovalStatus.PENDING:
        raise ValidationError(
            _("This request is already closed (%(status)s).") % {"status": locked.get_status_display()}
        )
    step = locked.steps.filter(status=StepStatus.PENDING).order_by("order").first()
    user = actor.user
    if user is not None and is_filer(user, locked):
        raise PermissionDenied(_("You filed this request: another approver must decide it (separation of duties)."))
    if step is None or user is None or not can_decide(user, step):
        raise PermissionDenied(_("This request is not waiting for your decision."))
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Give the reason for rejecting the request.")})
    now = timezone.now()
    step.status = StepStatus.APPROVED if approve else StepStatus.REJECTED
    step.decided_by = user
    step.decided_at = now
    step.comment = comment
    step.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    record_event(
        actor,
        action=Action.APPROVE if approve else Action.REJECT,
        target=locked,
        detail={"step": step.order, "level": step.level, "comment": comment[:500]},
    )
    following = locked.steps.filter(order__gt=step.order).order_by("order")
    if not approve:
        following.update(status=StepStatus.CANCELLED)
        locked.status = ApprovalStatus.REJECTED
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_at"])
        notify(
            [locked.requested_by],
            title=_("Rejected: %(request)s") % {"request": locked},
            body=comment,
            url=_request_url(locked),
            kind="approval_rejected",
        )
    elif (next_step := following.first()) is not None:
        next_step.status = StepStatus.PENDING
        _decision_due(next_step)
        next_step.save(update_fields=["status", "due_on", "due_approximate"])
        _notify_approvers(next_step)
    else:
        locked.status = ApprovalStatus.APPROVED
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_at"])
        _effect_handlers()[locked.kind](actor=actor, request=locked)
        notify(
            [locked.requested_by],
            title=_("Approved: %(request)s") % {"request": locked},
            url=_request_url(locked),
            kind="approval_approved",
        )
    request.status = locked.status
    return locked


@transaction.atomic
def withdraw(*, actor: Actor, request: ApprovalRequest) -> ApprovalRequest:
    """The requester (or an approver of the current step) withdraws a pending request."""
    locked = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    user = actor.user
    if locked.status != ApprovalStatus.PENDING:
        raise ValidationError(_("Only a pending request can be withdrawn."))
    current = locked.steps.filter(status=StepStatus.PENDING).first()
    allowed = user is not None and (is_filer(user, locked) or (current is not None and can_decide(user, current)))
    if not allowed:
        raise PermissionDenied(_("Only the requester can withdraw this request."))
    locked.steps.filter(status__in=[StepStatus.PENDING, StepStatus.WAITING]).update(status=StepStatus.CANCELLED)
    locked.status = ApprovalStatus.WITHDRAWN
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at"])
    record_event(actor, action=Action.UPDATE, target=locked, detail={"status": ApprovalStatus.WITHDRAWN})
    return locked


def step_summaries(request: ApprovalRequest) -> list[dict[str, str]]:
    """The decisions so far, as documents print them."""
    from zhengtu.documents.services import chinese_date

    rows = []
    for step in request.steps.select_related("organisation", "decided_by").order_by("order"):
        decided = step.decided_at
        rows.append(
            {
                "level": str(step.get_level_display()),
                "organisation": step.organisation.name,
                "decision": str(step.get_status_display()),
                "comment": step.comment,
                "decided_by": step.decided_by.display_name if step.decided_by else "",
                "decided_on": chinese_date(timezone.localtime(decided).date()) if decided else "",
            }
        )
    return rows
