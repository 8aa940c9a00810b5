"""Record sealing (犯罪记录封存, CPL art. 286 and the 2022 implementing measures).

Sealing hides the case and everything in it from everyone not on it (selectors.cases_visible_to). Anyone else
reads it only with a recorded legal basis and an approval; each such read is audited by the page that shows it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import acting_user
from zhengtu.workspace.services import notify

from ..models import JuvenileCase, SealedReadRequest, SealedReadStatus
from ..rules import sealed_read_days
from ..selectors import cases_visible_to, is_member, read_requests_to_decide


@transaction.atomic
def seal_case(*, actor: Actor, case: JuvenileCase, basis: str) -> JuvenileCase:
    """Seal on the decision of the court or procuratorate; done by an approver or a handler on the case."""
    user = actor.user
    if user is None:
        raise PermissionDenied
    allowed = can(user, Capability.APPROVE_JUVENILE) or (
        can(user, Capability.HANDLE_JUVENILE_CASES) and is_member(user, case)
    )
    if not allowed or not cases_visible_to(user).filter(pk=case.pk).exists():
        raise PermissionDenied
    if case.is_sealed:
        raise ValidationError(_("This case is already sealed."))
    if not basis.strip():
        raise ValidationError({"basis": _("Give the decision or legal basis for sealing.")})
    case.sealed_at, case.sealed_by, case.seal_basis = timezone.now(), user, basis.strip()
    case.save(update_fields=["sealed_at", "sealed_by", "seal_basis"])
    # Whoever sealed it is on the case from now on (otherwise a bureau approver would lose sight of it at once).
    case.members.get_or_create(user=user, defaults={"role": _("Sealed the case")})
    record_event(actor, action=Action.STATUS, target=case, detail={"sealed": True, "basis": basis.strip()})
    return case


@transaction.atomic
def request_sealed_read(*, actor: Actor, case_number: str, legal_basis: str) -> SealedReadRequest:
    """Ask to read a sealed case. Whether the number exists is never told to the requester."""
    user = acting_user(actor, Capability.VIEW_JUVENILE_CASES)
    if not case_number.strip():
        raise ValidationError({"case_number": _("Give the case number.")})
    if len(legal_basis.strip()) < 10:
        raise ValidationError({"legal_basis": _("State the legal basis of the request (the law and the matter).")})
    case = JuvenileCase.objects.filter(number=case_number.strip(), sealed_at__isnull=False).first()
    request = SealedReadRequest.objects.create(
        case_number=case_number.strip(), case=case, requested_by=user, legal_basis=legal_basis.strip()
    )
    record_event(
        actor,
        action=Action.CREATE,
        object_type="juvenile.sealedreadrequest",
        object_id=str(request.pk),
        detail={"case_number": case_number.strip(), "legal_basis": legal_basis.strip()},
    )
    approvers = _approvers_for(request)
    notify(
        approvers, title=_("A request to read a sealed juvenile case"), url="/juvenile/sealed/", kind="juvenile_seal"
    )
    return request


def _approvers_for(request: SealedReadRequest) -> list[User]:
    if request.case is None:
        return []
    county_path = request.case.county.path
    candidates = User.objects.filter(is_active=True, organisation__path__startswith=county_path)
    return [u for u in candidates if can(u, Capability.APPROVE_JUVENILE) and u.pk != request.requested_by_id]


@transaction.atomic
def decide_sealed_read(*, actor: Actor, request: SealedReadRequest, approve: bool) -> SealedReadRequest:
    user = acting_user(actor, Capability.APPROVE_JUVENILE)
    if not read_requests_to_decide(user).filter(pk=request.pk).exists():
        raise PermissionDenied
    if request.status != SealedReadStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if approve and request.case is None:
        raise ValidationError(_("No sealed case has this number: the request can only be rejected."))
    request.status = SealedReadStatus.APPROVED if approve else SealedReadStatus.REJECTED
    request.decided_by, request.decided_at = user, timezone.now()
    if approve:
        request.valid_until = timezone.localdate() + dt.timedelta(days=sealed_read_days())
    request.save(update_fields=["status", "decided_by", "decided_at", "valid_until"])
    record_event(
        actor,
        action=Action.APPROVE if approve else Action.REJECT,
        object_type="juvenile.sealedreadrequest",
        object_id=str(request.pk),
        detail={"case_number": request.case_number},
    )
    notify(
        [request.requested_by],
        title=_("Your request to read case %(number)s was decided") % {"number": request.case_number},
        url="/juvenile/sealed/",
        kind="juvenile_seal",
    )
    return request
