"""Writes to projects: contract, staff, funds, budget lines, spending, adjustments, targets.

Pages, the API, the demo and the tests all come through here. Each write checks that the actor
may manage the project, runs in one transaction and is audited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.workspace.services import notify

from . import indicators as registry
from .credentials import filed_certificates
from .formatting import yuan
from .models import (
    AdjustmentStatus,
    BudgetAdjustment,
    BudgetLine,
    CredentialKind,
    FundReceipt,
    KpiTarget,
    ProjectStaff,
    ServiceProject,
    SpendingEntry,
    SpendingVoucher,
    StaffCredential,
)
from .progress import funds_received, line_allowance, line_spent, money
from .rules import kpi_target_max, voucher_extensions, voucher_max_bytes
from .selectors import can_manage_project

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

BUREAU_KINDS = {OrganisationKind.COUNTY_BUREAU, OrganisationKind.CITY_BUREAU}


def _user(actor: Actor) -> User:
    if actor.user is None:
        raise PermissionDenied
    return actor.user


def _require_manager(actor: Actor, project: ServiceProject) -> User:
    user = _user(actor)
    if not can_manage_project(user, project):
        raise PermissionDenied
    return user


def _check_parties(*, user: User, buying_bureau: Organisation, agency: Organisation) -> None:
    errors: dict[str, str] = {}
    if buying_bureau.kind not in BUREAU_KINDS:
        errors["buying_bureau"] = _("The buyer must be a county or city corrections bureau.")
    elif not user.is_superuser and (user.organisation is None or not buying_bureau.is_within(user.organisation)):
        errors["buying_bureau"] = _("You can only create projects for your own bureau or the bureaus below it.")
    if agency.kind != OrganisationKind.AGENCY:
        errors["agency"] = _("The contractor must be a social-work agency.")
    if errors:
        raise ValidationError(errors)


def _check_terms(project: ServiceProject) -> None:
    errors: dict[str, str] = {}
    if project.period_end < project.period_start:
        errors["period_end"] = _("The project cannot end before it starts.")
    if project.contract_amount <= 0:
        errors["contract_amount"] = _("The contract amount must be more than zero.")
    if project.budget_amount is not None and project.budget_amount < project.contract_amount:
        errors["budget_amount"] = _("The fiscal budget cannot be smaller than the contract amount.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_project(
    *,
    actor: Actor,
    name: str,
    buying_bureau: Organisation,
    agency: Organisation,
    period_start: dt.date,
    period_end: dt.date,
    contract_amount: Decimal,
    contract_number: str = "",
    budget_amount: Decimal | None = None,
    awarded_on: dt.date | None = None,
    description: str = "",
    status: str = "active",
) -> ServiceProject:
    user = _user(actor)
    if not can(user, Capability.MANAGE_PROJECTS):
        raise PermissionDenied
    _check_parties(user=user, buying_bureau=buying_bureau, agency=agency)
    project = ServiceProject(
        name=name.strip(),
        contract_number=contract_number.strip(),
        buying_bureau=buying_bureau,
        agency=agency,
        period_start=period_start,
        period_end=period_end,
        contract_amount=contract_amount,
        budget_amount=budget_amount,
        awarded_on=awarded_on,
        description=description,
        status=status,
    )
    _check_terms(project)
    project.full_clean()
    project.save()
    record_event(actor, action=Action.CREATE, target=project)
    return project


@transaction.atomic
def update_project(*, actor: Actor, project: ServiceProject, **fields: Any) -> ServiceProject:
    _require_manager(actor, project)
    allowed = {
        "name",
        "contract_number",
        "period_start",
        "period_end",
        "contract_amount",
        "budget_amount",
        "awarded_on",
        "description",
        "status",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(project, name, value)
    _check_terms(project)
    project.full_clean()
    project.save()
    record_event(actor, action=Action.UPDATE, target=project, detail={"fields": sorted(fields)})
    return project


@transaction.atomic
def add_staff(
    *, actor: Actor, project: ServiceProject, user: User, role: str, joined_on: dt.date | None = None
) -> ProjectStaff:
    _require_manager(actor, project)
    if ProjectStaff.objects.filter(project=project, user=user, role=role, left_on__isnull=True).exists():
        raise ValidationError(_("This person already has this role in the project."))
    staff, _created = ProjectStaff.objects.update_or_create(
        project=project, user=user, role=role, defaults={"joined_on": joined_on, "left_on": None}
    )
    record_event(actor, action=Action.CREATE, target=staff, detail={"role": role})
    return staff


@transaction.atomic
def end_staff(*, actor: Actor, staff: ProjectStaff, left_on: dt.date) -> ProjectStaff:
    _require_manager(actor, staff.project)
    if staff.joined_on and left_on < staff.joined_on:
        raise ValidationError(_("A person cannot leave before joining."))
    staff.left_on = left_on
    staff.save(update_fields=["left_on"])
    record_event(actor, action=Action.UPDATE, target=staff, detail={"left_on": left_on.isoformat()})
    return staff


@transaction.atomic
def add_credential(
    *,
    actor: Actor,
    project: ServiceProject,
    user: User,
    kind: str,
    number: str = "",
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
) -> StaffCredential:
    _require_manager(actor, project)
    if not project.staff.filter(user=user).exists():
        raise ValidationError(_("Add the person to the project's staff first."))
    if kind not in CredentialKind.values:
        raise ValidationError(_("Unknown kind of credential."))
    if kind == CredentialKind.SUPERVISOR:
        raise ValidationError(
            {
                "kind": _(
                    "A supervisor's credential is the association's supervisor filing: apply for the filing with "
                    "the association; the project shows it as soon as it is filed."
                )
            }
        )
    if number.strip() and number.strip() in filed_certificates(user.pk):
        raise ValidationError(
            {"number": _("This certificate is already on file with the association's supervisor filing.")}
        )
    if issued_on and expires_on and expires_on < issued_on:
        raise ValidationError(_("A credential cannot expire before it was issued."))
    credential = StaffCredential.objects.create(
        user=user, kind=kind, number=number.strip(), issued_on=issued_on, expires_on=expires_on
    )
    record_event(actor, action=Action.CREATE, target=credential, detail={"user": user.pk})
    return credential


@transaction.atomic
def record_fund_receipt(
    *, actor: Actor, project: ServiceProject, received_on: dt.date, amount: Decimal, reference: str = ""
) -> FundReceipt:
    user = _require_manager(actor, project)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    received = funds_received(project)
    if received + amount > project.contract_amount:
        raise ValidationError(
            {
                "amount": _("Funds received would exceed the contract amount of %(contract)s yuan.")
                % {"contract": yuan(project.contract_amount)}
            }
        )
    receipt = FundReceipt.objects.create(
        project=project, received_on=received_on, amount=amount, reference=reference.strip(), recorded_by=user
    )
    record_event(actor, action=Action.CREATE, target=project, detail={"funds_received": str(amount)})
    return receipt


@transaction.atomic
def save_budget_line(
    *,
    actor: Actor,
    project: ServiceProject,
    category: str,
    name: str,
    amount: Decimal,
    position: int = 0,
    line: BudgetLine | None = None,
) -> BudgetLine:
    """Create a line, or change one; a line's budget cannot drop below what it has already spent."""
    _require_manager(actor, project)
    if line is not None:
        line = BudgetLine.objects.select_for_update().get(pk=line.pk, project=project)
    others = project.budget_lines.all() if line is None else project.budget_lines.exclude(pk=line.pk)
    if others.filter(name=name.strip()).exists():
        raise ValidationError({"name": _("The project already has a budget line with this name.")})
    total = money(others.aggregate(total=Sum("amount"))["total"]) + amount
    if total > project.contract_amount:
        raise ValidationError(
            {
                "amount": _("The budget lines would add up to %(total)s yuan, more than the contract's %(contract)s.")
                % {"total": yuan(total), "contract": yuan(project.contract_amount)}
            }
        )
    if line is not None:
        allowance_without_line = line_allowance(line) - line.amount
        spent = line_spent(line)
        if amount + allowance_without_line < spent:
            raise ValidationError(
                {"amount": _("%(spent)s yuan has already been spent on this line.") % {"spent": yuan(spent)}}
            )
    else:
        line = BudgetLine(project=project)
    line.category = category
    line.name = name.strip()
    line.amount = amount
    line.position = position
    line.full_clean()
    line.save()
    record_event(actor, action=Action.UPDATE, target=project, detail={"budget_line": line.name, "amount": str(amount)})
    return line


def _check_voucher(upload: UploadedFile) -> None:
    extension = Path(upload.name or "").suffix.lower().lstrip(".")
    if extension not in voucher_extensions():
        raise ValidationError(
            _("“%(name)s” is not an accepted voucher file (accepted: %(types)s).")
            % {"name": upload.name, "types": "、".join(voucher_extensions())}
        )
    if (upload.size or 0) > voucher_max_bytes():
        raise ValidationError(
            _("“%(name)s” is larger than %(mb)s MB.") % {"name": upload.name, "mb": voucher_max_bytes() // 1048576}
        )


@transaction.atomic
def record_spending(
    *,
    actor: Actor,
    line: BudgetLine,
    spent_on: dt.date,
    amount: Decimal,
    description: str,
    voucher_number: str = "",
    vouchers: list[UploadedFile] | None = None,
) -> SpendingEntry:
    """Book spending on a budget line. Going past the line's allowance needs an approved adjustment first."""
    user = _require_manager(actor, line.project)
    line = BudgetLine.objects.select_for_update().select_related("project").get(pk=line.pk)
    errors: dict[str, str] = {}
    if amount <= 0:
        errors["amount"] = _("The amount must be more than zero.")
    if not description.strip():
        errors["description"] = _("Say what the money was spent on.")
    if spent_on > timezone.localdate():
        errors["spent_on"] = _("Spending cannot be booked in the future.")
    if errors:
        raise ValidationError(errors)
    for upload in vouchers or []:
        _check_voucher(upload)
    allowance = line_allowance(line)
    spent = line_spent(line)
    if spent + amount > allowance:
        raise ValidationError(
            {
                "amount": _(
                    "This would overspend “%(line)s” by %(over)s yuan (budget %(allowance)s, already spent "
                    "%(spent)s). Ask for a budget adjustment and have it approved first."
                )
                % {
                    "line": line.name,
                    "over": yuan(spent + amount - allowance),
                    "allowance": yuan(allowance),
                    "spent": yuan(spent),
                }
            }
        )
    entry = SpendingEntry.objects.create(
        budget_line=line,
        spent_on=spent_on,
        amount=amount,
        description=description.strip(),
        voucher_number=voucher_number.strip(),
        recorded_by=user,
    )
    for upload in vouchers or []:
        SpendingVoucher.objects.create(
            entry=entry, file=upload, original_name=(upload.name or "")[:200], uploaded_by=user
        )
    record_event(
        actor,
        action=Action.CREATE,
        target=entry,
        detail={"project": line.project_id, "line": line.name, "amount": str(amount)},
    )
    return entry


@transaction.atomic
def add_vouchers(*, actor: Actor, entry: SpendingEntry, vouchers: list[UploadedFile]) -> list[SpendingVoucher]:
    user = _require_manager(actor, entry.budget_line.project)
    for upload in vouchers:
        _check_voucher(upload)
    created = [
        SpendingVoucher.objects.create(
            entry=entry, file=upload, original_name=(upload.name or "")[:200], uploaded_by=user
        )
        for upload in vouchers
    ]
    record_event(actor, action=Action.UPDATE, target=entry, detail={"vouchers_added": len(created)})
    return created


def _source_headroom(source: BudgetLine, *, excluding: BudgetAdjustment | None = None) -> Decimal:
    pending_out = BudgetAdjustment.objects.filter(source_line=source, status=AdjustmentStatus.PENDING)
    if excluding is not None:
        pending_out = pending_out.exclude(pk=excluding.pk)
    reserved = money(pending_out.aggregate(total=Sum("amount"))["total"])
    return line_allowance(source) - line_spent(source) - reserved


@transaction.atomic
def request_adjustment(
    *, actor: Actor, line: BudgetLine, amount: Decimal, reason: str, source_line: BudgetLine | None = None
) -> BudgetAdjustment:
    user = _require_manager(actor, line.project)
    errors: dict[str, str] = {}
    if amount <= 0:
        errors["amount"] = _("The amount must be more than zero.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the adjustment.")
    if source_line is not None:
        if source_line.project_id != line.project_id:
            errors["source_line"] = _("Money can only move between lines of the same project.")
        elif source_line.pk == line.pk:
            errors["source_line"] = _("Choose a different line to take the money from.")
        elif amount > _source_headroom(source_line):
            errors["source_line"] = _("“%(line)s” has only %(left)s yuan left to give.") % {
                "line": source_line.name,
                "left": yuan(max(_source_headroom(source_line), Decimal("0"))),
            }
    if errors:
        raise ValidationError(errors)
    adjustment = BudgetAdjustment.objects.create(
        project=line.project,
        budget_line=line,
        source_line=source_line,
        amount=amount,
        reason=reason.strip(),
        requested_by=user,
    )
    record_event(actor, action=Action.CREATE, target=adjustment, detail={"amount": str(amount)})
    managers = _other_managers(line.project, exclude=user)
    notify(
        managers,
        title=_("Budget adjustment awaiting your approval: %(project)s") % {"project": line.project.name},
        body=f"{line.name} +{yuan(amount)}",
        url=reverse("projects:detail", args=[line.project_id]) + "#adjustments",
        kind="budget_adjustment",
    )
    return adjustment


def _other_managers(project: ServiceProject, *, exclude: User) -> list[User]:
    from zhengtu.accounts.models import User as UserModel

    candidates = UserModel.objects.filter(is_active=True, role__in=["bureau_admin", "agency_manager"]).exclude(
        pk=exclude.pk
    )
    candidates = candidates.filter(organisation__in=[project.buying_bureau, project.agency])
    return [u for u in candidates if can_manage_project(u, project)]


@transaction.atomic
def decide_adjustment(*, actor: Actor, adjustment: BudgetAdjustment, approve: bool, note: str = "") -> BudgetAdjustment:
    """Approve or reject a pending adjustment. The requester cannot decide their own request."""
    user = _require_manager(actor, adjustment.project)
    adjustment = BudgetAdjustment.objects.select_for_update().select_related("project").get(pk=adjustment.pk)
    if adjustment.status != AdjustmentStatus.PENDING:
        raise ValidationError(_("This adjustment has already been decided."))
    if adjustment.requested_by_id == user.pk:
        raise ValidationError(_("A second person must decide on an adjustment you asked for."))
    if approve and adjustment.source_line is not None:
        headroom = _source_headroom(adjustment.source_line, excluding=adjustment)
        if adjustment.amount > headroom:
            raise ValidationError(
                _("“%(line)s” has only %(left)s yuan left to give.")
                % {"line": adjustment.source_line.name, "left": yuan(max(headroom, Decimal("0")))}
            )
    adjustment.status = AdjustmentStatus.APPROVED if approve else AdjustmentStatus.REJECTED
    adjustment.decided_by = user
    adjustment.decided_at = timezone.now()
    adjustment.decision_note = note.strip()[:200]
    adjustment.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_event(
        actor,
        action=Action.APPROVE if approve else Action.REJECT,
        target=adjustment,
        detail={"amount": str(adjustment.amount), "note": adjustment.decision_note},
    )
    notify(
        [adjustment.requested_by],
        title=(_("Budget adjustment approved") if approve else _("Budget adjustment rejected"))
        + f": {adjustment.budget_line.name}",
        body=adjustment.decision_note,
        url=reverse("projects:detail", args=[adjustment.project_id]) + "#adjustments",
        kind="budget_adjustment",
    )
    return adjustment


def _check_target(project: ServiceProject, indicator: str, period_start: dt.date, period_end: dt.date) -> None:
    errors: dict[str, str] = {}
    if indicator not in registry.indicators():
        errors["indicator"] = _("Unknown indicator.")
    if period_end < period_start:
        errors["period_end"] = _("The period cannot end before it starts.")
    elif period_start < project.period_start or period_end > project.period_end:
        errors["period_start"] = _(
            "The target's period must lie within the project's period (%(start)s to %(end)s)."
        ) % {
            "start": project.period_start.isoformat(),
            "end": project.period_end.isoformat(),
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_target(
    *,
    actor: Actor,
    project: ServiceProject,
    indicator: str,
    period_start: dt.date,
    period_end: dt.date,
    target_value: int,
    note: str = "",
) -> KpiTarget:
    """Create the target for (indicator, period), or change its value if it exists."""
    _require_manager(actor, project)
    _check_target(project, indicator, period_start, period_end)
    if target_value < 0:
        raise ValidationError({"target_value": _("The target cannot be negative.")})
    if target_value > kpi_target_max():
        raise ValidationError(
            {"target_value": _("The target cannot exceed %(maximum)d.") % {"maximum": kpi_target_max()}}
        )
    target, created = KpiTarget.objects.update_or_create(
        project=project,
        indicator=indicator,
        period_start=period_start,
        period_end=period_end,
        defaults={"target_value": target_value, "note": note.strip()},
    )
    record_event(
        actor,
        action=Action.CREATE if created else Action.UPDATE,
        target=project,
        detail={
            "target": indicator,
            "value": target_value,
            "period": [period_start.isoformat(), period_end.isoformat()],
        },
    )
    return target


@transaction.atomic
def delete_target(*, actor: Actor, target: KpiTarget) -> None:
    _require_manager(actor, target.project)
    record_event(
        actor,
        action=Action.DELETE,
        target=target.project,
        detail={"target": target.indicator, "value": target.target_value},
    )
    target.delete()
