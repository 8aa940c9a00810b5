"""Transfer of the place of execution (变更执行地): approved at home, accepted by the receiving bureau."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability
from zhengtu.audit.services import Actor
from zhengtu.core.access import acting_user
from zhengtu.documents.services import in_document_language, issue_document
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.supervisees.models import Supervisee
from zhengtu.supervisees.services import update_supervisee
from zhengtu.workspace.services import notify

from ..documents import TRANSFER_APPROVAL, supervisee_context
from ..models import ApprovalKind, ApprovalLevel, ApprovalRequest, ApprovalStatus, TeamMember, TransferRequest
from .access import NOT_ALLOWED, require_under_supervision
from .approvals import Route, step_summaries, submit_request


@transaction.atomic
def request_transfer(
    *, actor: Actor, supervisee: Supervisee, to_office: Organisation, new_address: str, reason: str
) -> TransferRequest:
    acting_user(actor, Capability.SUPERVISE, refusal=NOT_ALLOWED)
    require_under_supervision(supervisee)
    if to_office.kind != OrganisationKind.JUSTICE_OFFICE or not to_office.is_active:
        raise ValidationError({"to_office": _("Choose the justice office of the new place of execution.")})
    here = supervisee.responsible_office.nearest({OrganisationKind.COUNTY_BUREAU})
    there = to_office.nearest({OrganisationKind.COUNTY_BUREAU})
    if here is not None and there is not None and here.pk == there.pk:
        raise ValidationError(
            {
                "to_office": _(
                    "The new office is under the same county bureau: change the responsible office in the "
                    "registry instead of transferring the place of execution."
                )
            }
        )
    if not new_address.strip():
        raise ValidationError({"new_address": _("Enter the new residence address.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Enter the reason for the transfer.")})
    if TransferRequest.objects.filter(supervisee=supervisee, approval__status=ApprovalStatus.PENDING).exists():
        raise ValidationError(_("A transfer request for this person is already pending."))
    approval = submit_request(
        actor=actor,
        kind=ApprovalKind.TRANSFER,
        supervisee=supervisee,
        summary=_("%(name)s: transfer to %(office)s") % {"name": supervisee.name, "office": to_office.name},
        route=Route(
            (ApprovalLevel.OFFICE, ApprovalLevel.COUNTY_BUREAU, ApprovalLevel.RECEIVING_BUREAU),
            _("Transfer of place of execution: the county bureau approves, the receiving bureau accepts."),
        ),
        receiving_office=to_office,
    )
    return TransferRequest.objects.create(
        approval=approval,
        supervisee=supervisee,
        from_office=supervisee.responsible_office,
        to_office=to_office,
        new_address=new_address.strip(),
        reason=reason.strip(),
    )


@in_document_language
def apply_approved_transfer(*, actor: Actor, request: ApprovalRequest) -> None:
    """Hand the person over: the receiving office becomes responsible; the old team steps down."""
    transfer = request.transfer
    supervisee = transfer.supervisee
    context = {
        **supervisee_context(supervisee),
        "from_office": transfer.from_office.name,
        "to_office": transfer.to_office.name,
        "new_address": transfer.new_address,
        "reason": transfer.reason,
        "steps": step_summaries(request),
        "outcome": str(request.get_status_display()),
    }
    issue_document(
        actor=actor, code=TRANSFER_APPROVAL, organisation=transfer.from_office, supervisee=supervisee, context=context
    )
    update_supervisee(
        actor=actor,
        supervisee=supervisee,
        responsible_office=transfer.to_office,
        responsible_officer=None,
        residence_address=transfer.new_address,
    )
    today = timezone.localdate()
    TeamMember.objects.filter(supervisee=supervisee, left_on__isnull=True, user__isnull=False).update(left_on=today)
    transfer.handed_over_at = timezone.now()
    transfer.save(update_fields=["handed_over_at"])
    receiving = User.objects.filter(organisation=transfer.to_office, is_active=True)
    notify(
        receiving,
        title=_("Transferred to your office: %(name)s") % {"name": supervisee.name},
        kind="transfer_received",
    )
